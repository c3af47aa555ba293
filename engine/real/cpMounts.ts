// `docker cp` through a container's mounts, as dockerd does it (moby v20.10.24 daemon/archive.go
// with daemon/volumes_unix.go mountVolumes): before it touches the container's files it
// bind-mounts each mount point's source over its destination inside the root file system it
// works on (the destination resolved inside that root), read-only where the mount point is, so a
// path under a volume or a bind is the volume's or the host directory's file, never the rootfs's
// underneath; after, it unmounts them. Here that is done on a private view of the root file
// system (a bind of the running container's rootfs, made private), so nothing mounted for the
// copy propagates into the container's own mount namespace. A copy into a read-only mount point
// is refused first with dockerd's words (daemon/archive.go checkIfPathIsInAVolume,
// ErrVolumeReadonly). Recorded: test/fixtures/real-engine/x-restore-cp-stats.txt, part 3.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { WorkPayload } from '../../src/layers/operation.ts';
import { unmount } from '../image/snapshot/mount.ts';
import { run } from '../image/tools.ts';
import { resolveInRootSync } from './rootPath.ts';

export interface CpMount {
  source: string;
  destination: string;
  rw: boolean;
}

export const READ_ONLY = 'mounted volume is marked read-only';

/** The mount points the work's input names (the op's `mounts`), deepest last, as dockerd sorts them. */
export function cpMountsOf(input: WorkPayload): CpMount[] {
  const list = Array.isArray(input.mounts) ? input.mounts : [];
  const out: CpMount[] = [];
  for (const m of list) {
    if (typeof m !== 'object' || m === null) continue;
    const v = new Map<string, unknown>(Object.entries(m));
    const [source, destination] = [v.get('source'), v.get('destination')];
    if (typeof source === 'string' && typeof destination === 'string')
      out.push({ source, destination, rw: v.get('rw') !== false });
  }
  const depth = (m: CpMount) => m.destination.split('/').filter(Boolean).length;
  return out.sort((a, b) => depth(a) - depth(b));
}

const isUnder = (path: string, dir: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
};

/** The mount point a path (inside the container, resolved) is under, the deepest one. */
export function mountOf(mounts: readonly CpMount[], path: string): CpMount | undefined {
  return mounts.filter((m) => isUnder(path, m.destination)).pop();
}

/** Each mount point's source bound over its destination in `view`; answers the targets mounted. */
async function bindAll(view: string, mounts: readonly CpMount[]): Promise<string[]> {
  const done: string[] = [];
  try {
    for (const m of mounts) {
      if (!existsSync(m.source)) continue;
      const target = resolveInRootSync(view, m.destination, true);
      // The mount point is made when missing, a file for a file (daemon/volumes_unix.go).
      if (!existsSync(target)) {
        if (statSync(m.source).isDirectory()) mkdirSync(target, { recursive: true, mode: 0o755 });
        else await run('touch', [target]);
      }
      await run('mount', ['--bind', m.source, target]);
      done.push(target);
      if (!m.rw) await run('mount', ['-o', 'remount,bind,ro', target]);
    }
    return done;
  } catch (error) {
    for (const t of done.reverse()) await unmount(t).catch(() => undefined);
    throw error;
  }
}

/**
 * Runs `fn` on a private view of `rootfs` with the mount points bound in it; with none, on
 * `rootfs` itself.
 */
export async function withMountPoints<T>(
  rootfs: string,
  scratch: string,
  mounts: readonly CpMount[],
  fn: (view: string) => Promise<T>,
): Promise<T> {
  if (mounts.length === 0) return fn(rootfs);
  const view = await mkdtemp(join(scratch, 'cp-view-'));
  try {
    await run('mount', ['--bind', rootfs, view]);
    try {
      await run('mount', ['--make-private', view]);
      const bound = await bindAll(view, mounts);
      try {
        return await fn(view);
      } finally {
        for (const t of bound.reverse()) await unmount(t).catch(() => undefined);
      }
    } finally {
      await unmount(view);
    }
  } finally {
    // Never recursive: were the view still mounted, it would be the container's files.
    await rmdir(view);
  }
}
