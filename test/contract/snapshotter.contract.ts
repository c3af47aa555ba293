import { expect } from 'vitest';
import type { Mount, SnapshotInfo, Snapshotter } from '../../src/ports/snapshotter.ts';
import { defineContract, sha256, type ContractCases, type ContractOptions, type Factory } from './harness.ts';

/**
 * The snapshotter's contract (src/ports/snapshotter.ts), checked against containerd's
 * snapshotter interface and its testsuite (core/snapshots/snapshotter.go,
 * core/snapshots/testsuite/testsuite.go) and the overlayfs snapshotter's mounts
 * (plugins/snapshots/overlay/overlay.go):
 *   - `prepare` makes an *active* snapshot on a *committed* parent (or none); a key is unique;
 *   - an active snapshot without parent mounts as one writable bind of its upper dir; with
 *     parents as overlay: `lowerdir` lists the parents' dirs top (nearest parent) first,
 *     `upperdir` and `workdir` are the snapshot's own;
 *   - `commit` turns an active snapshot into a read-only committed one under a new name, which
 *     can parent others; `remove` refuses a snapshot that others depend on;
 *   - `write` copies a lower file up on its first write, and only a lower file.
 *
 * The factory must give an empty snapshotter of its own (a temporary root in real mode).
 */
/**
 * The snapshotter as the machines use it: the changes their storage effects make (prepare, apply,
 * commit, remove; a container's writes), which real mode does on disk and so may be awaited, and
 * the queries their view answers at once (stat, list, mounts, pathOf). A simulated snapshotter is
 * one as it is.
 */
export type SnapshotterAdapter = Omit<Snapshotter, 'prepare' | 'apply' | 'commit' | 'remove' | 'write'> & {
  prepare(
    key: string,
    parent: string | undefined,
    labels?: Record<string, string>,
  ): Mount[] | Promise<Mount[]>;
  apply(
    key: string,
    layer: { digest: string; diffId: string; size: number },
  ): { applied: number } | Promise<{ applied: number }>;
  commit(name: string, key: string, parent?: string): SnapshotInfo | Promise<SnapshotInfo>;
  remove(key: string): boolean | Promise<boolean>;
  write(key: string, path: string, size: number): { copiedUp: boolean } | Promise<{ copiedUp: boolean }>;
};

export interface SnapshotterContractOptions<
  A extends SnapshotterAdapter = SnapshotterAdapter,
> extends ContractOptions<A> {
  /** A layer `apply` can unpack (real mode: one whose blob the adapter can read). */
  layer?: { digest: string; diffId: string; size: number };
}

export function describeSnapshotterContract<A extends SnapshotterAdapter>(
  name: string,
  factory: Factory<A>,
  options?: SnapshotterContractOptions<A>,
): void {
  const layer = options?.layer ?? {
    digest: sha256('contract layer (tar+gzip)'),
    diffId: sha256('contract layer (tar)'),
    size: 4096,
  };
  defineContract('Snapshotter', name, factory, options, (cases) => {
    cases.group('prepare', () => prepareCases(cases));
    cases.group('commit', () => commitCases(cases));
    cases.group('parents and mounts', () => mountCases(cases));
    cases.group('mounts of committed or missing snapshots', () => viewCases(cases));
    cases.group('remove', () => removeCases(cases));
    cases.group('apply and write', () => writeCases(cases, layer));
    cases.group('read-only once committed', () => readOnlyCases(cases, layer));
  });
}

/** Whether the call fails (throws, or rejects when it is awaited). */
async function fails(call: () => unknown): Promise<boolean> {
  try {
    await call();
    return false;
  } catch {
    return true;
  }
}

/** `key=value` options of a mount, by key. */
function optionMap(mount: Mount): Map<string, string> {
  const map = new Map<string, string>();
  for (const option of mount.options) {
    const eq = option.indexOf('=');
    if (eq > 0) map.set(option.slice(0, eq), option.slice(eq + 1));
  }
  return map;
}

/** The writable directory of an active snapshot's mounts: a bind's source or overlay's upperdir. */
function upperOf(mounts: Mount[]): string | undefined {
  const [m] = mounts;
  if (mounts.length !== 1 || !m) return undefined;
  if (m.type === 'bind') return m.options.includes('rw') ? m.source : undefined;
  return m.type === 'overlay' ? optionMap(m).get('upperdir') : undefined;
}

