/**
 * go-units v0.5.0 (the version docker/cli 28 vendors), as the CLI and dockerd print durations
 * and sizes.
 * https://github.com/docker/go-units/blob/v0.5.0/duration.go
 * https://github.com/docker/go-units/blob/v0.5.0/size.go
 */
import { goFormatG } from './gofloat.ts';

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;

/**
 * `units.HumanDuration`. Seconds and minutes truncate toward zero (Go's `int(d.Seconds())`),
 * hours round half up (`int(d.Hours() + 0.5)`), so 89m59s is "About an hour" and 90m is
 * "2 hours". A negative duration (clock skew) is "Less than a second".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / MS_PER_SECOND);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / MS_PER_MINUTE);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  // time.Duration.Hours() is whole hours plus the remainder as a fraction.
  const wholeHours = Math.trunc(ms / MS_PER_HOUR);
  const hours = Math.trunc(wholeHours + (ms - wholeHours * MS_PER_HOUR) / MS_PER_HOUR + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  // The years branch uses the unrounded hours: int(d.Hours())/24/365.
  return `${Math.trunc(Math.trunc(ms / MS_PER_HOUR) / 24 / 365)} years`;
}

export const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] as const;

/** go-units getSizeAndUnit: divide while ≥ base, stopping at the last unit. */
export function sizeAndUnit(size: number, base: number, units: readonly string[]): [number, string] {
  let i = 0;
  let value = size;
  while (value >= base && i < units.length - 1) {
    value /= base;
    i++;
  }
  return [value, units[i] ?? 'B'];
}

/** `units.HumanSizeWithPrecision(size, precision)`: decimal units, `%.{precision}g`. */
export function humanSizeWithPrecision(bytes: number, precision: number): string {
  const [value, unit] = sizeAndUnit(bytes, 1000, DECIMAL_UNITS);
  return goFormatG(value, precision) + unit;
}

/**
 * What `docker ps -s`, `docker images` and `docker history` print:
 * `units.HumanSizeWithPrecision(size, 3)` ("4.27MB", "192MB", "0B", "1e+03kB").
 */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 3);
}

/** `units.HumanSize` (precision 4): jsonmessage progress and the SharedSize/UniqueSize columns. */
export function humanSize4(bytes: number): string {
  return humanSizeWithPrecision(bytes, 4);
}

/**
 * `units.BytesSize`: binary units, `%.4g` ("8MiB", "1.953KiB"). docker uses it for memory
 * (`docker stats`, `docker info`), none of the tables in this directory.
 */
export function bytesSize(bytes: number): string {
  const [value, unit] = sizeAndUnit(bytes, 1024, BINARY_UNITS);
  return goFormatG(value, 4) + unit;
}
