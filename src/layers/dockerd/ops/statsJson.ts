import type { JsonObject, JsonValue } from '../../../model/json.ts';

// The task's cgroup metrics (containerd's cgroups Metrics, v1 or v2, as the shim's Task/Stats
// gives them in protobuf JSON with the proto's field names) turned into Docker's StatsJSON, as
// dockerd's stats collector does (moby v20.10.24 daemon/daemon_unix.go statsV1, statsV2).

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

export const BLKIO = [
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
export function sampleJson(metrics: JsonObject, host: HostSample): JsonObject {
  const m = obj(metrics.metrics);
  const s = num(metrics.version) === 2 ? fromV2(m, host.machineMemory) : fromV1(m, host.machineMemory);
  const cpu = obj(s.cpu_stats);
  return { ...s, cpu_stats: { ...cpu, system_cpu_usage: host.systemUsage, online_cpus: host.onlineCpus } };
}
