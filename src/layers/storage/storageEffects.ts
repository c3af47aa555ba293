import type { Mount, Snapshotter } from '../../ports/snapshotter.ts';
import { settled } from '../effect.ts';
import { modeText, simPathStat, type PathStat } from './pathStat.ts';

/**
 * The storage driver's effects (see ../effect.ts): what each snapshot operation does to the
 * disk, and the evidence it brings back. The simulation's come from the simulated snapshotter;
 * real mode provides its own under the same names (engine/real/storage.ts).
 *
 * Each effect gets the request it serves (`requestId`, which a real adapter uses to find the
 * operation the request belongs to) and the payload's fields.
 */
export interface StoragePayload {
  driver: 'overlayfs' | 'overlay2';
  key: string;
  parent?: string;
  name?: string;
  layer?: { digest: string; diffId: string; size: number };
  target?: string;
  /** Files written into an active snapshot (a build step's COPY, a WORKDIR's mkdir). */
  files?: { path: string; size: number }[];
  /** The path `storage.stat` looks up in the snapshot's root. */
  path?: string;
  /** The container's mount points, bound over the root before the lookup (dockerd's mountVolumes). */
  mounts?: { source: string; destination: string; rw: boolean }[];
}

export type StorageInput = StoragePayload & {
  requestId: number;
  /** The simulated driver the payload names (real effects use the engine's own). */
  sn: Snapshotter;
};

/** Where the new snapshot lives: `${root}/${dir}` with its upper and work dirs, and its mounts. */
export interface PrepareEvidence {
  root: string;
  dir: string;
  upper: 'fs' | 'diff';
  mounts: Mount[];
}

/** The directory the layer went into and, where known, how it was read (`gzip, 3145728 bytes, diff id checked`). */
export interface ApplyEvidence {
  path: string;
  detail?: string;
}

/** The committed directory, or that the layer was there already (another pull committed it first). */
export interface CommitEvidence {
  path: string;
  reused: boolean;
}

/**
 * A snapshot's changes (`storage.diff`): the paths written in its upper dir and their sizes; real
 * mode also gives each one's kind as Docker's Changes does (0 changed, 1 added, 2 deleted: moby
 * pkg/archive/changes.go) and the directory it walked. `whole`: an image layer whose files are
 * not modelled, only its size (docker save's layer.tar).
 */
export interface DiffEvidence {
  changes: { path: string; size: number; kind?: number }[];
  bytes: number;
  whole: boolean;
  walked?: string;
}

/**
 * One path's lstat in a snapshot's mounted root (`storage.stat`), links followed inside that
 * root, never out of it: the stat, or none when nothing is there. Real mode also names the
 * root it looked in (the running container's rootfs, or the snapshot mounted for the lookup).
 */
export interface StatEvidence {
  stat: PathStat | null;
  rootfs?: string;
}

/** The directory, and whether it went (a parent of another snapshot stays). */
export interface RemoveEvidence {
  path: string;
  removed: boolean;
}

export const simStorageEffects = {
  prepareSnapshot: settled(({ sn, key, parent }: StorageInput): PrepareEvidence => {
    const mounts = sn.prepare(key, parent);
    return {
      root: sn.root,
      dir: sn.stat(key)?.dir ?? '',
      upper: sn.name === 'overlay2' ? 'diff' : 'fs',
      mounts,
    };
  }),
  applyLayer: settled(({ sn, key, layer }: StorageInput): ApplyEvidence => {
    if (!layer) throw new Error(`apply ${key}: no layer given`);
    sn.apply(key, layer);
    return { path: sn.pathOf(key) };
  }),
  commitSnapshot: settled(({ sn, key, name, parent }: StorageInput): CommitEvidence => {
    // A layer is registered once: dockerd's layer store and containerd's unpacker (which
    // takes AlreadyExists as done) keep the committed one and drop the new directory.
    if (name !== undefined && sn.stat(name)?.kind === 'committed' && sn.stat(key)?.kind === 'active') {
      sn.remove(key);
      return { path: sn.pathOf(name), reused: true };
    }
    const info = sn.commit(name ?? key, key, parent);
    return { path: `${sn.root}/${info.dir}`, reused: false };
  }),
  removeSnapshot: settled(({ sn, key }: StorageInput): RemoveEvidence => {
    const path = sn.pathOf(key);
    return { path, removed: sn.remove(key) };
  }),
  /** overlay2's Diff and Changes: what the upper dir holds; nothing in it means an empty layer. */
  diffSnapshot: settled(({ sn, key }: StorageInput): DiffEvidence => {
    const changes = sn.changes(key);
    const info = sn.stat(key);
    const whole = changes.length === 0 && info?.kind === 'committed' && info.size > 0;
    const bytes = whole ? info.size : changes.reduce((n, f) => n + f.size, 0);
    return { changes, bytes, whole };
  }),
  /** One path's lstat in the snapshot's root, from what the simulated driver holds. */
  statPath: settled(({ sn, key, path }: StorageInput): StatEvidence => {
    if (sn.stat(key) === undefined) throw new Error(`snapshot ${key}: not found`);
    return { stat: simPathStat(sn, key, path ?? '/') ?? null };
  }),
};

/** The call a storage reply names, from the effect's evidence. */
export const storageCalls = {
  prepare: (e: PrepareEvidence): string => `mkdir ${e.root}/${e.dir}/{${e.upper},work}`,
  apply: (p: StoragePayload, e: ApplyEvidence): string =>
    `untar ${(p.layer?.digest ?? '').slice(7, 19)}${e.detail ? ` (${e.detail})` : ''} → ${e.path}`,
  commit: (p: StoragePayload, e: CommitEvidence): string =>
    e.reused ? `layer ${(p.name ?? '').slice(7, 19)}… exists: reuse it` : `committed ${e.path} (read-only)`,
  remove: (e: RemoveEvidence): string => (e.removed ? `rm -rf ${e.path}` : `kept ${e.path}: still a parent`),
  diff: (path: string, e: DiffEvidence): string =>
    e.walked !== undefined
      ? `walk ${e.walked} against its lower dirs: ${e.changes.length} change(s)`
      : e.whole
        ? `tar ${path}: the whole layer, ${e.bytes} bytes`
        : `tar ${path}: ${e.changes.length} entries, ${e.bytes} bytes`,
  stat: (path: string, e: StatEvidence): string => {
    const where = e.rootfs === undefined ? '' : ` in ${e.rootfs}`;
    if (e.stat === null) return `lstat ${path}${where}: no such file or directory`;
    const link = e.stat.linkTarget === '' ? '' : ` → ${e.stat.linkTarget}`;
    return `lstat ${path}${where}: ${modeText(e.stat.mode)} ${e.stat.size} bytes${link}`;
  },
};