/** overlay's lowerdir entries, top first. */
function lowersOf(mounts: Mount[]): string[] {
  const [m] = mounts;
  const lower = m && m.type === 'overlay' ? optionMap(m).get('lowerdir') : undefined;
  return lower ? lower.split(':') : [];
}

/** Prepare, write one file, commit: a committed layer. Returns the upper dir it was written in. */
async function layerOf(
  sn: SnapshotterAdapter,
  name: string,
  parent: string | undefined,
  files: string[] = [],
): Promise<string> {
  const key = `extract-${name}`;
  const upper = upperOf(await sn.prepare(key, parent));
  for (const file of files) await sn.write(key, file, 100);
  await sn.commit(name, key);
  if (upper === undefined) throw new Error(`prepare(${key}) gave no writable mount`);
  return upper;
}

const keys = (sn: SnapshotterAdapter): string[] =>
  sn
    .list()
    .map((s) => s.key)
    .sort();

function prepareCases(cases: ContractCases<SnapshotterAdapter>): void {
  cases.it('prepare without a parent makes an active snapshot', async (sn) => {
    await sn.prepare('k1', undefined);
    const info = sn.stat('k1');
    expect(info).toMatchObject({ key: 'k1', kind: 'active' });
    expect(info?.parent).toBeUndefined();
    expect(sn.list().map((s) => [s.key, s.kind])).toEqual([['k1', 'active']]);
  });

  cases.it('prepare without a parent mounts one writable dir inside the snapshot', async (sn) => {
    const mounts = await sn.prepare('k1', undefined);
    expect(mounts).toHaveLength(1);
    const upper = upperOf(mounts);
    expect(upper, JSON.stringify(mounts)).toBeDefined();
    expect(upper?.startsWith(`${sn.pathOf('k1')}/`)).toBe(true);
    expect(mounts[0]?.options).not.toContain('ro');
    expect(sn.mounts('k1')).toEqual(mounts);
  });

  cases.it('each snapshot has its own dir under the root', async (sn) => {
    await sn.prepare('k1', undefined);
    await sn.prepare('k2', undefined);
    expect(sn.root.startsWith('/')).toBe(true);
    for (const key of ['k1', 'k2']) {
      const dir = sn.stat(key)?.dir ?? '';
      expect(dir).not.toBe('');
      expect(sn.pathOf(key)).toBe(`${sn.root}/${dir}`);
    }
    expect(sn.pathOf('k1')).not.toBe(sn.pathOf('k2'));
    expect(upperOf(sn.mounts('k1'))).not.toBe(upperOf(sn.mounts('k2')));
  });

  cases.it('prepare records labels, as a copy', async (sn) => {
    const labels: Record<string, string> = { 'containerd.io/snapshot.ref': 'sha256:abc' };
    await sn.prepare('k1', undefined, labels);
    labels.added = 'after prepare';
    expect(sn.stat('k1')?.labels).toEqual({ 'containerd.io/snapshot.ref': 'sha256:abc' });
  });

  cases.it('prepare of a key that exists fails and leaves the snapshot alone', async (sn) => {
    await layerOf(sn, 'L1', undefined);
    const mounts = await sn.prepare('k1', undefined);
    expect(await fails(() => sn.prepare('k1', 'L1'))).toBe(true);
    expect(await fails(() => sn.prepare('L1', undefined))).toBe(true);
    expect(sn.stat('k1')).toMatchObject({ key: 'k1', kind: 'active' });
    expect(sn.stat('k1')?.parent).toBeUndefined();
    expect(sn.mounts('k1')).toEqual(mounts);
    expect(sn.stat('L1')?.kind).toBe('committed');
  });

  cases.it('prepare on a parent that does not exist fails and creates nothing', async (sn) => {
    expect(await fails(() => sn.prepare('k1', 'no-such-parent'))).toBe(true);
    expect(sn.stat('k1')).toBeUndefined();
    expect(sn.list()).toEqual([]);
  });

  cases.it('prepare on an active parent fails: parents must be committed', async (sn) => {
    await sn.prepare('active-parent', undefined);
    expect(await fails(() => sn.prepare('k1', 'active-parent'))).toBe(true);
    expect(sn.stat('k1')).toBeUndefined();
    expect(keys(sn)).toEqual(['active-parent']);
  });
}

