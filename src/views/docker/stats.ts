import type { JsonObject } from '../../model/json.ts';
import { bytesSize, humanSizeWithPrecision } from './units.ts';

/**
 * `docker stats`: one stats frame (moby api/types StatsJSON) as the CLI shows it, following
 * docker/cli v28.2.2 cli/command/container/stats_helpers.go (the figures) and
 * cli/command/container/formatter_stats.go (their text and the column headers).
 */
export const STATS_FORMAT =
  'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

export const STATS_HEADERS: Record<string, string> = {
  Container: 'CONTAINER',
  ID: 'CONTAINER ID',
  Name: 'NAME',
  CPUPerc: 'CPU %',
  MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %',
  NetIO: 'NET I/O',
  BlockIO: 'BLOCK I/O',
  PIDs: 'PIDS',
};

const obj = (v: unknown): JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : {};
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** calculateCPUPercentUnix: the task's CPU time over the host's, between the two samples. */
function cpuPercent(s: JsonObject): number {
  const now = obj(s.cpu_stats);
  const before = obj(s.precpu_stats);
  const cpuDelta = num(obj(now.cpu_usage).total_usage) - num(obj(before.cpu_usage).total_usage);
  const systemDelta = num(now.system_cpu_usage) - num(before.system_cpu_usage);
  const cpus = num(now.online_cpus);
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
}

/** calculateMemUsageUnixNoCache: usage less the inactive page cache (cgroup v1's total_, v2's own). */
function memoryUsed(memory: JsonObject): number {
  const usage = num(memory.usage);
  const stats = obj(memory.stats);
  const inactive = 'total_inactive_file' in stats ? num(stats.total_inactive_file) : num(stats.inactive_file);
  return inactive < usage ? usage - inactive : usage;
}

function sumBy(entries: unknown, key: (e: JsonObject) => number): number {
  return Array.isArray(entries) ? entries.reduce((n: number, e) => n + key(obj(e)), 0) : 0;
}

/** The template's fields for one frame; `container` is what the user named (or the listed id). */
export function statsContext(s: JsonObject, container: string): JsonObject {
  const memory = obj(s.memory_stats);
  const used = memoryUsed(memory);
  const limit = num(memory.limit);
  const nets = Object.values(obj(s.networks)).map(obj);
  const io = obj(s.blkio_stats).io_service_bytes_recursive;
  const blk = (op: string) => sumBy(io, (e) => (String(e.op).toLowerCase() === op ? num(e.value) : 0));
  const pair = (a: number, b: number) => `${humanSizeWithPrecision(a, 3)} / ${humanSizeWithPrecision(b, 3)}`;
  return {
    Container: container,
    ID: String(s.id ?? '').slice(0, 12),
    Name: String(s.name ?? '').replace(/^\//, ''),
    CPUPerc: `${cpuPercent(s).toFixed(2)}%`,
    MemUsage: `${bytesSize(used)} / ${bytesSize(limit)}`,
    MemPerc: `${(limit > 0 ? (used / limit) * 100 : 0).toFixed(2)}%`,
    NetIO: pair(
      nets.reduce((n, e) => n + num(e.rx_bytes), 0),
      nets.reduce((n, e) => n + num(e.tx_bytes), 0),
    ),
    BlockIO: pair(blk('read'), blk('write')),
    PIDs: String(num(obj(s.pids_stats).current)),
  };
}
