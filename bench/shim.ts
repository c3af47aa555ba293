/**
 * The real shim's costs beside bare runc, measured in one run on the same busybox bundle:
 * per round, a container (`true`) through containerd-shim-runc-v2 — shim start, Create (runs
 * `runc create` through the recorder), Start, Delete (after the exit), Shutdown — and the same
 * bundle through bare runc: `runc run` end to end, and `runc create`, `start`, `delete` apart;
 * and a Create through the shim with runc itself as the binary (what the recorder costs).
 * The order alternates between rounds. Medians in milliseconds; the last line is one JSON object:
 * {"shimStartMs","createMs","createUnrecordedMs","startMs","deleteMs","shutdownMs","shimTotalMs","runcRunMs",
 * "runcCreateMs","runcStartMs","runcDeleteMs","shimVsRuncRun"} (shimTotalMs ÷ runcRunMs).
 * Needs root, /bin/busybox (busybox-static), containerd and runc from Debian.
 *
 * Usage: npm run bench:shim [-- --rounds 10]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RUNC_BINARY } from '../engine/shim/binaries.ts';
import { missing } from '../test/engine/helpers/caps.ts';
import {
  closeLab,
  makeBundle,
  makeLab,
  runcOptions,
  startLabShim,
  type Lab,
} from '../test/engine/shimFixture.ts';
import { countFlag, median } from './shared/numbers.ts';

/** Runs runc with stdio ignored (a created container keeps create's stdio open) until it exits. */
function runc(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(RUNC_BINARY, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`runc ${args.join(' ')}: exit status ${code}`)),
    );
  });
}

type Times = Record<string, number>;

async function timed<T>(times: Times, name: string, work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const value = await work();
  times[name] = performance.now() - t;
  return value;
}

/** Through the shim with runc as the options' binary_name: what the recorder costs. */
async function unrecorded(lab: Lab, id: string): Promise<Times> {
  const c = await makeBundle(lab, id, { args: ['true'] });
  const t: Times = {};
  const shim = await startLabShim(lab, c);
  await timed(t, 'createUnrecorded', () =>
    shim.task.create({ bundle: c.bundle, runc: { binaryName: RUNC_BINARY, root: lab.runcRoot } }),
  );
  const exited = lab.events.next('/tasks/exit', (e) => e.event.containerId === id);
  await shim.task.start();
  await exited;
  await shim.task.delete();
  await shim.task.shutdown();
  shim.log.close();
  return t;
}

async function throughShim(lab: Lab, id: string): Promise<Times> {
  const c = await makeBundle(lab, id, { args: ['true'] });
  const t: Times = {};
  const started = performance.now();
  const shim = await timed(t, 'shimStart', () => startLabShim(lab, c));
  const task = shim.task;
  await timed(t, 'create', () => task.create({ bundle: c.bundle, runc: runcOptions(lab) }));
  const exited = lab.events.next('/tasks/exit', (e) => e.event.containerId === id);
  await timed(t, 'start', () => task.start());
  await exited;
  await timed(t, 'delete', () => task.delete());
  await timed(t, 'shutdown', () => task.shutdown());
  t['shimTotal'] = performance.now() - started;
  shim.log.close();
  return t;
}

async function bareRunc(lab: Lab, id: string): Promise<Times> {
  const c = await makeBundle(lab, id, { args: ['true'] });
  const root = ['--root', join(lab.runcRoot, 'bare')];
  const t: Times = {};
  await timed(t, 'runcRun', () => runc([...root, 'run', '--bundle', c.bundle, `${id}-run`]));
  await runc([...root, 'delete', '--force', `${id}-run`]).catch(() => undefined);
  await timed(t, 'runcCreate', () => runc([...root, 'create', '--bundle', c.bundle, id]));
  await timed(t, 'runcStart', () => runc([...root, 'start', id]));
  // `true` exits at once; delete waits for nothing but runc's own work.
  await new Promise((r) => setTimeout(r, 50));
  await timed(t, 'runcDelete', () => runc([...root, 'delete', '--force', id]));
  return t;
}

async function main(): Promise<void> {
  const why = missing(['root', 'busybox', 'shim', 'runc']);
  if (why !== undefined) throw new Error(`bench:shim cannot run here: ${why}`);
  const n = countFlag('--rounds', 10);
  const lab = await makeLab();
  const all: Times[] = [];
  try {
    for (let r = 0; r < n; r++) {
      const sides = r % 2 === 0 ? [throughShim, bareRunc, unrecorded] : [unrecorded, bareRunc, throughShim];
      const times: Times = {};
      for (const [i, side] of sides.entries()) Object.assign(times, await side(lab, `b${r}-${i}`));
      console.log(
        `round ${r + 1}: ${Object.entries(times)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', ')}`,
      );
      all.push(times);
    }
  } finally {
    await closeLab(lab);
  }
  const m = (k: string): number => Number(median(all.map((t) => t[k] ?? NaN)).toFixed(1));
  const out = {
    shimStartMs: m('shimStart'),
    createMs: m('create'),
    createUnrecordedMs: m('createUnrecorded'),
    startMs: m('start'),
    deleteMs: m('delete'),
    shutdownMs: m('shutdown'),
    shimTotalMs: m('shimTotal'),
    runcRunMs: m('runcRun'),
    runcCreateMs: m('runcCreate'),
    runcStartMs: m('runcStart'),
    runcDeleteMs: m('runcDelete'),
    shimVsRuncRun: Number((m('shimTotal') / m('runcRun')).toFixed(2)),
  };
  console.log(JSON.stringify(out));
}

await main();
