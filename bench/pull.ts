/**
 * Pull speed against Docker: builds a ≈100 MB image of 4 layers, pushes it to a registry on
 * loopback (Debian's docker-registry, with skopeo), then times, alternately and for several
 * rounds, a cold pull + unpack by dockstep and by a real dockerd. By default both are daemons of
 * their own, already running, asked the same `POST /images/create` (what `docker pull` sends) on
 * their unix sockets and timed to the end of their progress streams (pull/sides.ts): the dockstep
 * engine pulls through the layer machines. `--via machines` runs the same machines' pull in this
 * process instead, `--via direct` the image library's pipelined pull (engine/image/pull.ts), for
 * comparison. Each round pulls an image of its own (fresh random data) into stores that nothing
 * is deleted from until the end; the order alternates between rounds, and each timed pull starts
 * after a sync(1) and with the page cache dropped (`settled`), so neither pays for the other's
 * writeback or memory. Both download 4 layers at once
 * (`--max-concurrent-downloads=4` for each daemon). MB/s = compressed layer bytes (1 MB = 10^6
 * bytes) / s, median over the rounds.
 *
 * Goal: dockstep ≥ 150 MB/s including unpack, and ≥ 2× Docker. The dockerd is the one at
 * BENCH_DOCKER_HOST (unix://…) when given, else a private one started with its data root beside
 * dockstep's and stopped at the end. Both stores live on a fresh ext4 made for the run
 * (pull/freshfs.ts says why), or with `--fs host` under /var/tmp (not /tmp: on these machines
 * /tmp's block groups are crowded with inodes other test runs just deleted, and a file create
 * there costs ~0.8 ms instead of ~0.02 ms, whoever creates it).
 * Last line: {"dockstepMBps":…,"dockerMBps":…,"ratio":…}.
 *
 * Usage: npm run bench:pull [-- --rounds 5] [--via engine|machines|direct] [--fs fresh|host]
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pull } from '../engine/image/pull.ts';
import { ImageRoot } from '../engine/image/root.ts';
import { pullThroughMachines } from '../engine/real/pull.ts';
import { skopeoCopy } from '../test/engine/helpers/images.ts';
import { startRegistry } from '../test/engine/helpers/registry.ts';
import { freshExt4, hostFs, type BenchFs } from './pull/freshfs.ts';
import { buildBenchImage } from './pull/image.ts';
import { dockerDaemon, dockstepEngine, type Daemon } from './pull/sides.ts';
import { countFlag, median } from './shared/numbers.ts';

const GOAL_MBPS = 150;
const GOAL_RATIO = 2;
const BASE = '/var/tmp/dockstep-bench';
/** Layers each side downloads at once. */
const DOWNLOADS = 4;

function option<T extends string>(name: string, values: readonly T[], fallback: T): T {
  const at = process.argv.indexOf(`--${name}`);
  const v = at >= 0 ? process.argv[at + 1] : fallback;
  if (!values.includes(v as T)) throw new Error(`bench: --${name} must be ${values.join(' or ')}, got ${v}`);
  return v as T;
}

/**
 * Before each timed pull: dirty pages written (sync(1)), then the clean page cache dropped
 * (proc(5), /proc/sys/vm/drop_caches), so every pull starts from the same memory, whoever ran
 * before. Measured here: with the cache kept, both sides slowed down round after round (page
 * cache growing into memory this VM had not touched yet); with it dropped, the rounds were level.
 */
async function settled(): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    execFile('sync', (error) => (error ? reject(error) : resolve())),
  );
  writeFileSync('/proc/sys/vm/drop_caches', '1');
}

