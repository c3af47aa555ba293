// The Storage participant's real effects: containerd's overlayfs snapshotter and diff service
// doing for real what the machine's simulated effects model (snapshots.Snapshotter,
// https://github.com/containerd/containerd/blob/main/core/snapshots/snapshotter.go). Each is done
// when the disk work is; the machine then records it and answers with what was observed: the
// snapshot's real directory, how the layer was read, whether the layer was there already.
import type {
  ApplyEvidence,
  CommitEvidence,
  PrepareEvidence,
  RemoveEvidence,
  StatEvidence,
  StorageInput,
} from '../../src/layers/storage/storageEffects.ts';
import { shortId } from '../image/digest.ts';
import { applyStoredBlob } from '../image/layer.ts';
import { sessionEffect, type RealSession, type SessionFinder } from './session.ts';
import { snapshotChanges } from './snapshotChanges.ts';
import { onContainerRootfs, statInRoot } from './rootfsStat.ts';
import type { RealTasks } from './tasks.ts';

function dirOf(session: RealSession, key: string): string {
  return String(session.root.snapshots.stat(key)?.id ?? '?');
}

async function prepare(session: RealSession, p: StorageInput): Promise<PrepareEvidence> {
  const key = session.realKey(p.key);
  const mounts = await session.root.snapshots.prepare(
    key,
    p.parent,
    p.parent === undefined ? {} : { 'containerd.io/snapshot.parent': p.parent },
  );
  return {
    root: session.root.snapshots.root,
    dir: dirOf(session, key),
    upper: 'fs',
    mounts: mounts.map((m) => ({ type: m.type, source: m.source, options: [...m.options] })),
  };
}

async function apply(session: RealSession, p: StorageInput): Promise<ApplyEvidence> {
  if (!p.layer) throw new Error(`apply ${p.key}: no layer given`);
  const key = session.realKey(p.key);
  const path = session.root.snapshots.fsPath(key);
  const id = shortId(p.layer.digest);
  session.layerOf.set(p.key, p.layer.digest);
  session.progress({ kind: 'layer', id, status: 'Extracting', current: 0, total: p.layer.size });
  const result = await applyStoredBlob(session.root, p.layer, path);
  session.progress({ kind: 'layer', id, status: 'Extracting', current: p.layer.size, total: p.layer.size });
  return { path, detail: `${result.gzip ? 'gzip, ' : ''}${result.size} bytes, diff id checked` };
}

async function commit(session: RealSession, p: StorageInput): Promise<CommitEvidence> {
  const key = session.realKey(p.key);
  const name = p.name ?? key;
  const snapshots = session.root.snapshots;
  // Held before it is committed or found, so no collection runs between the two.
  session.holdSnapshot(name);
  // Another operation is committing the same layer: its answer decides.
  await snapshots.committing(name)?.catch(() => undefined);
  // Another operation committed the same layer first: containerd's unpacker takes AlreadyExists as done.
  if (snapshots.stat(name)?.kind === 'committed') {
    await snapshots.remove(key);
    return { path: `${snapshots.root}/${dirOf(session, name)}`, reused: true };
  }
  const path = `${snapshots.root}/${dirOf(session, key)}`;
  // A layer unpacked on its own is rebased onto the one below it as it is committed.
  await snapshots.commit(name, key, p.parent === undefined ? {} : { parent: p.parent });
  const layer = session.layerOf.get(p.key);
  if (layer !== undefined) session.progress({ kind: 'layer', id: shortId(layer), status: 'Pull complete' });
  return { path, reused: false };
}

async function remove(session: RealSession, p: StorageInput): Promise<RemoveEvidence> {
  const key = session.realKey(p.key);
  const path = `${session.root.snapshots.root}/${dirOf(session, key)}`;
  await session.root.snapshots.remove(key);
  return { path, removed: true };
}

/** Where a container's root file system is: its running task's, or its snapshot mounted under `scratch`. */
export interface RootfsPlace {
  tasks: RealTasks | undefined;
  scratch: string;
}

/**
 * One path's lstat in the snapshot's mounted root with its mount points bound in it (rootfsStat.ts):
 * a running container's rootfs as it is (a snapshot's key is its container's id), any other
 * snapshot mounted for the lookup.
 */
function statPath(place: RootfsPlace) {
  return async (session: RealSession, p: StorageInput): Promise<StatEvidence> => {
    const key = session.realKey(p.key);
    if (session.root.snapshots.stat(key) === undefined) throw new Error(`snapshot ${p.key}: not found`);
    // Bound shallowest first, as dockerd sorts its mount points (cpMounts.ts).
    const depth = (m: { destination: string }) => m.destination.split('/').filter(Boolean).length;
    const mounts = [...(p.mounts ?? [])].sort((a, b) => depth(a) - depth(b));
    const target = { id: key, key, mounts };
    return onContainerRootfs(session.root, place.tasks, place.scratch, target, (rootfs) =>
      Promise.resolve({ stat: statInRoot(rootfs, p.path ?? '/')?.stat ?? null, rootfs }),
    );
  };
}

/** The storage machine's effects, real: the same names as the simulated ones (storageEffects.ts). */
export function realStorageEffects(sessionOf: SessionFinder, place: RootfsPlace) {
  return {
    prepareSnapshot: sessionEffect(sessionOf, prepare),
    applyLayer: sessionEffect(sessionOf, apply),
    commitSnapshot: sessionEffect(sessionOf, commit),
    removeSnapshot: sessionEffect(sessionOf, remove),
    diffSnapshot: sessionEffect(sessionOf, snapshotChanges),
    statPath: sessionEffect(sessionOf, statPath(place)),
  };
}
