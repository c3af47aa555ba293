// File-system steps the stores share. Durability follows containerd's rules: data is fsynced
// before the rename that publishes it, and the directory is fsynced after, so a crash (or a
// kill -9) leaves either the old file or the new one, never a torn one
// (https://github.com/containerd/containerd/blob/main/plugins/content/local/writer.go, Commit).
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoOf } from './errors.ts';

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A name beside `path` that no other writer picks: `.name.tmp-<pid>-<random>`. */
export function tempBeside(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Write `bytes` to `path` atomically: temp file, fsync, rename, fsync of the directory. */
export async function atomicWrite(path: string, bytes: Uint8Array | string, mode = 0o644): Promise<void> {
  const temp = tempBeside(path);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
  await fsyncDir(dirname(path));
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
}

export function isTempName(name: string): boolean {
  return /^\..*\.tmp-\d+-[0-9a-f]{8}$/.test(name);
}
