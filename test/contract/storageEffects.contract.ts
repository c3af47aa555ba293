import { expect } from 'vitest';
import { createActor, toPromise, type AnyActorLogic } from 'xstate';
import type {
  ApplyEvidence,
  CommitEvidence,
  PrepareEvidence,
  RemoveEvidence,
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
 *   - remove: a leaf goes; a parent of another snapshot does not.
 */
export interface StorageEffectsAdapter {
  effects: Record<'prepareSnapshot' | 'applyLayer' | 'commitSnapshot' | 'removeSnapshot', AnyActorLogic>;
  /** The driver the simulated effects work on (real ones ignore it and use the engine's). */
  sn: Snapshotter;
  /** A layer `apply` can unpack (real: its blob is in the content store). */
  layer: { digest: string; diffId: string; size: number };
  /** Where a snapshot's key lives now, in the adapter's own terms (for the checks). */
  exists(key: string): boolean;
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
  });
}

function commitCases(
  cases: Parameters<Parameters<typeof defineContract<StorageEffectsAdapter>>[4]>[0],
): void {
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