function commitCases(cases: ContractCases<SnapshotterAdapter>): void {
  cases.it('commit turns the active snapshot into a committed one under its name', async (sn) => {
    await layerOf(sn, 'L1', undefined);
    await sn.prepare('k2', 'L1');
    const info = await sn.commit('L2', 'k2');
    expect(info).toMatchObject({ key: 'L2', kind: 'committed', parent: 'L1' });
    expect(sn.stat('k2')).toBeUndefined();
    expect(sn.stat('L2')).toMatchObject({ key: 'L2', kind: 'committed', parent: 'L1' });
    expect(keys(sn)).toEqual(['L1', 'L2']);
  });

  cases.it('commit keeps the snapshot’s dir and size', async (sn) => {
    await sn.prepare('k1', undefined);
    await sn.write('k1', '/etc/hostname', 300);
    const before = sn.stat('k1');
    const path = sn.pathOf('k1');
    await sn.commit('L1', 'k1');
    expect(sn.stat('L1')?.dir).toBe(before?.dir);
    expect(sn.stat('L1')?.size).toBe(before?.size);
    expect(sn.pathOf('L1')).toBe(path);
  });

  cases.it('commit of a key that does not exist fails', async (sn) => {
    expect(await fails(() => sn.commit('L1', 'no-such-key'))).toBe(true);
    expect(sn.stat('L1')).toBeUndefined();
  });

  cases.it('commit of a committed snapshot fails', async (sn) => {
    await layerOf(sn, 'L1', undefined);
    expect(await fails(() => sn.commit('L1-again', 'L1'))).toBe(true);
    expect(sn.stat('L1-again')).toBeUndefined();
    expect(sn.stat('L1')?.kind).toBe('committed');
  });

  cases.it('commit onto a name that exists fails and keeps the active snapshot', async (sn) => {
    await layerOf(sn, 'L1', undefined);
    await sn.prepare('k2', 'L1');
    expect(await fails(() => sn.commit('L1', 'k2'))).toBe(true);
    expect(sn.stat('k2')).toMatchObject({ key: 'k2', kind: 'active', parent: 'L1' });
    expect(sn.stat('L1')).toMatchObject({ key: 'L1', kind: 'committed' });
    expect(sn.stat('L1')?.parent).toBeUndefined();
  });
}

function mountCases(cases: ContractCases<SnapshotterAdapter>): void {
  cases.it(
    'a snapshot on one layer mounts overlay: lowerdir the parent, upper and work its own',
    async (sn) => {
      const u1 = await layerOf(sn, 'L1', undefined);
      const mounts = await sn.prepare('c', 'L1');
      expect(mounts).toHaveLength(1);
      expect(mounts[0]?.type).toBe('overlay');
      const options = optionMap(mounts[0] as Mount);
      expect(lowersOf(mounts)).toEqual([u1]);
      const upper = options.get('upperdir') ?? '';
      const work = options.get('workdir') ?? '';
      expect(upper.startsWith(`${sn.pathOf('c')}/`)).toBe(true);
      expect(work.startsWith(`${sn.pathOf('c')}/`)).toBe(true);
      expect(work).not.toBe(upper);
      expect(sn.stat('c')).toMatchObject({ kind: 'active', parent: 'L1' });
    },
  );

  cases.it('lowerdir lists every parent, nearest first', async (sn) => {
    const u1 = await layerOf(sn, 'L1', undefined);
    const u2 = await layerOf(sn, 'L2', 'L1');
    const u3 = await layerOf(sn, 'L3', 'L2');
    const mounts = await sn.prepare('c', 'L3');
    expect(lowersOf(mounts)).toEqual([u3, u2, u1]);
    expect(optionMap(mounts[0] as Mount).get('upperdir')).toBe(upperOf(mounts));
    expect([u1, u2, u3]).not.toContain(upperOf(mounts));
  });

  cases.it('a chain of 32 layers mounts each layer once, in order', async (sn) => {
    const uppers: string[] = [];
    let parent: string | undefined;
    for (let i = 0; i < 32; i++) {
      uppers.unshift(await layerOf(sn, `L${i}`, parent));
      parent = `L${i}`;
    }
    const lowers = lowersOf(await sn.prepare('c', parent));
    expect(lowers).toEqual(uppers);
    expect(new Set(lowers).size).toBe(32);
  });

  cases.it('siblings share their parent’s lower dirs but not their upper dirs', async (sn) => {
    const u1 = await layerOf(sn, 'L1', undefined);
    const a = await sn.prepare('a', 'L1');
    const b = await sn.prepare('b', 'L1');
    expect(lowersOf(a)).toEqual([u1]);
    expect(lowersOf(b)).toEqual([u1]);
    expect(upperOf(a)).not.toBe(upperOf(b));
    const sizeOfB = sn.stat('b')?.size;
    await sn.write('a', '/only-in-a', 10_000);
    expect(sn.stat('b')?.size).toBe(sizeOfB);
    expect(sn.stat('a')?.size).toBeGreaterThanOrEqual(10_000);
  });
}

