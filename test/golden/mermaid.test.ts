import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../src/i18n/index.ts';
import { PROFILES } from '../../src/model/trace.ts';
import { escapeLabel, toMermaid } from '../../src/views/mermaid.ts';
import { messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';

const LIFECYCLE = [
  'docker run -d --name web nginx',
  'docker run -d --name sl busybox sleep 600',
  'docker stop -t 2 sl',
  'docker pause web',
  'docker unpause web',
  'docker rm web',
  'docker rm -f web',
  'docker run --rm busybox sh -c "echo a; echo b >&2; exit 3"',
  'docker run -m 8m busybox sh -c "x=a; while true; do x=$x$x; done"',
];

function arrows(text: string): string[] {
  return text.split('\n').filter((l) => /^\s*\w+(-->>|->>|-\))\w+:/.test(l));
}

describe('toMermaid', () => {
  for (const profile of PROFILES) {
    for (const lang of LANGS) {
      it(`is accepted by Mermaid's own parser (${profile}, ${lang})`, async () => {
        const trace = new Simulation(LIFECYCLE, { profile }).runToEnd();
        const text = toMermaid(trace, { lang });
        await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'sequence' });
      });
    }
  }

  it('draws one arrow per message, in step order, so autonumber equals the step', () => {
    const trace = new Simulation(LIFECYCLE.slice(0, 3)).runToEnd();
    const text = toMermaid(trace);
    const drawn = arrows(text);
    const messages = messagesOf(trace);
    expect(drawn).toHaveLength(messages.length);
    expect(drawn[0]?.trim()).toBe('User->>CLI: docker run -d --name web nginx');
    expect(text).toMatch(/^sequenceDiagram\n {4}autonumber\n {4}participant User as /);
  });

  it('keeps the seeds column order and adds the kernel last', () => {
    const text = toMermaid(new Simulation(['docker run --rm busybox true']).runToEnd());
    const order = [...text.matchAll(/participant (\w+) as/g)].map((m) => m[1]);
    expect(order).toEqual([
      'User',
      'CLI',
      'dockerd',
      'Registry',
      'containerd',
      'shim',
      'runc',
      'Storage',
      'Network',
      'Kernel',
    ]);
  });

  it('has the pull loop inside the image-missing alt, the grace-period alt, and balanced ends', () => {
    const text = toMermaid(new Simulation(LIFECYCLE.slice(0, 3)).runToEnd());
    const lines = text.split('\n').map((l) => l.trim());
    const alt = lines.findIndex((l) => l.startsWith('alt '));
    const loop = lines.findIndex((l) => l.startsWith('loop '));
    expect(alt).toBeGreaterThan(0);
    expect(loop).toBeGreaterThan(alt);
    expect(lines[alt + 1]).toMatch(/^CLI->>dockerd: POST \/v1\.50\/images\/create/);
    const grace = lines.findIndex((l) => l.startsWith('dockerd->>dockerd: grace period 2s over'));
    expect(lines[grace - 1]).toMatch(/^alt /);
    expect(lines[grace + 1]).toMatch(/^dockerd->>containerd: Tasks\.Kill\(\w+…, signal=9\)$/);
    expect(lines[grace + 2]).toBe('end');
    const opens = lines.filter((l) => /^(alt|loop|opt) /.test(l)).length;
    expect(lines.filter((l) => l === 'end')).toHaveLength(opens);
  });

  it('notes the cleanup once when a container task exits, not for an exec', () => {
    const text = toMermaid(
      new Simulation([
        'docker run -d --name sl busybox sleep 600',
        'docker exec sl true',
        'docker kill sl',
      ]).runToEnd(),
    );
    const notes = text.split('\n').filter((l) => l.trim().startsWith('Note right of containerd:'));
    expect(notes).toHaveLength(1);
    expect(text.indexOf(notes[0] ?? '?')).toBeGreaterThan(text.indexOf('docker kill sl'));
  });

  it('grows step by step: upTo n draws exactly n arrows and stays valid', async () => {
    const trace = new Simulation(LIFECYCLE.slice(0, 3)).runToEnd();
    const total = messagesOf(trace).length;
    for (const n of [0, 1, 5, 40, 41, 80, total - 1, total]) {
      const text = toMermaid(trace, { upTo: n });
      expect(arrows(text)).toHaveLength(n);
      if (n > 0) await expect(mermaid.parse(text)).resolves.toBeTruthy();
    }
  });

  it('escapes what Mermaid would read as syntax', async () => {
    expect(escapeLabel('a; b #1 <x>\nc')).toBe('a#59; b #35;1 #lt;x#gt; ⏎ c');
    const text = toMermaid(
      new Simulation(['docker run --rm busybox sh -c "echo a; echo \'<b>\' # c"']).runToEnd(),
    );
    await expect(mermaid.parse(text)).resolves.toBeTruthy();
    expect(text).toContain('#59;');
  });

  it('is byte-identical for the same seed', () => {
    const a = toMermaid(new Simulation(LIFECYCLE.slice(0, 3), { seed: 7 }).runToEnd(), { lang: 'zh-CN' });
    const b = toMermaid(new Simulation(LIFECYCLE.slice(0, 3), { seed: 7 }).runToEnd(), { lang: 'zh-CN' });
    expect(a).toBe(b);
  });
});
