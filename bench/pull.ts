/**
 * Pull speed against Docker: builds a ≈100 MB image of 4 layers, pushes it to a registry on
 * loopback (Debian's docker-registry, with skopeo), then times, alternately and for several
 * rounds, a cold pull + unpack by dockstep (engine/image/pull.ts, into a root kept open like a
 * running engine's, its unpack workers started) and by a real dockerd (`POST /images/create`, what `docker pull` sends). Each round pulls an image of
 * its own (fresh random data) into stores that nothing is deleted from until the end: ext4
 * here spends ~0.5 ms per file create skipping recently deleted inodes (find_inode_bit →
 * recently_deleted), so deleting the last round's files would slow whoever pulls next. The
 * order alternates between rounds, and each timed pull starts after a sync(1), so neither pays
 * for the other's writeback. Both download 4 layers at once (dockerd:
 * --max-concurrent-downloads). MB/s = compressed layer bytes (1 MB = 10^6 bytes) / s, median
 * over the rounds.
 *
 * Goal: dockstep ≥ 150 MB/s including unpack, and ≥ 2× Docker. The dockerd is the one at
 * BENCH_DOCKER_HOST (unix://…) when given, else a private one started with its data root beside
 * dockstep's and stopped at the end. Both stores live on a fresh ext4 made for the run
 * (pull/freshfs.ts says why), or with `--fs host` under /var/tmp (not /tmp: on these machines
 * /tmp's block groups are crowded with inodes other test runs just deleted, and a file create
 * there costs ~0.8 ms instead of ~0.02 ms, whoever creates it).
 * Last line: {"dockstepMBps":…,"dockerMBps":…,"ratio":…}.
 *
 * Usage: npm run bench:pull [-- --rounds 5] [--via machines|direct] [--fs fresh|host]
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pull } from '../engine/image/pull.ts';
import { ImageRoot } from '../engine/image/root.ts';
import { pullThroughMachines } from '../engine/real/pull.ts';
import { skopeoCopy } from '../test/engine/helpers/images.ts';
import { startRegistry } from '../test/engine/helpers/registry.ts';
import { engineRequest, startDockerd, type Dockerd } from './pull/dockerd.ts';
import { freshExt4, hostFs, type BenchFs } from './pull/freshfs.ts';
import { buildBenchImage } from './pull/image.ts';

const GOAL_MBPS = 150;
const GOAL_RATIO = 2;
const BASE = '/var/tmp/dockstep-bench';

function rounds(): number {
  const at = process.argv.indexOf('--rounds');
  const n = at >= 0 ? Number(process.argv[at + 1]) : 5;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`bench: --rounds must be a positive integer, got ${process.argv[at + 1]}`);
  return n;
}

function option<T extends string>(name: string, values: readonly T[], fallback: T): T {
  const at = process.argv.indexOf(`--${name}`);
  const v = at >= 0 ? process.argv[at + 1] : fallback;
  if (!values.includes(v as T)) throw new Error(`bench: --${name} must be ${values.join(' or ')}, got ${v}`);
  return v as T;
}

function flushed(): Promise<void> {
  return new Promise((resolve, reject) => execFile('sync', (error) => (error ? reject(error) : resolve())));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/**
 * How dockstep pulls: `machines` (default) is what the engine serves `POST /images/create` with,
 * the dockerd machine's pull operation with the real actions (engine/real/pull.ts); `direct` is
 * the image library's own pipelined pull (engine/image/pull.ts), for comparison.
 */
function via(): 'machines' | 'direct' {
  return option('via', ['machines', 'direct'], 'machines');
}

async function pullOnce(root: ImageRoot, ref: string): Promise<void> {
  if (via() === 'direct') {
    await pull(root, ref, { concurrency: 4 });
    return;
  }
  const at = ref.lastIndexOf(':');
  // The dockerd it is compared with runs with --max-concurrent-downloads=4 too (pull/dockerd.ts).
  const result = await pullThroughMachines(root, { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) }, { maxConcurrentDownloads: 4 });
  if (result.status !== 200 || result.error !== undefined)
    throw new Error(`dockstep pull ${ref} failed: ${result.error ?? JSON.stringify(result.body)}`);
}

/** A pull into the root that stays open for the whole bench, as a running engine's would. */
async function dockstepPull(root: ImageRoot, ref: string): Promise<number> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await pullOnce(root, ref);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(
    `  dockstep cpu: user ${(used.user / 1e3).toFixed(0)} ms, system ${(used.system / 1e3).toFixed(0)} ms`,
  );
  return ms;
}

