/**
 * The Go time layouts docker prints, in UTC: the simulated client's time zone. (Go formats in
 * the client's local zone; a client in another zone would print "+01:00" instead of "Z".)
 * https://github.com/golang/go/blob/go1.24.0/src/time/format.go
 */

function pad(n: number, width: number): string {
  return `${n}`.padStart(width, '0');
}

/** "2006-01-02T15:04:05" for whole Unix seconds. */
function dateTime(sec: number): string {
  const d = new Date(sec * 1000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  );
}

/** `time.Unix(sec, 0).Format(time.RFC3339)`: "2026-01-01T09:00:00Z". */
export function formatGoTimeRfc3339(sec: number): string {
  return `${dateTime(Math.floor(sec))}Z`;
}

/**
 * A Unix time in nanoseconds, split exactly into seconds and nanoseconds. The value is a JS
 * number, so it is exact only to about 256 ns at today's magnitudes; we read its shortest
 * decimal form, which is also what JSON output shows, so text and JSON always agree.
 */
export function splitUnixNano(timeNano: number): { sec: number; nsec: number } {
  const whole = Math.round(timeNano);
  const digits = Math.abs(whole) < 1e21 ? String(whole) : BigInt(whole).toString();
  const negative = digits.startsWith('-');
  const abs = negative ? digits.slice(1) : digits;
  const nsecPart = abs.slice(-9).padStart(9, '0');
  const secPart = abs.length > 9 ? abs.slice(0, -9) : '0';
  let sec = Number(secPart);
  let nsec = Number(nsecPart);
  if (negative) {
    sec = -sec;
    if (nsec > 0) {
      sec -= 1;
      nsec = 1e9 - nsec;
    }
  }
  return { sec, nsec };
}

/** `Format("2006-01-02T15:04:05.000000000Z07:00")`, jsonmessage's and `docker events`' layout. */
export function formatRfc3339NanoFixed(sec: number, nsec: number): string {
  return `${dateTime(sec)}.${pad(nsec, 9)}Z`;
}
