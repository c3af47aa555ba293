// dockerd's own work for `docker top` and `docker stats` (src/layers/dockerd/ops/containerTop.ts,
// containerStats.ts): `ps` run on the host as dockerd runs it (moby v20.10.24
// daemon/top_unix.go: the ps_args split on spaces, then `-q` with the task's pids; without
// procps' quick mode, the args alone), and what the stats collector reads beside each sample
// (daemon/stats/collector_unix.go: /proc/stat's cpu line in ns, the online CPUs; the host's
// memory, daemon.machineMemory). A live stats stream writes each frame into the answer as it is
// made (one JSON value per line, what Go's json.Decoder reads), and reads the container's
// interfaces' counters from its network namespace (/proc/<pid>/net/dev: the figures dockerd reads
// in the sandbox, the container's eth0 as the container sees it, lo left out).
import { readFile } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import type { WorkPayload } from '../../src/layers/operation.ts';
import { execute } from '../shim/exec.ts';
import type { RealWorks } from './archive.ts';
import type { RealSession } from './session.ts';

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

/** `/proc/<pid>/net/dev`'s columns: receive bytes, packets, errs, drop … then transmit's, from the ninth. */
async function networkStats(input: WorkPayload): Promise<WorkPayload> {
  const text = await readFile(`/proc/${Number(input.pid)}/net/dev`, 'utf8').catch(() => '');
  const networks: WorkPayload = {};
  for (const line of text.split('\n').slice(2)) {
    const [name = '', rest = ''] = line.split(':').map((p) => p.trim());
    if (name === '' || name === 'lo') continue;
    const n = rest.split(/\s+/).map(Number);
    networks[name] = {
      rx_bytes: n[0] ?? 0,
      rx_packets: n[1] ?? 0,
      rx_errors: n[2] ?? 0,
      rx_dropped: n[3] ?? 0,
      tx_bytes: n[8] ?? 0,
      tx_packets: n[9] ?? 0,
      tx_errors: n[10] ?? 0,
      tx_dropped: n[11] ?? 0,
    };
  }
  return { networks };
}

async function statsFrame(session: RealSession, input: WorkPayload): Promise<WorkPayload> {
  const sink = session.raw;
  if (sink === undefined) throw new Error('stats: no answer to write the frame to');
  await sink.write(Buffer.from(`${JSON.stringify(input.frame)}\n`));
  return {};
}

export const realTopWorks: RealWorks = {
  ps: (_session, input) => ps(input),
  hostSample: () => hostSample(),
  statsStream: (session) => Promise.resolve({ live: session.raw !== undefined }),
  statsFrame: (session, input) => statsFrame(session, input),
  networkStats: (_session, input) => networkStats(input),
};