async function dockerPull(docker: Dockerd, ref: string): Promise<number> {
  const [name, tag] = [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)];
  const started = performance.now();
  const res = await engineRequest(
    docker.socket,
    'POST',
    `/images/create?fromImage=${encodeURIComponent(name)}&tag=${tag}`,
  );
  const ms = performance.now() - started;
  if (res.status !== 200 || res.body.includes('"error"'))
    throw new Error(`docker pull failed: ${res.status} ${res.body.slice(-500)}`);
  return ms;
}

async function openDocker(stores: string): Promise<{ docker: Dockerd; own: boolean }> {
  const given = process.env['BENCH_DOCKER_HOST'];
  if (given !== undefined)
    return { docker: { socket: given.replace(/^unix:\/\//, ''), stop: async () => undefined }, own: false };
  return { docker: await startDockerd(join(stores, 'dk')), own: true };
}

/** Pushes `n` bench images (and a small warm-up one); answers their names and layer bytes. */
async function pushImages(
  host: string,
  dir: string,
  n: number,
): Promise<{ refs: string[]; bytes: number; warm: string }> {
  const refs: string[] = [];
  let bytes = 0;
  for (let r = 0; r <= n; r++) {
    const layout = join(dir, `layout-${r}`);
    const image = buildBenchImage(layout, r === n ? 4e6 : undefined);
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
  const n = rounds();
  const work = { path: `${BASE}/work`, remove: () => rmSync(BASE, { recursive: true, force: true }) };
  const fresh = option('fs', ['fresh', 'host'], 'fresh') === 'fresh';
  // A mount an interrupted run left goes before the directory does.
  if (fresh) freshExt4(BASE, 16).remove();
  work.remove();
  mkdirSync(work.path, { recursive: true });
  const registry = await startRegistry();
  let docker: Dockerd | undefined;
  let fs: BenchFs | undefined;
  try {
    const { refs, bytes, warm } = await pushImages(registry.host, work.path, n);
    console.log(
      `images: ${n} × 4 layers, ${(bytes / 1e6).toFixed(1)} MB compressed each, on ${registry.host}`,
    );
    fs = fresh ? freshExt4(BASE, 16) : hostFs(join(BASE, 'stores'));
    const opened = await openDocker(fs.path);
    docker = opened.docker;
    console.log(`stores on ${fs.what}; dockerd: ${opened.own ? 'private, ' : ''}${docker.socket}; dockstep pulls via ${via()}`);
    // Like dockerd, the engine is already running: its root is open and its unpack workers up.
    const root = await ImageRoot.open(join(fs.path, 'root'));
    await root.unpackers?.warm();
    // One small untimed pull each first, as a running engine has served requests before.
    await dockstepPull(root, warm);
    await dockerPull(opened.docker, warm);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (const [r, ref] of refs.entries()) {
      // Each timed pull starts with no dirty pages from the one before (sync(1) is not timed).
      const runOurs = () => flushed().then(() => dockstepPull(root, ref));
      const runTheirs = () => flushed().then(() => dockerPull(opened.docker, ref));
      const first = r % 2 === 0 ? await runOurs() : await runTheirs();
      const second = r % 2 === 0 ? await runTheirs() : await runOurs();
      const [a, b] = r % 2 === 0 ? [first, second] : [second, first];
      ours.push(a);
      theirs.push(b);
      console.log(
        `round ${r + 1}: dockstep ${a.toFixed(0)} ms (${(bytes / 1e3 / a).toFixed(0)} MB/s), docker ${b.toFixed(0)} ms (${(bytes / 1e3 / b).toFixed(0)} MB/s)`,
      );
    }
    await root.close();
    const dockstepMBps = Math.round(bytes / 1e3 / median(ours));
    const dockerMBps = Math.round(bytes / 1e3 / median(theirs));
    const ratio = Math.round((dockstepMBps / dockerMBps) * 100) / 100;
    console.log(
      `median: dockstep ${dockstepMBps} MB/s (goal ${GOAL_MBPS}: ${dockstepMBps >= GOAL_MBPS ? 'PASS' : 'FAIL'}), docker ${dockerMBps} MB/s, ratio ${ratio} (goal ${GOAL_RATIO}: ${ratio >= GOAL_RATIO ? 'PASS' : 'FAIL'})`,
    );
    console.log(JSON.stringify({ dockstepMBps, dockerMBps, ratio }));
  } finally {
    await docker?.stop();
    await registry.stop();
    fs?.remove();
    work.remove();
  }
}

await main();
