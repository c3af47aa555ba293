import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/simulation.ts';
import { messagesOf } from '../../../src/views/trace.ts';
import { labelLines, parseStatements } from '../../../site/components/diagramAppend.ts';
import { screenText } from '../../../site/components/diagramChunks.ts';
import { heldNote, liveArrows } from '../../../site/live/liveMermaid.ts';

describe('statements appended to a drawing', () => {
  it('reads arrows of every kind, notes and numbering', () => {
    expect(
      parseStatements([
        '    CLI->>dockerd: HEAD /_ping',
        '    dockerd-->>CLI: 200 OK',
        '    Kernel-)shim: write(1, "a#59;b")',
        '    dockerd->>dockerd: list containers<br/>from memory',
        '    autonumber 229',
        '    Note right of dockerd: listing containers',
        '    Note over User,Kernel: command: docker ps',
      ]),
    ).toEqual([
      { kind: 'arrow', from: 'CLI', to: 'dockerd', dashed: false, head: 'arrowhead', lines: ['HEAD /_ping'] },
      { kind: 'arrow', from: 'dockerd', to: 'CLI', dashed: true, head: 'arrowhead', lines: ['200 OK'] },
      {
        kind: 'arrow',
        from: 'Kernel',
        to: 'shim',
        dashed: false,
        head: 'filled-head',
        lines: ['write(1, "a;b")'],
      },
      {
        kind: 'arrow',
        from: 'dockerd',
        to: 'dockerd',
        dashed: false,
        head: 'arrowhead',
        lines: ['list containers', 'from memory'],
      },
      { kind: 'number', next: 229 },
      { kind: 'note', at: 'right', cols: ['dockerd'], lines: ['listing containers'] },
      { kind: 'note', at: 'over', cols: ['User', 'Kernel'], lines: ['command: docker ps'] },
    ]);
  });

  it('leaves blocks to Mermaid: a loop, an alt or an end is not appended', () => {
    for (const line of [
      '    loop for each of 7 layers',
      '    alt image not found locally',
      '    end',
      '    rect rgb(1,2,3)',
    ])
      expect(parseStatements(['    CLI->>dockerd: HEAD /_ping', line])).toBeUndefined();
  });

  it('decodes the entities and line breaks of a label', () => {
    expect(labelLines('1#35;1: #lt;x#gt;<br/>next')).toEqual(['1#1: <x>', 'next']);
  });
});

describe('what a typed command adds', () => {
  it('appends what a docker run gains while docker ps runs, and draws docker ps, without Mermaid', () => {
    const before = new Simulation(['docker run -d --name web nginx'], { seed: 1, profile: 'v29' }).runToEnd();
    const after = new Simulation(['docker run -d --name web nginx', 'docker ps'], {
      seed: 1,
      profile: 'v29',
    }).runToEnd();
    const [run = 0, ps = 1] = [...new Set(messagesOf(after).map((m) => m.command))];
    const old = screenText(before, 'en', run);
    const grown = screenText(after, 'en', run);
    expect(grown.startsWith(old)).toBe(true);
    const added = parseStatements(grown.slice(old.length).split('\n'));
    expect(added?.filter((s) => s.kind === 'arrow').length).toBeGreaterThan(0);
    const body = screenText(after, 'en', ps)
      .split('\n')
      .filter((l) => !/^\s*(sequenceDiagram|participant )/.test(l));
    expect(parseStatements(body)?.[0]).toEqual({
      kind: 'number',
      next: messagesOf(after).find((m) => m.command === ps)?.seq,
    });
  });
});

describe('the live diagram’s appended lines', () => {
  it('numbers messages by their step, again after a gap, and notes the held message', () => {
    const all = messagesOf(
      new Simulation(['docker run -d --name web nginx'], { seed: 1, profile: 'v29' }).runToEnd(),
    );
    const picked = [all[4], all[5], all[8]].filter((m) => m !== undefined);
    const lines = liveArrows(picked, all[3]?.seq ?? -1);
    expect(lines.filter((l) => l.includes('autonumber'))).toEqual([`    autonumber ${all[8]?.seq}`]);
    expect(parseStatements(lines)?.length).toBe(4);
    const note = heldNote({ from: 'shim', to: 'runc' } as Parameters<typeof heldNote>[0], 'runc create');
    expect(parseStatements([note])).toEqual([
      { kind: 'note', at: 'over', cols: ['shim', 'runc'], lines: ['⏸ runc create'] },
    ]);
  });
});
