/**
 * Simulation speed: how long a run of about 400 messages takes, start to end, world included
 * (building the world and starting every layer machine is part of every replay, so it counts).
 *
 * Goal: ≤ 50 ms median for a 400-message run — a step back replays the run from its start, so
 * this is also the worst-case latency of the site's ⏮ button. Prints the exact message count,
 * median and p95, messages per second, PASS or FAIL against the goal, the cost of one `back()`
 * from the end, and a final JSON line for scripts. Exits 0 either way.
 *
 * Usage: npm run bench:sim [-- --runs 30 --warmup 5]
 */
import { performance } from 'node:perf_hooks';
import { Simulation } from '../src/sim/simulation.ts';
import { Stepper } from '../src/sim/stepper.ts';
import { RUN_400 as COMMANDS } from './shared/run400.ts';
import { countFlag } from './shared/numbers.ts';

const GOAL_MS = 50;

function quantile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function summary(samples: number[]): { median: number; p95: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median =
    sorted.length % 2 ? (sorted[Math.floor(mid)] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, p95: quantile(sorted, 0.95), min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

function countMessages(sim: Simulation): number {
  return sim.world.wire.trace.reduce((n, e) => (e.type === 'message' ? n + 1 : n), 0);
}

/** One full run, world construction included; returns [ms, messages]. */
function timedRun(): [number, number] {
  const t0 = performance.now();
  const sim = new Simulation([...COMMANDS]);
  sim.runToEnd();
  const ms = performance.now() - t0;
  return [ms, countMessages(sim)];
}

function timedWorld(): number {
  const t0 = performance.now();
  new Simulation([...COMMANDS]);
  return performance.now() - t0;
}

/** back() from the end of the run: a replay of total - 1 messages on a fresh world. */
function timedBacks(runs: number): number[] {
  const stepper = new Stepper(COMMANDS);
  stepper.seek(Number.MAX_SAFE_INTEGER);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    stepper.seek(Number.MAX_SAFE_INTEGER);
    const t0 = performance.now();
    stepper.back();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const fmt = (ms: number) => ms.toFixed(1);

function main(): void {
  const runs = countFlag('--runs', 30);
  const warmup = countFlag('--warmup', 5);
  const [, messages] = timedRun();
  console.log(`commands: ${COMMANDS.join(' ; ')}`);
  console.log(`messages per run: ${messages}`);
  for (let i = 0; i < warmup; i++) timedRun();

  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [ms, count] = timedRun();
    if (count !== messages)
      throw new Error(
        `bench: run ${i} delivered ${count} messages, expected ${messages}: the simulation is not deterministic`,
      );
    samples.push(ms);
  }
  const run = summary(samples);
  const world = summary(Array.from({ length: runs }, timedWorld));
  const back = summary(timedBacks(Math.min(runs, 10)));
  const perSecond = Math.round(messages / (run.median / 1000));
  const pass = run.median <= GOAL_MS;

  console.log(`runs: ${warmup} warm-up + ${runs} timed (world construction included)`);
  console.log(
    `run: median ${fmt(run.median)} ms, p95 ${fmt(run.p95)} ms, min ${fmt(run.min)} ms, max ${fmt(run.max)} ms`,
  );
  console.log(`  of which building the world: median ${fmt(world.median)} ms`);
  console.log(
    `throughput: ${perSecond} messages/s (${((run.median / messages) * 1000).toFixed(1)} µs per message)`,
  );
  console.log(
    `back() from the end (replay of ${messages - 1} messages): median ${fmt(back.median)} ms, p95 ${fmt(back.p95)} ms`,
  );
  console.log(`goal ≤ ${GOAL_MS} ms: ${pass ? 'PASS' : 'FAIL'} (median ${fmt(run.median)} ms)`);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  console.log(
    JSON.stringify({
      messages,
      medianMs: round(run.median),
      p95Ms: round(run.p95),
      goalMs: GOAL_MS,
      pass,
      messagesPerSecond: perSecond,
      backMedianMs: round(back.median),
    }),
  );
}

main();
