// One path's stat in a container's root file system, as dockerd answers it to `docker cp` (moby
// v20.10.24 container/archive.go StatPath): lstat of the path resolved inside the root with its
// links followed there, the last one kept (pkg/symlink FollowSymlinkInScope: rootPath.ts), and a
// link's target resolved the same way, made absolute inside the root. Go's os.FileMode bits and
// time.RFC3339Nano, in the field order of dockerd's X-Docker-Container-Path-Stat JSON. The root is
// the running container's mounted rootfs, or its snapshot mounted for the moment, with its mount
// points bound in it (cpMounts.ts) as dockerd's mountVolumes does before it looks.
import { lstatSync, type BigIntStats } from 'node:fs';
import { mkdir, mkdtemp, rmdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { GO_MODE, type PathStat } from '../../src/layers/storage/pathStat.ts';
import type { ImageRoot } from '../image/root.ts';
import { mountAll, unmount } from '../image/snapshot/mount.ts';
import { withMountPoints, type CpMount } from './cpMounts.ts';
import { resolveInRootSync } from './rootPath.ts';
import type { RealTasks } from './tasks.ts';

function goMode(s: BigIntStats): number {
  const mode = Number(s.mode);
  let out = mode & 0o777;
  if (mode & 0o4000) out += GO_MODE.setuid;
  if (mode & 0o2000) out += GO_MODE.setgid;
  if (mode & 0o1000) out += GO_MODE.sticky;
  if (s.isDirectory()) out += GO_MODE.dir;
  else if (s.isSymbolicLink()) out += GO_MODE.symlink;
  else if (s.isFIFO()) out += GO_MODE.pipe;
  else if (s.isSocket()) out += GO_MODE.socket;
  else if (s.isCharacterDevice()) out += GO_MODE.device + GO_MODE.char;
  else if (s.isBlockDevice()) out += GO_MODE.device;
  return out;
}

/** Go's time.RFC3339Nano in UTC: nanoseconds with trailing zeros trimmed, none when whole. */
function rfc3339Nano(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const base = new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${base}${frac === '' ? '' : `.${frac}`}Z`;
}

export interface Located {
  /** Where the path is on the host, under the root. */
  host: string;
  stat: PathStat;
}

/** The path's host location and its stat, or undefined when nothing is there. */
export function statInRoot(rootfs: string, path: string): Located | undefined {
  const host = resolveInRootSync(rootfs, path, false);
  let s: BigIntStats;
  try {
    s = lstatSync(host, { bigint: true });
  } catch {
    return undefined;
  }
  const linkTarget = s.isSymbolicLink() ? `/${relative(rootfs, resolveInRootSync(rootfs, path, true))}` : '';
  const stat: PathStat = {
    name: host === rootfs ? '/' : basename(host),
    size: Number(s.size),
    mode: goMode(s),
    mtime: rfc3339Nano(s.mtimeNs),
    linkTarget,
  };
  return { host, stat };
}

/** Which container root to work on: the snapshot's key, its running task's id, its mount points. */
export interface RootfsTarget {
  id: string;
  key: string;
  mounts: readonly CpMount[];
}

/**
 * Runs `work` on a container's root file system (the running one's, or its snapshot mounted for
 * the while under `scratch`) with its mount points bound in it.
 */
export async function onContainerRootfs<T>(
  root: ImageRoot,
  tasks: RealTasks | undefined,
  scratch: string,
  target: RootfsTarget,
  work: (rootfs: string) => Promise<T>,
): Promise<T> {
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const fn = (rootfs: string) => withMountPoints(rootfs, scratch, target.mounts, work);
  const live = tasks?.live.get(target.id);
  if (live?.rootfsMounted === true) return fn(live.rootfs);
  const rootfs = await mkdtemp(join(scratch, 'cp-'));
  try {
    await mountAll(root.snapshots.mounts(target.key), rootfs);
    try {
      return await fn(rootfs);
    } finally {
      await unmount(rootfs);
    }
  } finally {
    // Never recursive: were the snapshot still mounted there, it would be the container's files.
    await rmdir(rootfs);
  }
}