function viewCases(cases: ContractCases<SnapshotterAdapter>): void {
  cases.it('mounts of a committed snapshot are never writable and show its own layer first', async (sn) => {
    // containerd refuses Mounts on a committed snapshot (storage.GetSnapshot: "not active");
    // an adapter that answers must answer with a read-only view whose top is the layer itself.
    const u1 = await layerOf(sn, 'L1', undefined);
    const u2 = await layerOf(sn, 'L2', 'L1');
    for (const [key, own, below] of [
      ['L1', u1, []],
      ['L2', u2, [u1]],
    ] as const) {
      let mounts: Mount[];
      try {
        mounts = sn.mounts(key);
      } catch {
        continue;
      }
      const [m] = mounts;
      expect(mounts, key).toHaveLength(1);
      expect(m?.options, key).not.toContain('rw');
      const view = m?.type === 'bind' ? [m.source] : lowersOf(mounts);
      expect(optionMap(m as Mount).has('upperdir'), key).toBe(false);
      expect(view, `${key}: ${JSON.stringify(mounts)}`).toEqual([own, ...below]);
    }
  });

  cases.it('mounts of a key that does not exist fails', async (sn) => {
    expect(await fails(() => sn.mounts('no-such-key'))).toBe(true);
  });
}

function removeCases(cases: ContractCases<SnapshotterAdapter>): void {
  cases.it('remove deletes an active snapshot', async (sn) => {
    await sn.prepare('k1', undefined);
    await sn.prepare('k2', undefined);
    expect(await sn.remove('k1')).toBe(true);
    expect(sn.stat('k1')).toBeUndefined();
    expect(await fails(() => sn.mounts('k1'))).toBe(true);
    expect(keys(sn)).toEqual(['k2']);
  });

  cases.it('remove of a key that does not exist returns false', async (sn) => {
    expect(await sn.remove('no-such-key')).toBe(false);
    await sn.prepare('k1', undefined);
    await sn.remove('k1');
    expect(await sn.remove('k1')).toBe(false);
  });

  cases.it('a committed snapshot with a child cannot be removed until the child goes', async (sn) => {
    await layerOf(sn, 'L1', undefined);
    await sn.prepare('container', 'L1');
    expect(await sn.remove('L1')).toBe(false);
    expect(sn.stat('L1')?.kind).toBe('committed');
    expect(sn.mounts('container')).toHaveLength(1);
    expect(await sn.remove('container')).toBe(true);
    expect(await sn.remove('L1')).toBe(true);
    expect(sn.list()).toEqual([]);
  });

  cases.it('an intermediate layer cannot be removed while layers above it exist', async (sn) => {
    await layerOf(sn, 'base', undefined);
    await layerOf(sn, 'mid', 'base');
    await layerOf(sn, 'top', 'mid');
    expect(await sn.remove('mid')).toBe(false);
    expect(await sn.remove('base')).toBe(false);
    expect(keys(sn)).toEqual(['base', 'mid', 'top']);
    expect(await sn.remove('top')).toBe(true);
    expect(await sn.remove('base')).toBe(false);
    expect(await sn.remove('mid')).toBe(true);
    expect(await sn.remove('base')).toBe(true);
    expect(sn.list()).toEqual([]);
  });

  cases.it('a removed key can be prepared again', async (sn) => {
    await layerOf(sn, 'L1', undefined);
    await sn.prepare('k1', undefined);
    await sn.remove('k1');
    await sn.prepare('k1', 'L1');
    expect(sn.stat('k1')).toMatchObject({ key: 'k1', kind: 'active', parent: 'L1' });
  });
}

