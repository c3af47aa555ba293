import type { JsonObject, JsonValue } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { apiRequest, asMessage } from './request.ts';

/** Go's zero time, as dockerd writes an unset `read` (a container that is not running). */
const ZERO_TIME = '0001-01-01T00:00:00Z';

const obj = (v: JsonValue | undefined): JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
const num = (v: JsonValue | undefined): number => Number(v ?? 0) || 0;

/** What dockerd's collector reads of the host beside each sample (daemon/stats/collector_unix.go). */
export interface HostSample {
  /** ISO time of the sample. */
  read: string;
  /** /proc/stat's cpu line in ns (getSystemCPUUsage). */
  systemUsage: number;
  onlineCpus: number;
  /** The host's memory: the limit shown for a container without one (daemon.machineMemory). */
  machineMemory: number;
}

const BLKIO = [
  'io_service_bytes_recursive',
  'io_serviced_recursive',
  'io_queue_recursive',
  'io_service_time_recursive',
  'io_wait_time_recursive',
  'io_merged_recursive',
  'io_time_recursive',
  'sectors_recursive',
];
const BLKIO_FROM: Record<string, string> = { io_queue_recursive: 'io_queued_recursive' };

const MEMORY_V1 = [
  'cache',
  'rss',
  'rss_huge',
  'mapped_file',
  'dirty',
  'writeback',
  'pgpgin',
  'pgpgout',
  'pgfault',
  'pgmajfault',
  'inactive_anon',
  'active_anon',
  'inactive_file',
  'active_file',
  'unevictable',
  'hierarchical_memory_limit',
  'hierarchical_memsw_limit',
];
/** Docker's keys whose proto field is named otherwise. */
const MEMORY_V1_FROM: Record<string, string> = {
  pgpgin: 'pg_pg_in',
  pgpgout: 'pg_pg_out',
  pgfault: 'pg_fault',
  pgmajfault: 'pg_maj_fault',
  hierarchical_memsw_limit: 'hierarchical_swap_limit',
};

const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);

/** memory.stat of cgroup v1 under Docker's names, each with its `total_` (hierarchy) figure. */
function memoryV1(mem: JsonObject): JsonObject {
  const raw: JsonObject = {};
  for (const key of MEMORY_V1) {
    const from = MEMORY_V1_FROM[key] ?? key;
    raw[key] = num(mem[from]);
    if (!key.startsWith('hierarchical')) raw[`total_${key}`] = num(mem[`total_${from}`]);
  }
  return raw;
}

function blkioV1(blkio: JsonObject): JsonObject {
  const entry = (e: JsonValue): JsonObject => ({
    major: num(obj(e).major),
    minor: num(obj(e).minor),
    op: String(obj(e).op ?? ''),
    value: num(obj(e).value),
  });
  return Object.fromEntries(BLKIO.map((k) => [k, list(blkio[BLKIO_FROM[k] ?? k]).map(entry)]));
}

const pidsOf = (pids: JsonObject): JsonObject => ({
  current: num(pids.current),
  ...(num(pids.limit) > 0 ? { limit: num(pids.limit) } : {}),
});

/** cgroup v1 metrics as dockerd turns them into StatsJSON (moby v20.10.24 daemon/daemon_unix.go statsV1). */
function fromV1(m: JsonObject, machineMemory: number): JsonObject {
  const cpu = obj(m.cpu);
  const usage = obj(cpu.usage);
  const throttle = obj(cpu.throttling);
  const mem = obj(m.memory);
  const memUsage = obj(mem.usage);
  const limit = num(memUsage.limit);
  return {
    pids_stats: pidsOf(obj(m.pids)),
    blkio_stats: blkioV1(obj(m.blkio)),
    cpu_stats: {
      cpu_usage: {
        total_usage: num(usage.total),
        percpu_usage: list(usage.per_cpu).map((v) => num(v)),
        usage_in_kernelmode: num(usage.kernel),
        usage_in_usermode: num(usage.user),
      },
      throttling_data: {
        periods: num(throttle.periods),
        throttled_periods: num(throttle.throttled_periods),
        throttled_time: num(throttle.throttled_time),
      },
    },
    memory_stats: {
      usage: num(memUsage.usage),
      max_usage: num(memUsage.max),
      stats: memoryV1(mem),
      ...(num(memUsage.failcnt) > 0 ? { failcnt: num(memUsage.failcnt) } : {}),
      limit: limit > machineMemory && machineMemory > 0 ? machineMemory : limit,
    },
  };
}

