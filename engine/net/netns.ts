// The sandbox's netns file: the namespace of the container's init, kept reachable by a bind mount
// as libnetwork's osl does (moby libnetwork/osl/namespace_linux.go mountNetworkNamespace:
// `mount --bind /proc/<pid>/ns/net <key>`), so the namespace can be entered and inspected by name
// even when the init is gone, and lives until the file is unmounted.
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isAbsent, run } from './exec.ts';

/** Bind-mounts `/proc/<pid>/ns/net` on `file`; answers the namespace's inode (as `ip netns identify` reads it). */
export async function bindNetns(pid: number, file: string): Promise<number> {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`bad pid for a network namespace: ${pid}`);
  await mkdir(dirname(file), { recursive: true });
  // A file left by an engine that died mid-way: unmount it first (the namespace may be another's now).
  await unbindNetns(file);
  await writeFile(file, '', { mode: 0o444 });
  await run('mount', ['--bind', `/proc/${pid}/ns/net`, file]);
  return (await stat(file)).ino;
}

/** Unmounts and removes the netns file; a file that is not there, or not mounted, is no error. */
export async function unbindNetns(file: string): Promise<void> {
  try {
    await run('umount', [file]);
  } catch (error) {
    if (!isAbsent(error) && !/no mount point|not found/i.test(String(error))) throw error;
  }
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The inode of a bound netns file (a sandbox's second endpoint finds it bound by the first). */
export async function inodeOf(file: string): Promise<number> {
  return (await stat(file)).ino;
}
