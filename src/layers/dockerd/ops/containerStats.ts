import type { JsonObject, JsonValue } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { apiRequest, asMessage } from './request.ts';
import { BLKIO, sampleJson, type HostSample } from './statsJson.ts';
import { HOST_MEMORY } from './system.ts';

/** dockerd's stats collector samples every container once a second (daemon/stats/collector.go). */
const INTERVAL_MS = 1000;
/** A streamed answer ends after this many samples in the simulation, as a Ctrl-C would end it. */
export const STREAM_SAMPLES = 3;
/** Go's zero time, as dockerd writes an unset `read` (a container that is not running). */
const ZERO_TIME = '0001-01-01T00:00:00Z';

const obj = (v: JsonValue | undefined): JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};

/** The simulation's clock as Go prints a time (RFC 3339 with nanoseconds). */
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

/** The stats of a container that is not running: all zero, named (as dockerd 20.10 answers it). */
function idleStats(c: ContainerRecord): JsonObject {
  const cpu = {
    cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
  const blkio = Object.fromEntries(BLKIO.map((k) => [k, null]));
  return {
    read: ZERO_TIME,
    preread: ZERO_TIME,
    pids_stats: {},
    blkio_stats: blkio,
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpu,
    precpu_stats: cpu,
    memory_stats: {},
    name: `/${c.name}`,
    id: c.id,
  };
}

/** What the collector reads of the host beside each sample; the simulation's host has 2 CPUs. */
function* hostSample(d: Daemon): Generator<Effect, HostSample | string, unknown> {
  const now = iso(d.now());
  const host = yield* d.work('hostSample', {}, () => ({
    read: now,
    systemUsage: d.now() * 2_000_000,
    onlineCpus: 2,
    machineMemory: HOST_MEMORY,
  }));
  if (!host.ok) return host.error;
  const o = host.output;
  return {
    read: String(o.read ?? now),
    systemUsage: Number(o.systemUsage ?? 0),
    onlineCpus: Number(o.onlineCpus ?? 0),
    machineMemory: Number(o.machineMemory ?? 0),
  };
}

/**
 * One sample: the task's cgroup metrics (containerd's Tasks.Metrics → the shim's Task/Stats) with
 * the host's CPU time beside them, in StatsJSON's shape. Undefined when the task is gone.
 */
function* sample(d: Daemon, c: ContainerRecord): Generator<Effect, JsonObject | undefined, unknown> {
  const reply = asMessage(
    yield d.call('containerd', 'ctrd.Tasks.Metrics', `Tasks.Metrics(${short(c.id)}…)`, {
      payload: { id: c.id },
    }),
  );
  if (!reply?.ok) return undefined;
  const host = yield* hostSample(d);
  if (typeof host === 'string') return undefined;
  const s = sampleJson((reply.payload ?? {}) as JsonObject, host);
  const memory = obj(s.memory_stats);
  // The simulated cgroup keeps no limit files (runcEffects.ts), so its metrics name no limit:
  // the one dockerd set (HostConfig.Memory) stands in, or the host's memory without one.
  if (!(Number(memory.limit ?? 0) > 0))
    s.memory_stats = { ...memory, limit: c.memory > 0 ? c.memory : host.machineMemory };
  return { read: host.read, ...s };
}

/**
 * One frame of `GET /containers/{id}/stats` (api/types StatsJSON): this sample and the one before
 * (`preread`, `precpu_stats`), from which the CLI computes the CPU percentage.
 */
function frame(c: ContainerRecord, now: JsonObject, before: JsonObject): JsonObject {
  const body: JsonObject = {
    ...now,
    preread: before.read ?? ZERO_TIME,
    num_procs: 0,
    storage_stats: {},
    precpu_stats: before.cpu_stats ?? {},
    name: `/${c.name}`,
    id: c.id,
  };
  if (c.networkMode !== 'none')
    body.networks = { eth0: { rx_bytes: 0, rx_packets: 0, tx_bytes: 0, tx_packets: 0 } };
  return body;
}

/**
 * `GET /containers/{id}/stats?stream=0|1` (moby v20.10.24 daemon/stats.go ContainerStats,
 * daemon/stats/collector.go): the collector asks containerd for the task's metrics once a second
 * (Tasks.Metrics: the shim reads the cgroup). `stream=0` answers the second sample, with the
 * first as `preread` (it primes the CPU figures), so it takes a second; a stream sends one frame
 * a second until the client hangs up. A container that is not running answers a zero frame at
 * once. No event. Engine 29 does the same (moby docker-v29.0.0 daemon/stats.go), with cgroup v2
 * metrics from containerd 2. Recorded: u-top-update-stats.txt, w-exec-top-stats.txt.
 */
export function* containerStats(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const stream = query.stream !== '0' && query.stream !== 'false';
  // Real mode writes each frame to the client as it is made (`statsFrame`): a live stream.
  const live = stream ? yield* d.work('statsStream', {}, () => ({ live: false })) : undefined;
  if (live?.ok === true && live.output.live === true) return yield* streamStats(d, req, c);
  if (!c.actor.getSnapshot().matches('running')) {
    const zero = idleStats(c);
    return d.reply(req, 200, stream ? [zero] : zero, { params: { samples: 0 } });
  }
  const samples: JsonObject[] = [];
  const wanted = stream ? STREAM_SAMPLES + 1 : 2;
  while (samples.length < wanted) {
    if (samples.length > 0) yield { kind: 'sleep', ms: INTERVAL_MS };
    const got = yield* sample(d, c);
    if (got === undefined) break;
    samples.push(got);
  }
  const frames = samples.slice(1).map((s, i) => frame(c, s, samples[i] ?? {}));
  // Real mode reads the interfaces' counters; the simulation's network counts nothing.
  const networks = frames.length > 0 ? yield* networkStats(d, c) : undefined;
  for (const f of frames) if (networks !== undefined) f.networks = networks;
  const body: JsonValue = stream ? frames : (frames[0] ?? idleStats(c));
  d.reply(req, 200, body, { params: { samples: frames.length } });
}

/** Go's zero CPUStats, a first frame's precpu_stats (omitempty leaves the per-CPU fields out). */
const ZERO_CPU: JsonObject = {
  cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
  throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
};

/**
 * The container's interfaces' counters as its network namespace shows them (dockerd reads them
 * in the sandbox: daemon/stats_unix.go getNetworkStats, libnetwork sandbox Statistics): none for
 * `--network none` or `host`.
 */
function* networkStats(d: Daemon, c: ContainerRecord): Generator<Effect, JsonValue | undefined, unknown> {
  if (c.networkMode === 'none' || c.networkMode === 'host' || c.pid <= 0) return undefined;
  const got = yield* d.work('networkStats', { pid: c.pid }, () => ({}));
  const networks = got.ok ? got.output.networks : undefined;
  if (typeof networks !== 'object' || networks === null) return undefined;
  const out: JsonObject = {};
  for (const [name, counters] of Object.entries(networks)) {
    if (typeof counters !== 'object' || counters === null) continue;
    out[name] = Object.fromEntries(Object.entries(counters).map(([k, v]) => [k, Number(v) || 0]));
  }
  return out;
}

/**
 * A live stream, as dockerd serves it (moby v20.10.24 daemon/stats.go ContainerStats): a frame
 * each time the collector samples (once a second), the first with nothing before it (a zero
 * `preread` and `precpu_stats`), until the client goes away or the container stops; a container
 * that is not running gets one zero frame. Recorded: x-restore-cp-stats.txt part 4.
 */
function* streamStats(d: Daemon, req: Message, c: ContainerRecord): OperationProgram {
  if (!c.actor.getSnapshot().matches('running')) {
    yield* d.work('statsFrame', { frame: idleStats(c) }, () => ({}));
    return d.reply(req, 200, [], { params: { samples: 1 } });
  }
  let before: JsonObject = { read: ZERO_TIME, cpu_stats: ZERO_CPU };
  let frames = 0;
  for (;;) {
    if (frames > 0) yield { kind: 'sleep', ms: INTERVAL_MS };
    const got = yield* sample(d, c);
    if (got === undefined) break;
    const body = frame(c, got, before);
    const networks = yield* networkStats(d, c);
    if (networks === undefined) delete body.networks;
    else body.networks = networks;
    before = got;
    // A client that has gone cannot be written to: the stream ends.
    if (!(yield* d.work('statsFrame', { frame: body }, () => ({}))).ok) break;
    frames++;
  }
  d.reply(req, 200, [], { params: { samples: frames } });
}
