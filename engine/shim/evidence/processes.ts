// Processes as the kernel shows them, for the pstree and mounts views of a real trace: a
// process's children from /proc/<pid>/task/<tid>/children (proc(5); every thread's list, since
// a child belongs to the thread that forked it), its name and argv, and the mount at a path in
// its mount namespace from /proc/<pid>/mountinfo (the container's root: type, source, options).
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessNode {
  pid: number;
  /** /proc/<pid>/comm: the name the kernel keeps (15 characters at most). */
  name: string;
  argv: string[];
  children: ProcessNode[];
}

async function childrenOf(pid: number): Promise<number[]> {
  const tids = await readdir(`/proc/${pid}/task`).catch((): string[] => []);
  const lists = await Promise.all(
    tids.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')),
  );
  return lists
    .join(' ')
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number);
}

/** The tree under `pid` (undefined when it is gone), `depth` levels deep. */
export async function processTree(pid: number, depth = 8): Promise<ProcessNode | undefined> {
  const [comm, cmdline] = await Promise.all([
    readFile(`/proc/${pid}/comm`, 'utf8').catch(() => undefined),
    readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''),
  ]);
  if (comm === undefined) return undefined;
  const kids =
    depth > 0 ? await Promise.all((await childrenOf(pid)).map((c) => processTree(c, depth - 1))) : [];
  return {
    pid,
    name: comm.trim(),
    argv: cmdline.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1),
    children: kids.filter((k): k is ProcessNode => k !== undefined),
  };
}

export interface MountSeen {
  mountPoint: string;
  fsType: string;
  source: string;
  /** Per-mount options (rw, nosuid, relatime, …). */
  options: string[];
  /** The file system's own options (for overlay: lowerdir, upperdir, workdir). */
  superOptions: string[];
}

/** The mount at `path` in `pid`'s mount namespace (the last one mounted there), if any. */
export async function mountAt(pid: number, path = '/'): Promise<MountSeen | undefined> {
  const text = await readFile(`/proc/${pid}/mountinfo`, 'utf8');
  let found: MountSeen | undefined;
  for (const line of text.split('\n')) {
    const [left = '', right = ''] = line.split(' - ');
    const fields = left.split(' ');
    if (fields[4] !== path) continue;
    const [fsType = '', source = '', superOptions = ''] = right.split(' ');
    found = {
      mountPoint: path,
      fsType,
      source,
      options: (fields[5] ?? '').split(','),
      superOptions: superOptions.split(','),
    };
  }
  return found;
}
