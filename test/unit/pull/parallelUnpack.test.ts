// containerd's parallel unpack, as the dockstep engine pulls: layers fetched up to three at a
// time, each applied into a parentless snapshot, then committed bottom up onto the layer below.
import { describe, expect, it } from 'vitest';
import { cliOutput, goldenLines } from '../../../src/views/trace.ts';
import { Simulation } from '../../../src/sim/simulation.ts';

function run(parallelUnpack: boolean): { sim: Simulation; lines: string[] } {
  const sim = new Simulation(['docker pull redis'], { daemon: { liveRestore: false, parallelUnpack } });
  return { sim, lines: goldenLines(sim.runToEnd()) };
}

describe('a pull with parallel unpack', () => {
  it('applies the next layer before it commits the one below, and commits each onto the one below', () => {
    const { lines } = run(true);
    const at = (prefix: string): number[] => lines.flatMap((l, i) => (l.startsWith(prefix) ? [i] : []));
    const applies = at('dockerd -> containerd: Diff.Apply');
    const commits = at('dockerd -> containerd: Snapshots.Commit');
    expect(applies.length).toBe(8);
    expect(commits.length).toBe(8);
    // Layer n+1's apply is under way when layer n is committed: they overlap.
    for (let n = 0; n < 7; n++) expect(applies[n + 1] ?? Infinity).toBeLessThan(commits[n] ?? -1);
    expect(
      lines
        .filter((l) => l.startsWith('dockerd -> containerd: Snapshots.Prepare'))
        .every((l) => l.includes('parent=-, to rebase')),
    ).toBe(true);
    const committed = commits.map((i) => lines[i] ?? '');
    expect(committed[0]).toMatch(/parent=-\)$/);
    expect(committed.slice(1).every((l) => /parent=[0-9a-f]{12}\)$/.test(l))).toBe(true);
  });

  it('ends with the same chain of layers as the one-by-one pull', () => {
    const chainOf = (sim: Simulation): (string | undefined)[] =>
      sim.world.ports.snapshotter
        .list()
        .filter((s) => s.kind === 'committed')
        .map((s) => `${s.key} on ${s.parent ?? '-'}`)
        .sort();
    expect(chainOf(run(true).sim)).toEqual(chainOf(run(false).sim));
    expect(run(true).lines.at(-1)).toBe('CLI --> User: exit 0');
  });

  it('keeps no more than three downloads in flight', () => {
    const { lines } = run(true);
    let open = 0;
    let most = 0;
    for (const l of lines) {
      if (l.startsWith('dockerd -> Registry: GET') && l.includes('/blobs/') && l.endsWith('…')) open++;
      if (l.startsWith('Registry --> dockerd: 200') && open > 0) open--;
      most = Math.max(most, open);
    }
    expect(most).toBe(3);
  });
});

describe('a parallel-unpack pull that fails', () => {
  // The second layer's blob is refused: the layers' snapshots were prepared as their downloads
  // started, and none may stay behind once the pull has failed.
  function failing(): { sim: Simulation; lines: string[] } {
    const first = new Simulation(['docker pull redis'], {
      daemon: { liveRestore: false, parallelUnpack: true },
    });
    const gets = goldenLines(first.runToEnd()).filter((l) =>
      /^dockerd -> Registry: GET .*\/blobs\/sha256:[0-9a-f]{12}…$/.test(l),
    );
    const second = /\/blobs\/(sha256:[0-9a-f]{12})/.exec(gets[1] ?? '')?.[1];
    if (second === undefined) throw new Error(`no second layer request in ${gets.join('\n')}`);
    const sim = new Simulation(['docker pull redis'], {
      daemon: { liveRestore: false, parallelUnpack: true },
      faults: [{ registry: { path: `/v2/library/redis/blobs/${second}`, status: 404 } }],
    });
    return { sim, lines: goldenLines(sim.runToEnd()) };
  }

  it('prepares each layer when its download starts, then removes what it prepared and ends in unknown blob', () => {
    const { sim, lines } = failing();
    const prepares = lines.filter((l) => l.startsWith('dockerd -> containerd: Snapshots.Prepare'));
    const removes = lines.filter((l) => l.startsWith('dockerd -> containerd: Snapshots.Remove'));
    expect(prepares.length).toBeGreaterThanOrEqual(3);
    expect(removes.length).toBeGreaterThan(0);
    const active = sim.world.ports.snapshotter.list().filter((s) => s.kind === 'active');
    expect(active.map((s) => s.key)).toEqual([]);
    expect(lines.at(-1)).toBe('CLI --> User: exit 1');
    expect(cliOutput(sim.trace)).toContain('unknown blob');
  });
});
