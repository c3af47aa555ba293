import type { JsonObject, JsonValue } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { HOST_MEMORY } from './system.ts';
import { apiRequest, asMessage } from './request.ts';

/** dockerd's stats collector samples every container once a second (daemon/stats/collector.go). */
const INTERVAL_MS = 1000;
/** A streamed answer ends after this many samples in the simulation, as a Ctrl-C would end it. */
export const STREAM_SAMPLES = 3;
const ZERO_TIME = '0001-01-01T00:00:00Z';

interface Sample {
  atMs: number;
  pids: number;
  memoryBytes: number;
  cpuNanos: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

function cpuStats(s: Sample | undefined): JsonObject {
  return {
    cpu_usage: { total_usage: s?.cpuNanos ?? 0, usage_in_kernelmode: 0, usage_in_usermode: s?.cpuNanos ?? 0 },
    system_cpu_usage: s === undefined ? 0 : s.atMs * 2_000_000,
    online_cpus: s === undefined ? 0 : 2,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

/**
 * One frame of `GET /containers/{id}/stats` (api/types StatsJSON): this sample and the one before
 * (`preread`), from which the CLI computes the CPU percentage. A stopped container has neither:
 * zero times and empty stats, which the CLI prints as 0B / 0B and 0 pids.
 */
function frame(c: ContainerRecord, now: Sample | undefined, before: Sample | undefined): JsonObject {
  const network = c.networkMode === 'none' || now === undefined;
  const body: JsonObject = {
    read: now ? iso(now.atMs) : ZERO_TIME,
    preread: before ? iso(before.atMs) : ZERO_TIME,
    pids_stats: now ? { current: now.pids } : {},
    blkio_stats: { io_service_bytes_recursive: now ? [] : null },
    num_procs: 0,
    cpu_stats: cpuStats(now),
    precpu_stats: cpuStats(before),
    memory_stats: now
      ? { usage: now.memoryBytes, stats: { inactive_file: 0 }, limit: c.memory > 0 ? c.memory : HOST_MEMORY }
      : {},
    name: `/${c.name}`,
    id: c.id,
  };
  if (!network) body.networks = { eth0: { rx_bytes: 0, rx_packets: 0, tx_bytes: 0, tx_packets: 0 } };
  return body;
}

function* sample(d: Daemon, c: ContainerRecord): Generator<Effect, Sample | undefined, unknown> {
  const reply = asMessage(
    yield d.call('containerd', 'ctrd.Tasks.Metrics', `Tasks.Metrics(${short(c.id)}…)`, {
      payload: { id: c.id },
    }),
  );
  if (!reply?.ok) return undefined;
  const p = (reply.payload ?? {}) as JsonObject;
  return {
    atMs: d.now(),
    pids: Number(p.pids ?? 0),
    memoryBytes: Number(p.memoryBytes ?? 0),
    cpuNanos: Number(p.cpuNanos ?? 0),
  };
}

/**
 * `GET /containers/{id}/stats?stream=0|1` (moby v20.10.24 daemon/stats.go ContainerStats,
 * daemon/stats/collector.go): the collector asks containerd for the task's metrics once a second
 * (Tasks.Metrics: the shim reads the cgroup). `stream=0` answers the second sample, with the
 * first as `preread` (it primes the CPU figures), so it takes a second; a stream sends one frame
 * a second until the client hangs up. A container that is not running answers a zero frame at
 * once. No event. Engine 29 does the same (moby docker-v29.0.0 daemon/stats.go), with cgroup v2
 * metrics from containerd 2. Recorded: u-top-update-stats.txt.
 */
export function* containerStats(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const stream = query.stream !== '0' && query.stream !== 'false';
  if (!c.actor.getSnapshot().matches('running')) {
    const zero = frame(c, undefined, undefined);
    return d.reply(req, 200, stream ? [zero] : zero, { params: { samples: 0 } });
  }
  const samples: Sample[] = [];
  const wanted = stream ? STREAM_SAMPLES + 1 : 2;
  while (samples.length < wanted) {
    if (samples.length > 0) yield { kind: 'sleep', ms: INTERVAL_MS };
    const got = yield* sample(d, c);
    if (got === undefined) break;
    samples.push(got);
  }
  const frames = samples.slice(1).map((s, i) => frame(c, s, samples[i]));
  const body: JsonValue = stream ? frames : (frames[0] ?? frame(c, undefined, undefined));
  d.reply(req, 200, body, { params: { samples: frames.length } });
}
