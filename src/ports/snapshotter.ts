/**
 * Snapshotter: the file systems of images and containers, modelled on containerd's
 * snapshotter interface (https://github.com/containerd/containerd/blob/main/core/snapshots/snapshotter.go)
 * and Docker's overlay2 graphdriver, which have the same shape.
 *
 * Lifecycle: `prepare(key, parent)` creates an *active* snapshot (a writable upper dir on top of
 * the parent's committed layers) and returns the mounts to use it; a layer tarball is applied
 * into it; `commit(name, key)` freezes it into a *committed* snapshot named by its chain id,
 * which becomes a read-only lower dir for the next layer and for containers. A container's
 * root file system is one more active snapshot on top of the image's top layer; `remove` deletes
 * a snapshot that nothing depends on.
 *
 * Glossary: *chain id* — the digest naming a stack of layers (OCI image spec, "ChainID");
 * *diff id* — sha256 of an uncompressed layer tar; *upper/lower/work dir* — overlayfs's layers
 * (https://docs.kernel.org/filesystems/overlayfs.html); *whiteout* — a 0/0 character device
 * that hides a lower file; *opaque dir* — a directory whose lower contents are hidden.
 */
export type SnapshotKind = 'active' | 'committed' | 'view';

export interface Mount {
  type: string;
  source: string;
  target?: string;
  options: string[];
}

export interface SnapshotInfo {
  key: string;
  parent?: string;
  kind: SnapshotKind;
  /** Numeric directory under the snapshotter root, as containerd's overlayfs names them. */
  dir: string;
  size: number;
  labels: Record<string, string>;
}

export interface Snapshotter {
  readonly name: string;
  readonly root: string;
  prepare(key: string, parent: string | undefined, labels?: Record<string, string>): Mount[];
  /** Apply a layer diff into an active snapshot (containerd's diff service, overlay2's ApplyDiff). */
  apply(key: string, layer: { digest: string; diffId: string; size: number }): { applied: number };
  /** With `parent`, the snapshot is rebased onto it as it is committed (a layer unpacked on its own). */
  commit(name: string, key: string, parent?: string): SnapshotInfo;
  mounts(key: string): Mount[];
  remove(key: string): boolean;
  stat(key: string): SnapshotInfo | undefined;
  list(): SnapshotInfo[];
  /** Record a write into an active snapshot's upper dir (copy-up on first write of a lower file). */
  write(key: string, path: string, size: number): { copiedUp: boolean };
  /**
   * What a snapshot's own layer holds (an active one's upper dir, a committed one's diff): the diff that committing a container (`docker
   * commit`, a legacy build step) or exporting a build result tars up. Empty: an empty layer.
   */
  changes(key: string): { path: string; size: number }[];
  /** The snapshot's directory on disk, for narration and the inspector. */
  pathOf(key: string): string;
}
