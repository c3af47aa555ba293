// `docker exec -u USER[:GROUP]`: the user looked up in the container's own /etc/passwd and
// /etc/group, as dockerd does (moby v20.10.24 daemon/oci_linux.go getUser → runc's
// libcontainer/user GetExecUserPath): a name must be there; a number need not be (its group is
// then 0); without a group, the user's own group and the groups that list it as a member.
// Measured on dockerd 20.10 here: `-u 4242` → uid=4242 gid=0 groups=0, `-u 1000:1000` → no
// supplementary groups, `-u nosuchuser` → "unable to find user nosuchuser: no matching entries
// in passwd file". The files are read inside the container's root only (a symlink that leaves
// it reads as no file).
import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';

export interface ExecUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

async function lines(rootfs: string, path: string): Promise<string[][]> {
  const real = await realpath(join(rootfs, path)).catch(() => undefined);
  if (real === undefined || !real.startsWith(`${rootfs}/`)) return [];
  const text = await readFile(real, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

const isNumber = (v: string): boolean => /^\d+$/.test(v);

export async function resolveUser(rootfs: string, spec: string): Promise<ExecUser> {
  const [name = '', group] = spec.split(':');
  const passwd = await lines(rootfs, 'etc/passwd');
  const entry = passwd.find((f) => f[0] === name || (isNumber(name) && f[2] === name));
  if (entry === undefined && !isNumber(name))
    throw new Error(`unable to find user ${name}: no matching entries in passwd file`);
  const uid = Number(entry?.[2] ?? name);
  const groups = await lines(rootfs, 'etc/group');
  if (group !== undefined) {
    const g = groups.find((f) => f[0] === group || (isNumber(group) && f[2] === group));
    if (g === undefined && !isNumber(group))
      throw new Error(`unable to find group ${group}: no matching entries in group file`);
    return { uid, gid: Number(g?.[2] ?? group), additionalGids: [] };
  }
  const gid = Number(entry?.[3] ?? 0);
  const userName = entry?.[0];
  const member = groups
    .filter((f) => userName !== undefined && (f[3] ?? '').split(',').includes(userName))
    .map((f) => Number(f[2]));
  return { uid, gid, additionalGids: [gid, ...member.filter((g) => g !== gid)] };
}