/** cgroup v2 metrics (statsV2): CPU in µs made ns, no per-CPU figures, memory.stat's keys. */
function fromV2(m: JsonObject, machineMemory: number): JsonObject {
  const cpu = obj(m.cpu);
  const mem = obj(m.memory);
  const io = list(obj(m.io).usage);
  const raw: JsonObject = {};
  for (const [key, value] of Object.entries(mem))
    if (key !== 'usage' && key !== 'usage_limit' && key !== 'swap_usage' && key !== 'swap_limit')
      raw[key] = num(value);
  const limit = num(mem.usage_limit);
  return {
    pids_stats: pidsOf(obj(m.pids)),
    blkio_stats: {
      io_service_bytes_recursive: io.flatMap((e) => [
        { major: num(obj(e).major), minor: num(obj(e).minor), op: 'read', value: num(obj(e).rbytes) },
        { major: num(obj(e).major), minor: num(obj(e).minor), op: 'write', value: num(obj(e).wbytes) },
      ]),
    },
    cpu_stats: {
      cpu_usage: {
        total_usage: num(cpu.usage_usec) * 1000,
        usage_in_kernelmode: num(cpu.system_usec) * 1000,
        usage_in_usermode: num(cpu.user_usec) * 1000,
      },
      throttling_data: {
        periods: num(cpu.nr_periods),
        throttled_periods: num(cpu.nr_throttled),
        throttled_time: num(cpu.throttled_usec) * 1000,
      },
    },
    memory_stats: {
      usage: num(mem.usage),
      stats: raw,
      limit: limit > machineMemory && machineMemory > 0 ? machineMemory : limit,
    },
  };
}

/** One sample: the shim's metrics with what the collector read of the host. */
function sampleJson(metrics: JsonObject, host: HostSample): JsonObject {
  const m = obj(metrics.metrics);
  const s = num(metrics.version) === 2 ? fromV2(m, host.machineMemory) : fromV1(m, host.machineMemory);
  const cpu = obj(s.cpu_stats);
  return { ...s, cpu_stats: { ...cpu, system_cpu_usage: host.systemUsage, online_cpus: host.onlineCpus } };
}

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

function* sample(d: Daemon, c: ContainerRecord): Generator<Effect, JsonObject | string, unknown> {
  const metrics = asMessage(
    yield d.call('containerd', 'ctrd.Tasks.Metrics', `Tasks.Metrics(id==${short(c.id)}…)`, {
      payload: { id: c.id },
    }),
  );
  if (!metrics?.ok) return String(((metrics?.payload ?? {}) as JsonObject).error ?? 'unknown');
  const now = new Date(d.now()).toISOString();
  const host = yield* d.work('hostSample', {}, () => ({
    read: now,
    systemUsage: d.now() * 2e6,
    onlineCpus: 2,
    machineMemory: 2 ** 31,
  }));
  if (!host.ok) return host.error;
  const o = host.output;
  const h: HostSample = {
    read: String(o.read ?? now),
    systemUsage: Number(o.systemUsage ?? 0),
    onlineCpus: Number(o.onlineCpus ?? 0),
    machineMemory: Number(o.machineMemory ?? 0),
  };
  return { read: h.read, ...sampleJson((metrics.payload ?? {}) as JsonObject, h) };
}

/**
 * `GET /containers/{id}/stats?stream=false` (moby v20.10.24 daemon/stats.go ContainerStats, the
 * stats collector): one answer of two samples a second apart — the first only gives `precpu`,
 * so the CPU share can be computed — each the task's cgroup metrics (containerd's
 * Tasks.Metrics → the shim's Stats) with the host's CPU time beside them. A container that is
 * not running answers zeros at once.
 */
export function* containerStats(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  if (!c.actor.getSnapshot().matches('running')) return d.reply(req, 200, idleStats(c));
  const first = yield* sample(d, c);
  if (typeof first === 'string') return d.error(req, 500, first);
  yield { kind: 'sleep', ms: 1000 };
  const second = yield* sample(d, c);
  if (typeof second === 'string') return d.error(req, 500, second);
  d.reply(req, 200, {
    ...second,
    preread: first.read ?? ZERO_TIME,
    num_procs: 0,
    storage_stats: {},
    precpu_stats: first.cpu_stats ?? {},
    name: `/${c.name}`,
    id: c.id,
  });
}
