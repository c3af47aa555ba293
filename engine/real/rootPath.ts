// A path inside a container's root file system, resolved the way the kernel would resolve it
// for a process chrooted there: every symlink is followed with the root as `/`, and `..` never
// climbs above it. This is what dockerd does before it touches a container's files from the
// host (moby pkg/symlink FollowSymlinkInScope, github.com/cyphar/filepath-securejoin): a
// link to `/etc/shadow` or `../../..` in an image must name the container's file, never the
// host's (CVE-2014-9356, CVE-2018-15664). What the resolution gives is a host path under `root`.
import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** Linux's limit on symlinks followed in one lookup (ELOOP past it). */
const MAX_LINKS = 40;

export class RootPathError extends Error {}

/**
 * The host path of `path` (absolute or relative to `/`) inside `root`; the last component is
 * followed too unless `followLast` is false (what `docker cp` of a link copies is the link). A
 * missing component ends the walk: the rest is appended as it is, clean.
 */
export function resolveInRoot(root: string, path: string, followLast = true): Promise<string> {
  try {
    return Promise.resolve(resolveInRootSync(root, path, followLast));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** The same, synchronously (a tar entry is resolved before its data arrives). */
export function resolveInRootSync(root: string, path: string, followLast = true): string {
  const pending = path.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  // Past a missing component nothing is on disk to follow: the rest is taken lexically.
  let missing = false;
  while (pending.length > 0) {
    const part = pending.shift() ?? '';
    if (part === '..') {
      done.pop();
      continue;
    }
    const info: Stats | undefined = missing ? undefined : lstatOrNone(join(root, ...done, part));
    missing = info === undefined;
    if (info === undefined || !info.isSymbolicLink() || (pending.length === 0 && !followLast)) {
      done.push(part);
      continue;
    }
    const host = join(root, ...done, part);
    if (++links > MAX_LINKS) throw new RootPathError(`too many levels of symbolic links in ${path}`);
    const target = readlinkSync(host);
    // An absolute target starts again from the container's root, a relative one from the link's directory.
    if (target.startsWith('/')) done.length = 0;
    pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return join(root, ...done);
}

function lstatOrNone(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
