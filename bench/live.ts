/**
 * The live UI under a class's load, measured in one run against a real engine (`dockstep engine
 * --ui`, its own root, socket and bridge) and a registry on loopback:
 *  - `docker run --rm --network none busybox /bin/busybox true` end to end, rounds alternating without viewers
 *    and with 30 viewers connected (node WebSocket clients, in a process of their own so that their
 *    reading does not delay this one's timing of the runs); goal: with ≤ 1.1 × without;
 *    beside it the engine process's CPU time per run (/proc), which the machine's other load does
 *    not inflate as it does the wall-clock time;
 *  - message-to-viewer: for every real message of those runs, how long after the engine
 *    delivered it each viewer had it (p50, p95), beside the reference measured in the same run:
 *    a WebSocket round trip to the same server (an evidence frame asked and answered);
 *  - a ≈100 MB pull (4 layers) with the 30 viewers and the live page open in Chromium:
 *    message-to-paint in the page (p50, p95; goal p95 ≤ 150 ms), how many drawings the burst cost
 *    for how many messages (rendering is coalesced), how many messages no drawing showed, what
 *    one Mermaid drawing costs and what appending new messages to it costs (a message waits for
 *    at most the drawing under way and its own append).
 * Needs root, busybox-static, docker.io (its CLI), docker-registry, skopeo, runc, containerd's
 * shim; Chromium for the page (without it that part says why and is left out).
 * Last line: {"runMs":{"without":…,"with30":…,"ratio":…},"engineCpuMs":{"without":…,"with30":…,"ratio":…},"viewerMs":{"p50":…,"p95":…,"wsRoundTripMs":…},
 * "pull":{"messages":…,"redraws":…,"unpainted":…,"paintMs":{"p50":…,"p95":…},"drawMs":{"count":…,"p50":…,"max":…},
 * "appendMs":{"count":…,"p50":…,"max":…}},
 * "goals":{…}}.
 *
 * Usage: npm run bench:live [-- --rounds 5] [--viewers 30] [--mb 100]
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import WebSocket from 'ws';
import { teardown } from '../engine/net/index.ts';
import { engineBridge } from '../engine/real/world.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/e2e/browser.ts';
import { pushTestImages } from '../test/engine/helpers/daemonImages.ts';
import { startEngine, type RunningEngine } from '../test/engine/helpers/engine.ts';
import { skopeoCopy } from '../test/engine/helpers/images.ts';
import { liveUrl } from '../test/engine/helpers/live.ts';
import { startRegistry, type Registry } from '../test/engine/helpers/registry.ts';
import { tempDir } from '../test/engine/helpers/tmp.ts';
import { drawTimes, openPage, paints } from './live/page.ts';
import { engineCpuMs } from './live/engineCpu.ts';
import { connectViewers, percentile } from './live/viewers.ts';
import { buildBenchImage } from './pull/image.ts';
import { countFlag } from './shared/numbers.ts';

const median = (xs: number[]): number => percentile(xs, 50);
const round1 = (x: number): number => Math.round(x * 10) / 10;

async function timedRun(engine: RunningEngine): Promise<number> {
  const start = performance.now();
  const r = await engine.docker(['run', '--rm', '--network', 'none', 'busybox', '/bin/busybox', 'true'], {
    timeoutMs: 120_000,
  });
  if (r.code !== 0) throw new Error(`docker run exited ${r.code}: ${r.stderr}`);
  return performance.now() - start;
}

/** A WebSocket round trip to the UI server: an evidence frame asked and answered (median of 20). */
async function roundTrip(url: URL): Promise<number> {
  const ws = new WebSocket(`ws://${url.host}/live?token=${url.searchParams.get('token') ?? ''}`, {
    origin: url.origin,
  });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    const answered = new Promise<void>((resolve) => {
      const on = (data: Buffer): void => {
        if (!data.toString().startsWith('{"type":"evidence"')) return;
        ws.off('message', on);
        resolve();
      };
      ws.on('message', on);
    });
    ws.send('{"type":"evidence"}');
    await answered;
    times.push(performance.now() - start);
  }
  ws.close();
  return median(times);
}

