/**
 * BuildKit's `--progress=plain` text, as moby/buildkit's progressui prints a SolveStatus stream
 * (util/progress/progressui/printer.go): a blank line and `#N name` when a vertex first shows,
 * `#N <status id> <bytes> <time> done` per status, `#N <seconds> <line>` per log line,
 * `#N CACHED`, `#N DONE 0.1s` or `#N ERROR: …` at the end. Sizes are tonistiigi/units' `%.2f`
 * (decimal units; whole bytes below 1 kB).
 */
import { DECIMAL_UNITS, sizeAndUnit } from './units.ts';

export interface PlainUpdate {
  index: number;
  name?: string;
  statuses?: { id: string; current?: number; total?: number; done?: boolean; secs?: number }[];
  logs?: { secs: number; text: string }[];
  cached?: boolean;
  doneSecs?: number;
  error?: string;
}

export function plainBytes(n: number): string {
  const [value, unit] = sizeAndUnit(n, 1000, DECIMAL_UNITS);
  return unit === 'B' ? `${n}B` : `${value.toFixed(2)}${unit}`;
}

function statusLine(index: number, s: NonNullable<PlainUpdate['statuses']>[number]): string {
  const bytes = s.total
    ? ` ${plainBytes(s.current ?? 0)} / ${plainBytes(s.total)}`
    : s.current
      ? ` ${plainBytes(s.current)}`
      : '';
  const time = s.secs !== undefined && s.secs > 0.01 ? ` ${s.secs.toFixed(1)}s` : '';
  return `#${index} ${s.id}${bytes}${time}${s.done ? ' done' : ''}\n`;
}

export function renderPlain(updates: readonly PlainUpdate[]): string {
  let out = '';
  for (const u of updates) {
    if (u.name !== undefined) out += `\n#${u.index} ${u.name}\n`;
    for (const s of u.statuses ?? []) out += statusLine(u.index, s);
    for (const log of u.logs ?? []) {
      for (const line of log.text.replace(/\n$/, '').split('\n'))
        out += `#${u.index} ${log.secs.toFixed(3)} ${line}\n`;
    }
    if (u.cached) out += `#${u.index} CACHED\n`;
    if (u.error !== undefined) out += `#${u.index} ERROR: ${u.error}\n`;
    else if (u.doneSecs !== undefined) out += `#${u.index} DONE ${u.doneSecs.toFixed(1)}s\n`;
  }
  return out;
}

/** buildx's summary of a failed vertex: its name and last log lines between rules, then the error. */
export function plainFailure(
  vertex: { name: string; logs: readonly string[] } | undefined,
  error: string,
): string {
  const box = vertex
    ? `------\n > ${vertex.name}:\n${vertex.logs
        .slice(-10)
        .map((l) => `${l}\n`)
        .join('')}------\n`
    : '';
  return `${box}ERROR: failed to solve: ${error}\n`;
}
