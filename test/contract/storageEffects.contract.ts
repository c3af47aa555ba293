import { expect } from 'vitest';
import { createActor, toPromise, type AnyActorLogic } from 'xstate';
import type {
  ApplyEvidence,
  CommitEvidence,
  PrepareEvidence,
  RemoveEvidence,
  StatEvidence,
  StorageInput,
} from '../../src/layers/storage/storageEffects.ts';
import type { Snapshotter } from '../../src/ports/snapshotter.ts';
import { defineContract, type ContractOptions, type Factory } from './harness.ts';

/**
 * The storage driver's effects (src/layers/storage/storageEffects.ts): the actors the Storage
 * machine invokes for `storage.prepare|apply|commit|remove`, simulated (settled at once on the
 * simulated snapshotter) or real (engine/real/storage.ts, on the engine's overlay snapshotter).
 * Both must bring back the same evidence for the same requests, since the machine builds its
 * replies — the trace — from it:
 *   - prepare: where the snapshot lives (`root`/`dir`), its upper dir, and its mounts (a
 *     parentless active snapshot is one writable bind of its upper dir); a key is taken once;
 *   - apply: the directory the layer went into, inside the prepared snapshot; no apply into a
 *     key that was never prepared;
 *   - commit: the committed directory, or `reused` when the name is committed already (another
 *     pull unpacked the same layer first: containerd's unpacker takes AlreadyExists as done);
 *   - remove: a leaf goes; a parent of another snapshot does not;
 *   - stat: one path's lstat in the snapshot's root, its parents' files under its own (moby
 *     container/archive.go StatPath: base name, size, Go's mode bits, RFC 3339 mtime, a link's
 *     target inside the root); nothing there is no stat, not an error; a link is followed with
 *     the root as `/` and never climbs out of it (pkg/symlink FollowSymlinkInScope).
 */
export interface StorageEffectsAdapter {
  effects: Record<
    'prepareSnapshot' | 'applyLayer' | 'commitSnapshot' | 'removeSnapshot' | 'statPath',
    AnyActorLogic
  >;
  /** The driver the simulated effects work on (real ones ignore it and use the engine's). */
  sn: Snapshotter;
  /** A layer `apply` can unpack (real: its blob is in the content store). */
  layer: { digest: string; diffId: string; size: number };
  /** Where a snapshot's key lives now, in the adapter's own terms (for the checks). */
  exists(key: string): boolean;
  /** A file written into an active snapshot (mode 0644, its directories 0755), as a process would. */
  writeFile(key: string, path: string, data: string): void;
  /** A symlink made in an active snapshot (an adapter whose driver has none skips the link case). */
  link(key: string, path: string, target: string): void;
}

let requests = 0;

async function run<T>(
  a: StorageEffectsAdapter,
  effect: keyof StorageEffectsAdapter['effects'],
  p: Omit<StorageInput, 'requestId' | 'sn' | 'driver'>,
): Promise<T> {
  const input: StorageInput = { ...p, driver: 'overlayfs', requestId: ++requests, sn: a.sn };
  // Heard before it starts: a simulated effect is done (or failed) as it starts.
  const actor = createActor(a.effects[effect], { input });
  const outcome = toPromise(actor);
  actor.start();
  return (await outcome) as T;
}

export function describeStorageEffectsContract<A extends StorageEffectsAdapter>(
  name: string,
  factory: Factory<A>,
  options?: ContractOptions<A>,
): void {
  defineContract('Storage effects', name, factory, options, (cases) => {
    cases.it('prepare: evidence names the snapshot, a writable bind of its upper dir', async (a) => {
      const e = await run<PrepareEvidence>(a, 'prepareSnapshot', { key: 'extract-1' });
      expect(e.root).not.toBe('');
      expect(e.dir).not.toBe('');
      expect(e.mounts).toHaveLength(1);
      expect(e.mounts[0]).toMatchObject({ type: 'bind', source: `${e.root}/${e.dir}/${e.upper}` });
      expect(a.exists('extract-1')).toBe(true);
    });
    cases.it('prepare: a key is taken once', async (a) => {
      await run(a, 'prepareSnapshot', { key: 'extract-1' });
      await expect(run(a, 'prepareSnapshot', { key: 'extract-1' })).rejects.toThrow(/extract-1/);
    });
    cases.it('apply: the layer goes into the prepared snapshot; never into a key not prepared', async (a) => {
      const prepared = await run<PrepareEvidence>(a, 'prepareSnapshot', { key: 'extract-1' });
      const applied = await run<ApplyEvidence>(a, 'applyLayer', { key: 'extract-1', layer: a.layer });
      expect(applied.path.startsWith(`${prepared.root}/${prepared.dir}`)).toBe(true);
      await expect(run(a, 'applyLayer', { key: 'never-prepared', layer: a.layer })).rejects.toThrow();
    });
    commitCases(cases);
    statCases(cases);
  });
}