/** A run's wall-clock time, and the engine's CPU time over it (its records sent out included). */
async function measuredRun(engine: RunningEngine): Promise<{ ms: number; cpuMs: number }> {
  const cpu = engineCpuMs(engine.pid);
  const ms = await timedRun(engine);
  // The last batch of records goes out BATCH_MS after the last message (engine/ui/viewers.ts).
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { ms, cpuMs: engineCpuMs(engine.pid) - cpu };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

async function runs(engine: RunningEngine, url: URL, rounds: number, viewers: number) {
  const without: { ms: number; cpuMs: number }[] = [];
  const withViewers: { ms: number; cpuMs: number }[] = [];
  const latencies: number[] = [];
  await timedRun(engine);
  for (let r = 0; r < rounds; r++) {
    without.push(await measuredRun(engine));
    const v = await connectViewers(url, viewers);
    withViewers.push(await measuredRun(engine));
    latencies.push(...(await v.close()).latencies);
  }
  return {
    without: median(without.map((m) => m.ms)),
    with: median(withViewers.map((m) => m.ms)),
    // CPU ticks are 10 ms: the mean over every round.
    cpuMs: {
      without: sum(without.map((m) => m.cpuMs)) / rounds,
      with: sum(withViewers.map((m) => m.cpuMs)) / rounds,
    },
    latencies,
  };
}

async function pullBurst(engine: RunningEngine, url: URL, ref: string, viewers: number, browser?: Browser) {
  const v = await connectViewers(url, viewers);
  const page = browser === undefined ? undefined : await openPage(browser, url);
  const before = page === undefined ? undefined : await paints(page);
  const pulled = await engine.docker(['pull', '-q', ref], { timeoutMs: 600_000 });
  if (pulled.code !== 0) throw new Error(`docker pull exited ${pulled.code}: ${pulled.stderr}`);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const { delivered } = await v.close();
  const seqs = [...delivered.keys()];
  const after = page === undefined ? undefined : await paints(page);
  const { draws, appends } = page === undefined ? { draws: [], appends: [] } : await drawTimes(page);
  await page?.close();
  if (after === undefined || before === undefined) return { messages: seqs.length };
  const painted = seqs.flatMap((s) => {
    const at = after.painted[s];
    const sent = delivered.get(s);
    return at === undefined || sent === undefined ? [] : [at - sent];
  });
  return {
    messages: seqs.length,
    redraws: after.redraws - before.redraws,
    unpainted: seqs.length - painted.length,
    paintMs: { p50: round1(percentile(painted, 50)), p95: round1(percentile(painted, 95)) },
    drawMs: { count: draws.length, p50: round1(percentile(draws, 50)), max: round1(Math.max(...draws)) },
    appendMs: {
      count: appends.length,
      p50: round1(percentile(appends, 50)),
      max: round1(Math.max(0, ...appends)),
    },
  };
}

/** busybox and the ≈100 MB image (4 layers) on the registry; the big one's reference. */
async function pushImages(registry: Registry, dir: string): Promise<string> {
  await pushTestImages(registry.host, dir);
  const layout = join(dir, 'big');
  buildBenchImage(layout, countFlag('--mb', 100) * 1e6);
  const big = `${registry.host}/bench:live`;
  await skopeoCopy(layout, 'bench', big, { format: 'v2s2' });
  rmSync(layout, { recursive: true, force: true });
  return big;
}

type Runs = Awaited<ReturnType<typeof runs>>;
type Pull = Awaited<ReturnType<typeof pullBurst>>;

/** The last line: the figures and the goals. */
function summary(run: Runs, wsRoundTripMs: number, pull: Pull) {
  const ratio = run.with / run.without;
  return {
    runMs: { without: round1(run.without), with30: round1(run.with), ratio: round1(ratio * 100) / 100 },
    engineCpuMs: {
      without: round1(run.cpuMs.without),
      with30: round1(run.cpuMs.with),
      ratio: round1((run.cpuMs.with / run.cpuMs.without) * 100) / 100,
    },
    viewerMs: {
      p50: round1(percentile(run.latencies, 50)),
      p95: round1(percentile(run.latencies, 95)),
      wsRoundTripMs: round1(wsRoundTripMs),
    },
    pull,
    goals: {
      runWithViewersWithin1_1: ratio <= 1.1,
      ...('paintMs' in pull && pull.paintMs !== undefined
        ? { paintP95Within150ms: pull.paintMs.p95 <= 150 }
        : {}),
    },
  };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench:live runs real containers: run it as root');
  const rounds = countFlag('--rounds', 5);
  const viewers = countFlag('--viewers', 30);
  const work = tempDir('bench-live');
  const site = join(work.path, 'site');
  const bridge = `dsl${process.pid.toString(16).slice(-6)}`;
  let registry: Registry | undefined;
  let engine: RunningEngine | undefined;
  let browser: Browser | undefined;
  try {
    registry = await startRegistry();
    const big = await pushImages(registry, work.path);
    mkdirSync(site, { recursive: true });
    await build({ logLevel: 'warn', build: { outDir: site, emptyOutDir: true } });
    engine = await startEngine({ args: ['--bridge', bridge, '--ui', '--ui-port', '0', '--ui-site', site] });
    const url = await liveUrl(engine);
    for (const args of [
      ['pull', '-q', `${registry.host}/busybox:v1`],
      ['tag', `${registry.host}/busybox:v1`, 'busybox'],
    ])
      if ((await engine.docker(args)).code !== 0) throw new Error(`docker ${args.join(' ')} failed`);
    const run = await runs(engine, url, rounds, viewers);
    const wsRoundTripMs = await roundTrip(url);
    if (existsSync(CHROMIUM))
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    else console.error(`bench:live: no Chromium at ${CHROMIUM}: the page's paints are left out`);
    const pull = await pullBurst(engine, url, big, viewers, browser);
    console.log(JSON.stringify(summary(run, wsRoundTripMs, pull)));
  } finally {
    await browser?.close();
    if (engine) {
      await teardown(engineBridge(engine.root, bridge));
      await engine.stop();
    }
    await registry?.stop();
    work.remove();
  }
}

await main();
