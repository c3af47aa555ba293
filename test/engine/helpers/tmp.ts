// Temporary roots and mounts that a test makes and always takes down (umount in finally).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountAll, unmount, type Mount } from '../../../engine/image/snapshot/mount.ts';

/** A temp dir made on first use (so a skipped suite leaves none behind). */
export function tempDir(prefix: string): { readonly path: string; remove(): void } {
  let made: string | undefined;
  return {
    get path() {
      made ??= mkdtempSync(join(tmpdir(), `dockstep-${prefix}-`));
      return made;
    },
    remove: () => {
      if (made !== undefined) rmSync(made, { recursive: true, force: true });
    },
  };
}

function mounted(target: string): boolean {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[1] === target);
}

/** Mounts, runs `body` with the target, and unmounts whatever happens. */
export async function withMount<T>(
  mounts: Mount[],
  parent: string,
  body: (target: string) => Promise<T> | T,
): Promise<T> {
  const target = join(parent, `mnt-${Math.random().toString(16).slice(2)}`);
  mkdirSync(target);
  await mountAll(mounts, target);
  try {
    return await body(target);
  } finally {
    if (mounted(target)) await unmount(target).catch(() => execFileSync('umount', ['-l', target]));
    rmSync(target, { recursive: true, force: true });
  }
}
