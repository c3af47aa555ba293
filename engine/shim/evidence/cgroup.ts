// A process's cgroups and the limits runc wrote there. /proc/<pid>/cgroup has one line per
// hierarchy, `ID:CONTROLLERS:PATH` (cgroups(7)): on a v1 or hybrid host one per v1 controller
// set (plus `0::PATH` for the unified hierarchy when mounted), on a v2-only host just `0::PATH`.
// A path is relative to the hierarchy's root; /proc/self/mountinfo says where each hierarchy is
// mounted and which part of it the mount shows, so the directory is found without assuming
// /sys/fs/cgroup/<controller>. Limits read: memory (v1 memory.limit_in_bytes, v2 memory.max),
// CPU (v1 cpu.cfs_quota_us/cpu.cfs_period_us, v2 cpu.max) and pids (pids.max).
import { readFile, rmdir } from 'node:fs/promises';
import { join, posix } from 'node:path';

export interface CgroupMembership {
  /** 2 when the process's controllers live in the unified hierarchy only. */
  version: 1 | 2;
  /** Controller (or `name=systemd`, or `` for the unified hierarchy) → path in its hierarchy. */
  paths: Record<string, string>;
}

export interface CgroupLimits {
  /** Bytes, or undefined when unlimited. */
  memory: number | undefined;
  /** CPU quota and period in microseconds (quota undefined when unlimited). */
  cpuQuota: number | undefined;
  cpuPeriod: number | undefined;
  pids: number | undefined;
  /** The directories read, for the trace. */
  dirs: string[];
}

export interface Hierarchy {
  /** `cgroup2`, or the v1 options naming its controllers. */
  controllers: string[];
  root: string;
  mountPoint: string;
}

export async function cgroupOf(pid: number | 'self'): Promise<CgroupMembership> {
  return parseProcCgroup(await readFile(`/proc/${pid}/cgroup`, 'utf8'));
}

/** Reads the text of /proc/<pid>/cgroup. */
export function parseProcCgroup(text: string): CgroupMembership {
  const paths: Record<string, string> = {};
  let v1 = false;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (m === null) continue;
    const [, , controllers = '', path = ''] = m;
    if (controllers === '') paths[''] = path;
    else {
      v1 = true;
      for (const c of controllers.split(',')) paths[c] = path;
    }
  }
  return { version: v1 ? 1 : 2, paths };
}

/** v1 super options are the controllers plus a few flags (cgroups(7), "Mounting v1 controllers"). */
const V1_FLAGS = new Set(['rw', 'ro', 'xattr', 'noprefix', 'clone_children', 'cpuset_v2_mode']);
const isController = (option: string): boolean =>
  !V1_FLAGS.has(option) && (!option.includes('=') || option.startsWith('name='));

/** The cgroup hierarchies mounted here (mountinfo(5): root is field 4, mount point field 5). */
export async function cgroupHierarchies(): Promise<Hierarchy[]> {
  return parseCgroupMounts(await readFile('/proc/self/mountinfo', 'utf8'));
}

/** The cgroup hierarchies in the text of a mountinfo file. */
export function parseCgroupMounts(text: string): Hierarchy[] {
  const found: Hierarchy[] = [];
  for (const line of text.split('\n')) {
    const [left = '', right = ''] = line.split(' - ');
    const [fsType = '', , superOptions = ''] = right.split(' ');
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    const fields = left.split(' ');
    const root = fields[3] ?? '/';
    const mountPoint = (fields[4] ?? '').replace(/\\040/g, ' ');
    const controllers = fsType === 'cgroup2' ? [''] : superOptions.split(',').filter(isController);
    found.push({ controllers, root, mountPoint });
  }
  return found;
}

/** The directory of `path` in the hierarchy holding `controller` (`` = unified), if mounted and visible. */
export function cgroupDir(hierarchies: Hierarchy[], controller: string, path: string): string | undefined {
  const h = hierarchies.find((x) => x.controllers.includes(controller));
  if (h === undefined) return undefined;
  const rel = posix.relative(h.root, path);
  if (rel.startsWith('..')) return undefined;
  return join(h.mountPoint, rel);
}

async function readNumber(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').then(
    (t) => t.trim(),
    () => undefined,
  );
}

/** v1 reports "no limit" as a huge number (page-rounded LONG_MAX); v2 as `max`. */
const limit = (text: string | undefined, unlimitedAbove = 2 ** 62): number | undefined => {
  if (text === undefined || text === 'max' || text === '-1') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n < unlimitedAbove ? n : undefined;
};

export async function cgroupLimits(pid: number | 'self'): Promise<CgroupLimits> {
  const membership = await cgroupOf(pid);
  const hierarchies = await cgroupHierarchies();
  const dir = (c: string): string | undefined => {
    const path = membership.paths[c];
    return path === undefined ? undefined : cgroupDir(hierarchies, c, path);
  };
  if (membership.version === 2) {
    const d = dir('');
    if (d === undefined)
      return { memory: undefined, cpuQuota: undefined, cpuPeriod: undefined, pids: undefined, dirs: [] };
    const [quota, period] = ((await readNumber(join(d, 'cpu.max'))) ?? 'max 100000').split(' ');
    return {
      memory: limit(await readNumber(join(d, 'memory.max'))),
      cpuQuota: limit(quota),
      cpuPeriod: limit(period),
      pids: limit(await readNumber(join(d, 'pids.max'))),
      dirs: [d],
    };
  }
  const memory = dir('memory');
  const cpu = dir('cpu');
  const pids = dir('pids');
  return {
    memory: memory === undefined ? undefined : limit(await readNumber(join(memory, 'memory.limit_in_bytes'))),
    cpuQuota: cpu === undefined ? undefined : limit(await readNumber(join(cpu, 'cpu.cfs_quota_us'))),
    cpuPeriod: cpu === undefined ? undefined : limit(await readNumber(join(cpu, 'cpu.cfs_period_us'))),
    pids: pids === undefined ? undefined : limit(await readNumber(join(pids, 'pids.max'))),
    dirs: [memory, cpu, pids].filter((d): d is string => d !== undefined),
  };
}

/** Every directory `path` has across the mounted hierarchies (for counting and cleaning up). */
export async function cgroupDirsOf(path: string): Promise<string[]> {
  const dirs = new Set<string>();
  for (const h of await cgroupHierarchies()) {
    const d = cgroupDir([h], h.controllers[0] ?? '', path);
    if (d !== undefined) dirs.add(d);
  }
  return [...dirs];
}

/** Removes `path`'s directory in every hierarchy (empty cgroups only: rmdir, as the kernel wants). */
export async function removeCgroup(path: string): Promise<void> {
  for (const d of await cgroupDirsOf(path)) {
    await rmdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw new Error(`cannot remove cgroup ${d}: ${e.message.toLowerCase()}`);
    });
  }
}
