import { describe, expect, it } from 'vitest';
import type { Trace } from '../../../src/model/trace.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import { messagesOf } from '../../../src/views/trace.ts';

/**
 * `docker rmi` over containerd's image store, answered as dockerd 20.10 answers (the dockstep
 * engine's daemon: imageId `config`, src/layers/dockerd/ops/imageDeleteRefs.ts): untag lines,
 * the repository's digest name with its last tag, the image id last; by id the multiple
 * repositories conflict; events carry the image id. The same operation serves the real engine.
 */
function run(lines: string[]): Trace {
  return new Simulation(lines, {
    profile: 'v29',
    daemon: { liveRestore: false, imageId: 'config' },
    setup: ['docker pull busybox'],
  }).runToEnd();
}

const out = (t: Trace, command: number, stream = 'stdout') =>
  t.entries
    .filter((e) => e.type === 'output' && e.command === command && e.stream === stream)
    .map((e) => (e.type === 'output' ? e.text : ''))
    .join('');

describe('rmi as dockerd 20.10 answers it, over containerd’s image store', () => {
  it('untags a second name only, then the last tag with its digest name and deletes the image', () => {
    const t = run(['docker tag busybox mine:1', 'docker rmi mine:1', 'docker rmi busybox']);
    expect(out(t, 1)).toBe('Untagged: mine:1\n');
    const lines = out(t, 2).trim().split('\n');
    expect(lines[0]).toBe('Untagged: busybox:latest');
    expect(lines[1]).toMatch(/^Untagged: busybox@sha256:[0-9a-f]{64}$/);
    expect(lines[2]).toMatch(/^Deleted: sha256:[0-9a-f]{64}$/);
    const deletes = messagesOf(t).filter((m) => m.op === 'ctrd.Images.Delete' && m.kind === 'request');
    expect(deletes.map((m) => m.call)).toEqual([
      'Images.Delete(docker.io/library/mine:1, sync)',
      'Images.Delete(docker.io/library/busybox:latest, sync)',
    ]);
  });

  it('refuses an id with names in two repositories unless forced, then removes every name', () => {
    const id = out(run(['docker images -q busybox']), 0).trim();
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    const t2 = run([
      'docker tag busybox mine:1',
      `docker rmi ${id}`,
      `docker rmi -f ${id}`,
      'docker images -q',
    ]);
    expect(out(t2, 1, 'stderr')).toContain(
      `conflict: unable to delete ${id} (must be forced) - image is referenced in multiple repositories`,
    );
    expect(out(t2, 2)).toMatch(
      /^Untagged: busybox:latest\nUntagged: busybox@sha256:[0-9a-f]{64}\nUntagged: mine:1\nDeleted: sha256:/,
    );
    expect(out(t2, 3)).toBe('');
  });

  it('names the image id in its untag and delete events; the digest name goes without an event', () => {
    const t = run(['docker rmi busybox']);
    const events = t.entries.flatMap((e) =>
      e.type === 'docker-event' && e.event.Type === 'image' ? [e.event] : [],
    );
    const removal = events.filter((e) => e.Action === 'untag' || e.Action === 'delete');
    expect(removal.map((e) => e.Action)).toEqual(['untag', 'delete']);
    for (const e of removal) expect(e.Actor.Attributes.name).toBe(e.Actor.ID);
  });

  it('answers an unknown name with dockerd’s words', () => {
    expect(out(run(['docker rmi nosuch']), 0, 'stderr')).toContain('No such image: nosuch:latest');
  });
});
