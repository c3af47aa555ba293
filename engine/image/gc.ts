// The garbage collector of an image root: containerd's mark and sweep
// (https://github.com/containerd/containerd/blob/main/core/metadata/gc.go,
// https://github.com/containerd/containerd/blob/main/docs/garbage-collection.md) over this
// root's three stores, so that what no image needs goes however it stopped being needed (a
// name removed, a name moved to another image, a failed pull, a crash).
//
//   roots       every image name; every leased id (containerd: a lease's content and
//               snapshots); every snapshot that is not committed (an unpack or a container
//               writing into it: containerd holds those by a lease or a container record);
//               a snapshot labelled `containerd.io/gc.root`.
//   references  an image → its target, manifest, config and layer blobs (containerd finds a
//               target's children through the `containerd.io/gc.ref.content.*` labels its
//               image handlers set; this store keeps them in the record) and its layers'
//               chain ids (containerd: the config's `containerd.io/gc.ref.snapshot.overlayfs`);
//               a snapshot → its parent, and what its `containerd.io/gc.ref.*` labels name.
//   sweep       every committed snapshot and every blob that nothing marked, children before
//               parents, each checked again just before it goes: a lease taken or an image
//               stored while the sweep runs makes it mark again.
//
// The work is linear in the number of blobs and snapshots: each is marked at most once, and a
// snapshot is removed once its last child is (the snapshotter's child index, no scans).
import { referencesOf, type ImageRecord } from './store/imageStore.ts';
import type { OverlaySnapshotter } from './snapshot/overlay.ts';
import type { ContentStore } from './content/store.ts';

export interface Collected {
  blobs: string[];
  snapshots: string[];
}

/** What a collection reads: the stores, the leases, and versions that say when to mark again. */
export interface Collectable {
  readonly content: ContentStore;
  readonly snapshots: OverlaySnapshotter;
  images(): readonly ImageRecord[];
  leasedIds(): Iterable<string>;
  /** Changes whenever something may have become referenced (a lease, an image, a snapshot). */
  version(): string;
}

export interface Marked {
  blobs: Set<string>;
  snapshots: Set<string>;
}

const GC_ROOT = 'containerd.io/gc.root';
const REF_CONTENT = 'containerd.io/gc.ref.content';
const REF_SNAPSHOT = 'containerd.io/gc.ref.snapshot.';

/** Everything reachable from the roots. */
export function mark(from: Collectable): Marked {
  const marked: Marked = { blobs: new Set(), snapshots: new Set() };
  const pending: string[] = [];
  const snapshot = (key: string): void => {
    if (marked.snapshots.has(key)) return;
    marked.snapshots.add(key);
    pending.push(key);
  };
  for (const record of from.images()) {
    const refs = referencesOf(record);
    refs.blobs.forEach((b) => marked.blobs.add(b));
    refs.snapshots.forEach(snapshot);
  }
  // A lease names digests and snapshot keys alike; holding a name that is not there is harmless.
  for (const id of from.leasedIds()) {
    marked.blobs.add(id);
    if (from.snapshots.stat(id) !== undefined) snapshot(id);
  }
  for (const s of from.snapshots.list())
    if (s.kind !== 'committed' || s.labels[GC_ROOT] !== undefined) snapshot(s.key);
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
    const info = from.snapshots.stat(key);
    if (info === undefined) continue;
    if (info.parent !== undefined) snapshot(info.parent);
    for (const [label, value] of Object.entries(info.labels)) {
      if (label.startsWith(REF_CONTENT)) marked.blobs.add(value);
      else if (label.startsWith(REF_SNAPSHOT)) snapshot(value);
    }
  }
  return marked;
}

/** Marks once, and again only when the world may have gained a reference since. */
function marker(from: Collectable): () => Marked {
  let version = from.version();
  let marked = mark(from);
  return () => {
    if (from.version() !== version) {
      version = from.version();
      marked = mark(from);
    }
    return marked;
  };
}

async function sweepSnapshots(from: Collectable, marks: () => Marked): Promise<string[]> {
  const { snapshots } = from;
  const doomed = (key: string): boolean =>
    !marks().snapshots.has(key) &&
    snapshots.stat(key)?.kind === 'committed' &&
    snapshots.children(key).length === 0;
  // Leaves first; a parent becomes a leaf when its last child goes.
  const ready = snapshots
    .list()
    .filter((s) => doomed(s.key))
    .map((s) => s.key);
  const removed: string[] = [];
  for (let key = ready.pop(); key !== undefined; key = ready.pop()) {
    if (!doomed(key)) continue;
    const parent = snapshots.stat(key)?.parent;
    await snapshots.remove(key);
    removed.push(key);
    if (parent !== undefined && doomed(parent)) ready.push(parent);
  }
  return removed;
}

async function sweepBlobs(from: Collectable, marks: () => Marked): Promise<string[]> {
  const removed: string[] = [];
  for (const blob of await from.content.list()) {
    if (marks().blobs.has(blob.digest)) continue;
    if (await from.content.delete(blob.digest)) removed.push(blob.digest);
  }
  return removed;
}

/** One collection: mark, then sweep snapshots and blobs. */
export async function collect(from: Collectable): Promise<Collected> {
  const marks = marker(from);
  const snapshots = await sweepSnapshots(from, marks);
  const blobs = await sweepBlobs(from, marks);
  return { blobs, snapshots };
}