/** dockstep's side in this process: a root kept open, as a running engine's would be. */
async function inProcess(stores: string, how: 'machines' | 'direct'): Promise<Daemon> {
  const root = await ImageRoot.open(join(stores, 'root'));
  await root.unpackers?.warm();
  const pullOnce = async (ref: string): Promise<void> => {
    if (how === 'direct') {
      await pull(root, ref, { concurrency: DOWNLOADS });
      return;
    }
    const at = ref.lastIndexOf(':');
    const query = { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
    const result = await pullThroughMachines(root, query, { maxConcurrentDownloads: DOWNLOADS });
    if (result.status !== 200 || result.error !== undefined)
      throw new Error(`dockstep pull ${ref} failed: ${result.error ?? JSON.stringify(result.body)}`);
  };
  return { what: `dockstep in this process (${how})`, pull: pullOnce, stop: () => root.close() };
}

function dockstepSide(stores: string): Promise<Daemon> {
  const how = option('via', ['engine', 'machines', 'direct'], 'engine');
  return how === 'engine' ? dockstepEngine(join(stores, 'ds'), DOWNLOADS) : inProcess(stores, how);
}

async function timed(daemon: Daemon, ref: string): Promise<number> {
  await settled();
  const started = performance.now();
  await daemon.pull(ref);
  return performance.now() - started;
}

/** Alternately timed pulls of each image by both: [dockstep ms, docker ms] per round. */
async function race(
  ours: Daemon,
  theirs: Daemon,
  refs: string[],
  bytes: number,
): Promise<[number[], number[]]> {
  const a: number[] = [];
  const b: number[] = [];
  const rate = (ms: number): string => `${ms.toFixed(0)} ms (${(bytes / 1e3 / ms).toFixed(0)} MB/s)`;
  for (const [r, ref] of refs.entries()) {
    const first = r % 2 === 0 ? await timed(ours, ref) : await timed(theirs, ref);
    const second = r % 2 === 0 ? await timed(theirs, ref) : await timed(ours, ref);
    a.push(r % 2 === 0 ? first : second);
    b.push(r % 2 === 0 ? second : first);
    console.log(`round ${r + 1}: dockstep ${rate(a[r] ?? NaN)}, docker ${rate(b[r] ?? NaN)}`);
  }
  return [a, b];
}

function report(ours: number[], theirs: number[], bytes: number): void {
  const dockstepMBps = Math.round(bytes / 1e3 / median(ours));
  const dockerMBps = Math.round(bytes / 1e3 / median(theirs));
  const ratio = Math.round((dockstepMBps / dockerMBps) * 100) / 100;
  const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
  console.log(
    `median: dockstep ${dockstepMBps} MB/s (goal ${GOAL_MBPS}: ${verdict(dockstepMBps >= GOAL_MBPS)}), docker ${dockerMBps} MB/s, ratio ${ratio} (goal ${GOAL_RATIO}: ${verdict(ratio >= GOAL_RATIO)})`,
  );
  console.log(JSON.stringify({ dockstepMBps, dockerMBps, ratio }));
}

/** Pushes `n` bench images and one more for the warm-up; answers their names and layer bytes. */
async function pushImages(
  host: string,
  dir: string,
  n: number,
): Promise<{ refs: string[]; bytes: number; warm: string }> {
  const refs: string[] = [];
  let bytes = 0;
  for (let r = 0; r <= n; r++) {
    const layout = join(dir, `layout-${r}`);
    const image = buildBenchImage(layout);
    const ref = `${host}/bench:${r === n ? 'warm' : r}`;
    await skopeoCopy(layout, 'bench', ref, { format: 'v2s2' });
    rmSync(layout, { recursive: true, force: true });
    if (r === n) return { refs, bytes, warm: ref };
    bytes = image.layers.reduce((sum, l) => sum + l.size, 0);
    refs.push(ref);
  }
  throw new Error('unreachable');
}

async function main(): Promise<void> {
  const n = countFlag('--rounds', 5);
  const work = { path: `${BASE}/work`, remove: () => rmSync(BASE, { recursive: true, force: true }) };
  const fresh = option('fs', ['fresh', 'host'], 'fresh') === 'fresh';
  // A mount an interrupted run left goes before the directory does.
  if (fresh) freshExt4(BASE, 16).remove();
  work.remove();
  mkdirSync(work.path, { recursive: true });
  const registry = await startRegistry();
  const daemons: Daemon[] = [];
  let fs: BenchFs | undefined;
  try {
    const { refs, bytes, warm } = await pushImages(registry.host, work.path, n);
    console.log(
      `images: ${n} × 4 layers, ${(bytes / 1e6).toFixed(1)} MB compressed each, on ${registry.host}`,
    );
    fs = fresh ? freshExt4(BASE, 16) : hostFs(join(BASE, 'stores'));
    const theirs = await dockerDaemon(join(fs.path, 'dk'), DOWNLOADS);
    daemons.push(theirs);
    const ours = await dockstepSide(fs.path);
    daemons.push(ours);
    console.log(`stores on ${fs.what}\n  dockstep: ${ours.what}\n  docker: ${theirs.what}`);
    // One untimed pull of the same size each first, as running daemons have served pulls before
    // (the engine's JavaScript is compiled by then; dockerd's Go needs no warming).
    await ours.pull(warm);
    await theirs.pull(warm);
    const [a, b] = await race(ours, theirs, refs, bytes);
    report(a, b, bytes);
  } finally {
    for (const d of daemons.reverse()) await d.stop();
    await registry.stop();
    fs?.remove();
    work.remove();
  }
}

await main();
