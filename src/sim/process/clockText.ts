/**
 * Timestamps as programs print them, from virtual time. Containers run in UTC unless TZ is set
 * (images ship no /etc/localtime), so every format here is UTC.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function parts(ms: number) {
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth(),
    d: d.getUTCDate(),
    wd: d.getUTCDay(),
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    ms: d.getUTCMilliseconds(),
  };
}

/** nginx's error log time, ngx_cached_err_log_time: "2026/01/01 00:00:00". */
export function nginxTime(ms: number): string {
  const p = parts(ms);
  return `${p.y}/${pad(p.mo + 1)}/${pad(p.d)} ${p.time}`;
}

/** redis serverLog: "%d %b %Y %H:%M:%S." plus milliseconds, e.g. "01 Jan 2026 00:00:00.000". */
export function redisTime(ms: number): string {
  const p = parts(ms);
  return `${pad(p.d)} ${MONTHS[p.mo] ?? ''} ${p.y} ${p.time}.${pad(p.ms, 3)}`;
}

/** date(1) without arguments, C locale: "Thu Jan  1 00:00:00 UTC 2026" (%e pads with a space). */
export function dateText(ms: number): string {
  const p = parts(ms);
  return `${DAYS[p.wd] ?? ''} ${MONTHS[p.mo] ?? ''} ${String(p.d).padStart(2, ' ')} ${p.time} UTC ${p.y}`;
}
