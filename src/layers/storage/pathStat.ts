import type { Snapshotter } from '../../ports/snapshotter.ts';

/**
 * One path's stat as dockerd answers it to `docker cp` (moby v20.10.24 api/types
 * ContainerPathStat, container/archive.go StatPath): the base name, the size, Go's os.FileMode
 * bits (the type bits above the permission bits), the modification time in RFC 3339 and, for a
 * symlink, its target resolved inside the container's root (absolute, never outside it). The
 * field order is dockerd's JSON order (the X-Docker-Container-Path-Stat header).
 */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** Go's os.FileMode type bits (io/fs), above the permission bits. */
export const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  pipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  char: 2 ** 21,
  sticky: 2 ** 20,
} as const;

export const isDirMode = (mode: number): boolean => Math.floor(mode / GO_MODE.dir) % 2 === 1;

const has = (mode: number, bit: number): boolean => Math.floor(mode / bit) % 2 === 1;

/** The mode as `ls -l` shows it (`drwxr-xr-x`, `lrwxrwxrwx`, `-rw-r--r--`). */
export function modeText(mode: number): string {
  const type = isDirMode(mode)
    ? 'd'
    : has(mode, GO_MODE.symlink)
      ? 'l'
      : has(mode, GO_MODE.pipe)
        ? 'p'
        : has(mode, GO_MODE.socket)
          ? 's'
          : has(mode, GO_MODE.char)
            ? 'c'
            : has(mode, GO_MODE.device)
              ? 'b'
              : '-';
  const perm = mode % 0o1000;
  const bits = 'rwxrwxrwx'
    .split('')
    .map((c, i) => ((perm >> (8 - i)) & 1 ? c : '-'))
    .join('');
  return `${type}${bits}`;
}

/**
 * The top-level directories every image of the catalogue has: `docker diff` marks a write under
 * one of them as a change (`C`), `docker cp` finds them besides the container's own writes.
 */
export const IMAGE_DIRS: readonly string[] = [
  '/bin',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/root',
  '/run',
  '/sbin',
  '/tmp',
  '/usr',
  '/var',
];

/**
 * The files every image of the catalogue has, and what dockerd itself puts in each container's
 * rootfs (/etc/hostname, /etc/hosts, /etc/resolv.conf, /.dockerenv), with their modes.
 */
const IMAGE_FILES: ReadonlyMap<string, number> = new Map([
  ['/bin/sh', 0o755],
  ['/etc/passwd', 0o644],
  ['/etc/group', 0o644],
  ['/etc/hostname', 0o644],
  ['/etc/hosts', 0o644],
  ['/etc/resolv.conf', 0o644],
  ['/.dockerenv', 0o755],
]);

/** The simulated files' time: the simulation keeps no modification times. */
const SIM_MTIME = '1970-01-01T00:00:00Z';

/** The path made absolute and clean, `..` taken lexically and never above the root. */
function clean(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '' && p !== '.') parts.push(p);
  }
  return `/${parts.join('/')}`;
}

/** The files of a snapshot and of every snapshot below it, the topmost write of a path winning. */
function filesOf(sn: Snapshotter, key: string): Map<string, number> {
  const files = new Map<string, number>();
  for (let k: string | undefined = key; k !== undefined; k = sn.stat(k)?.parent)
    for (const f of sn.changes(k)) if (!files.has(f.path)) files.set(f.path, f.size);
  return files;
}

/**
 * The simulated lstat of `path` in the snapshot's root: a directory when the catalogue's images
 * have it or a file lies under it, a file when it was written (into this snapshot or one below)
 * or is one of the catalogue's. The simulated driver has no symlinks and no `..` to climb.
 */
export function simPathStat(sn: Snapshotter, key: string, path: string): PathStat | undefined {
  const want = clean(path);
  const name = want === '/' ? '/' : (want.split('/').pop() ?? '');
  const files = filesOf(sn, key);
  const size = files.get(want);
  if (size !== undefined) return { name, size, mode: 0o644, mtime: SIM_MTIME, linkTarget: '' };
  const image = IMAGE_FILES.get(want);
  if (image !== undefined) return { name, size: 0, mode: image, mtime: SIM_MTIME, linkTarget: '' };
  const under = (p: string) => want === '/' || p.startsWith(`${want}/`);
  if (want === '/' || IMAGE_DIRS.includes(want) || [...files.keys(), ...IMAGE_FILES.keys()].some(under))
    return { name, size: 4096, mode: GO_MODE.dir + 0o755, mtime: SIM_MTIME, linkTarget: '' };
  return undefined;
}
