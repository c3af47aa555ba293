// One timing of a command and the median of several: bench:cli's own measures, for its start-up
// figures (bench/cli.ts) and its images listing (bench/cli/memory.ts).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Wall time of one run of `cmd`, in ms; a failed run ends the bench. */
export function timeOnce(cmd: string, args: string[]): number {
  const start = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`bench: ${cmd} ${args.join(' ')} exited ${String(r.status)}`);
  return ms;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
