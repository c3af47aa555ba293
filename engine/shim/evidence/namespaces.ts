// A process's namespaces as the kernel names them: each /proc/<pid>/ns/<type> is a magic link
// reading `<type>:[<inode>]`; two processes share a namespace when the inodes are equal
// (namespaces(7)). Evidence for `runc create`: the container's init has its own mnt, uts, ipc,
// pid and net namespaces, the shim has the host's.
import { readdir, readlink } from 'node:fs/promises';

export type NamespaceInodes = Record<string, number>;

/** `{ net: 4026532…, mnt: …, pid: …, … }` for `pid` (self when "self"). */
export async function namespaceInodes(pid: number | 'self'): Promise<NamespaceInodes> {
  const dir = `/proc/${pid}/ns`;
  const names = await readdir(dir);
  const found: NamespaceInodes = {};
  await Promise.all(
    names.map(async (name) => {
      const link = await readlink(`${dir}/${name}`).catch(() => '');
      const m = /^[a-z_]+:\[(\d+)\]$/.exec(link);
      if (m?.[1] !== undefined) found[name] = Number(m[1]);
    }),
  );
  return found;
}
