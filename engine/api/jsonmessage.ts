/**
 * Docker's JSON message stream: what `POST /images/create`, `/images/{name}/push` and
 * `/images/load` write, one JSON object per line, and what the docker CLI draws as per-layer
 * progress bars (moby pkg/jsonmessage, now github.com/moby/moby/api/types/jsonstream).
 *
 * A message either reports a layer's status (`id` is the layer's short id, `status` is
 * "Pulling fs layer", "Downloading", "Extracting", "Pull complete"…, `progressDetail` carries
 * byte counts), or a line for the whole operation (no `id`), or the error that ended the stream
 * (`error` and `errorDetail`; the HTTP status is already 200 by then).
 *
 * Glossary: *progressDetail* — `{current, total}` in bytes, from which the client draws the
 * bar; *progress* — the same bar as text, as dockerd renders it for older clients; *aux* — a
 * result object (the pushed digest, a loaded image id).
 */
import { humanSize4 } from '../../src/views/docker/units.ts';

export interface JsonProgress {
  current?: number;
  total?: number;
  /** Unix seconds the transfer started, for the time-left estimate. */
  start?: number;
}

export interface JsonMessage {
  id?: string;
  status?: string;
  progressDetail?: JsonProgress;
  progress?: string;
  stream?: string;
  aux?: Record<string, unknown>;
  error?: string;
  errorDetail?: { code?: number; message: string };
}

/**
 * A size as docker prints it: decimal units and four significant digits ("28.23MB", "1.104kB",
 * "999B"), as go-units' HumanSize does (https://github.com/docker/go-units/blob/master/size.go).
 */
export const humanSize = humanSize4;

/** Go's time.Duration.String for whole seconds: "0s", "12s", "1m5s", "2h0m3s". */
export function durationString(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${m}m${rest}s`;
  if (m > 0) return `${m}m${rest}s`;
  return `${rest}s`;
}

/**
 * The progress bar text for one layer, as JSONProgress.String draws it: a 50-column bar when the
 * terminal is wider than 110 columns, then `current/total`, then the time left when it is wider
 * than 50 and the transfer is under way. `nowSeconds` is the caller's clock (unix seconds).
 */
export function progressString(p: JsonProgress, width: number, nowSeconds: number): string {
  const current = p.current ?? 0;
  const total = p.total ?? 0;
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return humanSize(current).padStart(8);
  const percent = Math.min(50, Math.floor(Math.floor((current / total) * 100) / 2));
  const bar = width > 110 ? `[${'='.repeat(percent)}>${' '.repeat(Math.max(0, 50 - percent))}] ` : '';
  const numbers =
    current > total
      ? humanSize(current).padStart(8)
      : `${humanSize(current).padStart(8)}/${humanSize(total)}`;
  let left = '';
  if (current > 0 && p.start !== undefined && p.start > 0 && percent < 50 && width > 50) {
    const elapsed = nowSeconds - p.start;
    left = ` ${durationString((elapsed / current) * (total - current))}`;
  }
  return bar + numbers + left;
}