function writeCases(
  cases: ContractCases<SnapshotterAdapter>,
  layer: { digest: string; diffId: string; size: number },
): void {
  cases.it('apply unpacks a layer into an active snapshot', async (sn) => {
    await sn.prepare('k1', undefined);
    const { applied } = await sn.apply('k1', layer);
    expect(applied).toBeGreaterThan(0);
    expect(sn.stat('k1')?.kind).toBe('active');
  });

  cases.it('apply grows the snapshot’s size', async (sn) => {
    await sn.prepare('k1', undefined);
    const before = sn.stat('k1')?.size ?? 0;
    await sn.apply('k1', layer);
    expect(sn.stat('k1')?.size).toBeGreaterThan(before);
  });

  cases.it('apply and write into a key that does not exist fail', async (sn) => {
    expect(await fails(() => sn.apply('no-such-key', layer))).toBe(true);
    expect(await fails(() => sn.write('no-such-key', '/etc/hosts', 10))).toBe(true);
    expect(sn.list()).toEqual([]);
  });

  cases.it('a write into a snapshot without parent is no copy-up and counts its bytes', async (sn) => {
    await sn.prepare('k1', undefined);
    expect(await sn.write('k1', '/etc/hosts', 1000)).toEqual({ copiedUp: false });
    expect(sn.stat('k1')?.size).toBeGreaterThanOrEqual(1000);
  });

  cases.it('the first write of a lower file copies it up, later writes do not', async (sn) => {
    await layerOf(sn, 'L1', undefined, ['/etc/hosts']);
    await sn.prepare('c', 'L1');
    expect(await sn.write('c', '/etc/hosts', 120)).toEqual({ copiedUp: true });
    expect(await sn.write('c', '/etc/hosts', 130)).toEqual({ copiedUp: false });
  });

  cases.it('a file from a deeper layer is copied up too', async (sn) => {
    await layerOf(sn, 'L1', undefined, ['/bin/sh']);
    await layerOf(sn, 'L2', 'L1', ['/etc/motd']);
    await sn.prepare('c', 'L2');
    expect(await sn.write('c', '/bin/sh', 100)).toEqual({ copiedUp: true });
  });

  cases.it('a new file that no lower layer has is not a copy-up', async (sn) => {
    await layerOf(sn, 'L1', undefined, ['/etc/hosts']);
    await sn.prepare('c', 'L1');
    expect(await sn.write('c', '/tmp/new-file', 100)).toEqual({ copiedUp: false });
  });

  cases.it('rewriting a file does not count its bytes twice', async (sn) => {
    await sn.prepare('k1', undefined);
    await sn.write('k1', '/var/log/app.log', 5000);
    const once = sn.stat('k1')?.size ?? 0;
    await sn.write('k1', '/var/log/app.log', 5000);
    expect(once).toBeGreaterThanOrEqual(5000);
    expect(sn.stat('k1')?.size).toBe(once);
  });
}

function readOnlyCases(
  cases: ContractCases<SnapshotterAdapter>,
  layer: { digest: string; diffId: string; size: number },
): void {
  cases.it('a committed snapshot is read-only: apply fails', async (sn) => {
    // containerd's diff service applies into an active snapshot's mounts; a committed one has none.
    await layerOf(sn, 'L1', undefined);
    const size = sn.stat('L1')?.size;
    expect(await fails(() => sn.apply('L1', layer))).toBe(true);
    expect(sn.stat('L1')?.size).toBe(size);
  });

  cases.it('a committed snapshot is read-only: write fails', async (sn) => {
    await layerOf(sn, 'L1', undefined);
    const size = sn.stat('L1')?.size;
    expect(await fails(() => sn.write('L1', '/etc/passwd', 10))).toBe(true);
    expect(sn.stat('L1')?.size).toBe(size);
  });
}
