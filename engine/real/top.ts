// dockerd's own work for `docker top` and `docker stats` (src/layers/dockerd/ops/containerTop.ts,
// containerStats.ts): `ps` run on the host as dockerd runs it (moby v20.10.24
// daemon/top_unix.go: the ps_args split on spaces, then `-q` with the task's pids; without
// procps' quick mode, the args alone), and what the stats collector reads beside each sample
// (daemon/stats/collector_unix.go: /proc/stat's cpu line in ns, the online CPUs; the host's
// memory, daemon.machineMemory).
import { readFile } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import type { WorkPayload } from '../../src/layers/operation.ts';
import { execute } from '../shim/exec.ts';
import type { RealWorks } from './archive.ts';

/** USER_HZ: the clock ticks /proc/stat counts in (100 on Linux, as dockerd assumes). */
const CLOCK_TICKS = 100;

async function ps(input: WorkPayload): Promise<WorkPayload> {
  const args = String(input.args ?? '-ef').split(' ');
  const pids = Array.isArray(input.pids) ? input.pids.map(Number) : [];
  let ran = await execute('ps', [...args, `-q${pids.join(',')}`]);
  if (ran.code !== 0) ran = await execute('ps', args);
  if (ran.code !== 0) throw new Error(ran.stderr.split('\n')[0] || `exit status ${ran.code}`);
  return { output: ran.stdout.toString('utf8') };
}

async function hostSample(): Promise<WorkPayload> {
  const stat = await readFile('/proc/stat', 'utf8');
  const cpu = stat.split('\n').find((l) => l.startsWith('cpu '));
  const ticks = (cpu ?? '')
    .split(/\s+/)
    .slice(1, 8)
    .reduce((sum, v) => sum + (Number(v) || 0), 0);
  return {
    read: new Date().toISOString(),
    systemUsage: (ticks * 1e9) / CLOCK_TICKS,
    onlineCpus: availableParallelism(),
    machineMemory: totalmem(),
  };
}

export const realTopWorks: RealWorks = {
  ps: (_session, input) => ps(input),
  hostSample: () => hostSample(),
};
