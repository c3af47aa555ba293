// What several benches read and compute alike: a count given on the command line, and the median
// of their rounds.

/** `--name N` from the command line, a whole number above 0; `fallback` when the flag is absent. */
export function countFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const n = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`bench: ${name} must be a positive integer, got ${process.argv[at + 1]}`);
  return n;
}

/** The middle value, or the mean of the two middle ones for an even count; NaN for none. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}
