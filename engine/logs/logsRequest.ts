// The query of `GET /containers/{id}/logs` as dockerd 20.10 reads it (moby
// api/server/router/container/container_routes.go getContainersLogs, daemon/logs.go): booleans
// are false for "", "0", "no", "false" and "none" (httputils.BoolValue); `tail` that is not a
// number means all; `since`/`until` are "SECONDS[.NANOSECONDS]" (the CLI turns `10m` or a date
// into that), `until=0` means none; at least one stream must be asked for.
import type { ReadConfig } from './readLogs.ts';
import { parseApiTimestamp } from './time.ts';

export interface LogsRequest {
  read: ReadConfig;
  stdout: boolean;
  stderr: boolean;
  timestamps: boolean;
}

function boolValue(query: URLSearchParams, key: string): boolean {
  const v = (query.get(key) ?? '').trim().toLowerCase();
  return !['', '0', 'no', 'false', 'none'].includes(v);
}

function tailOf(value: string | null): number {
  const n = Number(value ?? 'all');
  return value !== null && /^[-+]?\d+$/.test(value.trim()) && Number.isSafeInteger(n) ? n : -1;
}

/** Throws dockerd's message for a request it refuses (the caller answers 400). */
export function parseLogsRequest(query: URLSearchParams): LogsRequest {
  const stdout = boolValue(query, 'stdout');
  const stderr = boolValue(query, 'stderr');
  if (!stdout && !stderr) throw new Error('You must choose at least one stream');
  const since = query.get('since') ?? '';
  const until = query.get('until') ?? '';
  return {
    read: {
      tail: tailOf(query.get('tail')),
      follow: boolValue(query, 'follow'),
      ...(since === '' ? {} : { since: parseApiTimestamp(since) }),
      ...(until === '' || until === '0' ? {} : { until: parseApiTimestamp(until) }),
    },
    stdout,
    stderr,
    timestamps: boolValue(query, 'timestamps'),
  };
}