type Cases = Parameters<Parameters<typeof defineContract<StorageEffectsAdapter>>[4]>[0];

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const DIR = 2 ** 31;
const SYMLINK = 2 ** 27;

/** A committed layer with /data/a.txt under an active snapshot `c1` that wrote /data/b.txt. */
async function twoLayers(a: StorageEffectsAdapter): Promise<void> {
  const chain = 'sha256:' + 'd'.repeat(64);
  await run(a, 'prepareSnapshot', { key: 'extract-1' });
  a.writeFile('extract-1', '/data/a.txt', 'hello\n');
  await run(a, 'commitSnapshot', { key: 'extract-1', name: chain });
  await run(a, 'prepareSnapshot', { key: 'c1', parent: chain });
  a.writeFile('c1', '/data/b.txt', 'hi\n');
}

const stat = async (a: StorageEffectsAdapter, path: string) =>
  (await run<StatEvidence>(a, 'statPath', { key: 'c1', path })).stat;

function statCases(cases: Cases): void {
  cases.it('stat: a file of a lower layer, one of its own, a directory and the root', async (a) => {
    await twoLayers(a);
    const lower = await stat(a, '/data/a.txt');
    expect(lower).toMatchObject({ name: 'a.txt', size: 6, linkTarget: '' });
    expect(lower?.mode).toBe(0o644);
    expect(lower?.mtime).toMatch(RFC3339);
    expect(await stat(a, 'data/b.txt')).toMatchObject({ name: 'b.txt', size: 3, mode: 0o644 });
    const dir = await stat(a, '/data');
    expect(dir?.name).toBe('data');
    expect(Math.floor((dir?.mode ?? 0) / DIR) % 2).toBe(1);
    expect((dir?.mode ?? 0) % 0o1000).toBe(0o755);
    expect((await stat(a, '/'))?.name).toBe('/');
  });
  cases.it('stat: nothing there is no stat, not an error; an unknown snapshot is refused', async (a) => {
    await twoLayers(a);
    expect(await stat(a, '/nosuch')).toBeNull();
    expect(await stat(a, '/data/a.txt/below-a-file')).toBeNull();
    await expect(run(a, 'statPath', { key: 'never-prepared', path: '/' })).rejects.toThrow(/never-prepared/);
  });
  cases.it('stat: a link is followed inside the root, never out of it', async (a) => {
    await twoLayers(a);
    a.link('c1', '/data/abs', '/data/a.txt');
    a.link('c1', '/data/up', '../../../../etc');
    const abs = await stat(a, '/data/abs');
    expect(abs).toMatchObject({ name: 'abs', linkTarget: '/data/a.txt' });
    expect(Math.floor((abs?.mode ?? 0) / SYMLINK) % 2).toBe(1);
    expect((await stat(a, '/data/up'))?.linkTarget).toBe('/etc');
    // The host's /etc/passwd is not the container's: the link climbs no higher than its root.
    expect(await stat(a, '/data/up/passwd')).toBeNull();
    expect(await stat(a, '/data/up/../data/b.txt')).toMatchObject({ name: 'b.txt', size: 3 });
  });
}

function commitCases(cases: Cases): void {
  const chain = 'sha256:' + 'c'.repeat(64);
  cases.it('commit: under its name; a second commit of that name reuses it and drops its own', async (a) => {
    await run(a, 'prepareSnapshot', { key: 'extract-1' });
    await run(a, 'applyLayer', { key: 'extract-1', layer: a.layer });
    const first = await run<CommitEvidence>(a, 'commitSnapshot', { key: 'extract-1', name: chain });
    expect(first.reused).toBe(false);
    expect(a.exists(chain)).toBe(true);
    await run(a, 'prepareSnapshot', { key: 'extract-2' });
    await run(a, 'applyLayer', { key: 'extract-2', layer: a.layer });
    const second = await run<CommitEvidence>(a, 'commitSnapshot', { key: 'extract-2', name: chain });
    expect(second).toMatchObject({ reused: true, path: first.path });
    expect(a.exists('extract-2')).toBe(false);
  });
  cases.it('remove: a leaf goes, a parent stays', async (a) => {
    await run(a, 'prepareSnapshot', { key: 'extract-1' });
    await run(a, 'commitSnapshot', { key: 'extract-1', name: chain });
    await run(a, 'prepareSnapshot', { key: 'child', parent: chain });
    const parent: RemoveEvidence | Error = await run<RemoveEvidence>(a, 'removeSnapshot', {
      key: chain,
    }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    // Refused (containerd: FailedPrecondition) or kept (dockerd's layer store, which counts references).
    if (!(parent instanceof Error)) expect(parent.removed).toBe(false);
    expect(a.exists(chain)).toBe(true);
    const leaf = await run<RemoveEvidence>(a, 'removeSnapshot', { key: 'child' });
    expect(leaf.removed).toBe(true);
    expect(a.exists('child')).toBe(false);
  });
}
