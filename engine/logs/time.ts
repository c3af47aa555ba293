// Log timestamps in nanoseconds since the epoch, as bigint: dockerd stamps each line with Go's
// time.Now().UTC() (nanoseconds), writes it as RFC3339Nano (trailing zeros of the fraction cut,
// moby daemon/logger/jsonfilelog/jsonlog/time_marshalling.go), prints it with `docker logs -t` as
// RFC3339NanoFixed (always nine digits, pkg/jsonmessage), and takes `since`/`until` on the API
// as "SECONDS[.NANOSECONDS]" (api/types/time ParseTimestamps). Date has milliseconds only, so the
// clock is the wall clock at start plus the monotonic high-resolution clock since.

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const anchor = BigInt(Date.now()) * NS_PER_MS - process.hrtime.bigint();

/** Now, in nanoseconds since the epoch. */
export function nowNs(): bigint {
  return anchor + process.hrtime.bigint();
}

function parts(ns: bigint): { date: string; fraction: string } {
  const seconds = ns / NS_PER_S - (ns % NS_PER_S < 0n ? 1n : 0n);
  const nanos = ns - seconds * NS_PER_S;
  const date = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return { date, fraction: nanos.toString().padStart(9, '0') };
}

/** RFC 3339 with nanoseconds, trailing zeros dropped (Go's time.RFC3339Nano), in UTC. */
export function formatRfc3339Nano(ns: bigint): string {
  const { date, fraction } = parts(ns);
  const trimmed = fraction.replace(/0+$/, '');
  return `${date}${trimmed === '' ? '' : `.${trimmed}`}Z`;
}

/** RFC 3339 with all nine digits (moby pkg/jsonmessage RFC3339NanoFixed), in UTC. */
export function formatRfc3339NanoFixed(ns: bigint): string {
  const { date, fraction } = parts(ns);
  return `${date}.${fraction}Z`;
}

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** An RFC 3339 time with up to nine fraction digits and any offset, in nanoseconds since the epoch. */
export function parseRfc3339Nano(text: string): bigint {
  const m = RFC3339.exec(text);
  if (m === null) throw new Error(`invalid log time "${text}"`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  let ns = BigInt(ms) * NS_PER_MS + BigInt((frac ?? '').padEnd(9, '0'));
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1n : 1n;
    const minutes = BigInt(Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    ns -= sign * minutes * 60n * NS_PER_S;
  }
  return ns;
}

/** The API's `since`/`until`: "SECONDS" or "SECONDS.FRACTION", the fraction scaled to
 * nanoseconds as ParseTimestamps does ("1.5" is 1.5 s). */
export function parseApiTimestamp(value: string): bigint {
  const m = /^(-?\d+)(?:\.(\d+))?$/.exec(value);
  if (m === null) throw new Error(`invalid timestamp "${value}"`);
  const fraction = (m[2] ?? '').slice(0, 9).padEnd(9, '0');
  return BigInt(m[1] ?? '0') * NS_PER_S + BigInt(fraction);
}
