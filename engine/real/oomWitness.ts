// An OOM kill the shim did not report. containerd-shim-runc-v2 watches a container's memory
// cgroup for OOM events only once its Start has registered the cgroup with its epoller
// (cmd/containerd-shim-runc-v2 task/service.go Start, ep.Add / oom watcher); a process that
// outgrows its limit within moments of starting is killed before that, and no /tasks/oom
// follows, so dockerd would never mark it OOMKilled. The kernel still counts the kill in the
// cgroup: `oom_kill N` in memory.oom_control (v1, Linux 4.13+) or memory.events (v2)
// (https://docs.kernel.org/admin-guide/cgroup-v2.html#memory-interface-files). The count is read
// when the init's exit arrives, before `runc delete` removes the cgroup: a kill the shim did not
// report is told then, with what the kernel's file said.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupDir, parseCgroupMounts } from '../shim/evidence/cgroup.ts';
import { CGROUP_PARENT } from './bundleOptions.ts';

/** How long a shim's late /tasks/oom still belongs to a kill already told at the exit. */
const LATE_OOM_MS = 10_000;

/**
 * The cgroup hierarchies' mount points, read once: they are mounted when the host boots and stay,
 * while the mount table itself grows with every container's rootfs (a `docker rm -f` of fifty
 * would parse it fifty times).
 */
let hierarchies: ReturnType<typeof parseCgroupMounts> | undefined;

/** The kill count of a cgroup path, from whichever memory hierarchy is mounted; 0 if unreadable. */
export function oomKills(path: string): { count: number; file: string } {
  hierarchies ??= parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
  const candidates = [
    [cgroupDir(hierarchies, 'memory', path), 'memory.oom_control'],
    [cgroupDir(hierarchies, '', path), 'memory.events'],
  ] as const;
  for (const [dir, name] of candidates) {
    if (dir === undefined) continue;
    try {
      const text = readFileSync(join(dir, name), 'utf8');
      const count = Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
      return { count, file: name };
    } catch {
      // Not this hierarchy, or the cgroup is gone already.
    }
  }
  return { count: 0, file: '' };
}

export class OomWitness {
  constructor(private readonly kills: (path: string) => { count: number; file: string } = oomKills) {}

  /** Containers whose shim reported an OOM kill since their last exit. */
  private readonly reported = new Set<string>();
  /** Containers whose kill was told at the exit: when, so the shim's late report is not told twice. */
  private readonly toldAtExit = new Map<string, number>();

  /** The shim reported an OOM kill: true when it is new (not one already told at the exit). */
  shimReported(id: string, now = Date.now()): boolean {
    const told = this.toldAtExit.get(id);
    this.toldAtExit.delete(id);
    if (told !== undefined && now - told < LATE_OOM_MS) return false;
    this.reported.add(id);
    return true;
  }

  /**
   * The init exited: the kernel's file when it counted an OOM kill that the shim did not report
   * (killed by SIGKILL, status 137), else undefined.
   */
  unreportedAtExit(id: string, status: number, now = Date.now()): string | undefined {
    const reported = this.reported.delete(id);
    if (reported || status !== 137) return undefined;
    const { count, file } = this.kills(`${CGROUP_PARENT}/${id}`);
    if (count === 0) return undefined;
    this.toldAtExit.set(id, now);
    return `${file}: oom_kill ${count} (read at the exit)`;
  }
}
