/**
 * Containers, the engine beside a private dockerd (Debian's docker.io, its own root, exec root,
 * socket and cgroup parent, no bridge), both driven by the same docker CLI, measured in one run:
 *  - `docker run --rm --network none busybox true` end to end, rounds alternating engine and
 *    dockerd, and a bare `runc run` of a busybox bundle (the floor);
 *  - with N containers running in each (`sleep`): `docker ps`, alternating; and the CLI's own
 *    floor, `docker ps` against a server that answers at once;
 *  - the memory of the engine and its shims, beside dockerd, its containerd and their shims,
 *    with those N running (RSS summed from /proc);
 *  - `docker rm -f` of all N in one command, the engine's then dockerd's;
 *  - where the engine's `docker run --rm` spends its time, per phase, read from its trace
 *    (runPhases.ts), over as many more rounds, followed; and `docker version` on each side, the
 *    floor of any command (the CLI's start, its ping and one request), and `docker --version`,
 *    the CLI's start alone.
 * The engine runs as `dockstep engine` from the built command (one process). The last line is
 * one JSON object with the medians (ms), the ratios (dockstep ÷ dockerd, and the run ÷ bare runc)
 * and whether each goal of the issue is met.
 * Needs root, busybox-static, docker.io, docker-registry, skopeo, containerd and runc.
 *
 * Usage: npm run bench:run [-- --rounds 7 --containers 50]
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { missing } from '../test/engine/helpers/caps.ts';
import { pushTestImages } from '../test/engine/helpers/daemonImages.ts';
import { startDockerd, type Dockerd } from '../test/engine/helpers/dockerd.ts';
import { DOCKER } from '../test/engine/helpers/engine.ts';
import { startRegistry } from '../test/engine/helpers/registry.ts';
import { closeLab, makeBundle, makeLab } from '../test/engine/shimFixture.ts';
import { RUNC_BINARY } from '../engine/shim/binaries.ts';
import { startBuiltEngine, type BenchEngine } from './runEngine.ts';
import { followMessages, medianPhases, runPhases, type RunPhases } from './runPhases.ts';
import { countFlag, median } from './shared/numbers.ts';

const exec = promisify(execFile);

interface Side {
  name: 'dockstep' | 'dockerd';
  host: string;
  /** The processes that are this side's daemons and shims, for the memory figure. */
  pids: () => number[];
}

async function docker(side: Pick<Side, 'host'>, args: string[]): Promise<string> {
  const { stdout } = await exec(DOCKER, args, {
    env: { ...process.env, DOCKER_HOST: side.host, DOCKER_CONFIG: join(tmpdir(), 'dockstep-bench-cli') },
    maxBuffer: 64 << 20,
  });
  return stdout;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

function cmdline(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function ppid(pid: string): number {
  try {
    return Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Processes whose argv mentions a path under `dir` (shims name their -address), and the children of `parents`. */
function processesOf(dir: string, parents: number[]): number[] {
  const all = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  const byPath = all.filter((p) => cmdline(p).some((a) => a.startsWith(`${dir}/`)));
  const children = all.filter((p) => parents.includes(ppid(p)));
  return [...new Set([...parents, ...byPath.map(Number), ...children.map(Number)])];
}

function rssMB(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

/** Bare `runc run` of a busybox bundle running `true`: the floor of any container start. */
async function bareRunc(rounds: number): Promise<number> {
  const lab = await makeLab();
  const times: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const id = `bench-${i}`;
      const b = await makeBundle(lab, id, { args: ['/bin/true'] });
      times.push(
        await timed(
          () =>
            new Promise<void>((resolve, reject) => {
              const child = spawn(RUNC_BINARY, ['--root', lab.runcRoot, 'run', '--bundle', b.bundle, id], {
                stdio: 'ignore',
              });
              child.on('error', reject);
              child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`runc run: ${code}`))));
            }),
        ),
      );
    }
  } finally {
    await closeLab(lab);
  }
  return median(times);
}

/**
 * The docker CLI's own floor: `docker ps` against a server that answers at once (`/_ping`, and
 * `[]` for the list), so what the CLI itself takes (its start, the ping, the request) is named
 * beside what the engine and dockerd take.
 */
async function cliFloor(rounds: number, dir: string): Promise<number> {
  const socket = join(dir, 'floor.sock');
  const server = createServer((req, res) => {
    const headers = { 'Api-Version': '1.41', 'Content-Type': 'application/json', Ostype: 'linux' };
    res.writeHead(200, headers).end(req.url?.includes('/_ping') === true ? 'OK' : '[]');
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  try {
    const times: number[] = [];
    for (let i = 0; i < rounds; i++)
      times.push(await timed(() => docker({ host: `unix://${socket}` }, ['ps'])));
    return median(times);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

async function alternate(
  sides: Side[],
  rounds: number,
  work: (s: Side) => Promise<unknown>,
): Promise<number[]> {
  const times: number[][] = sides.map(() => []);
  for (let r = 0; r < rounds; r++)
    for (const [i, side] of (r % 2 === 0 ? sides : [...sides].reverse()).entries())
      times[r % 2 === 0 ? i : sides.length - 1 - i]?.push(await timed(() => work(side)));
  return times.map(median);
}

/** `docker run --rm` on the engine, `rounds` times, each followed on its trace: the phases' medians. */
async function phases(engine: BenchEngine, image: string, rounds: number): Promise<RunPhases> {
  const runs: RunPhases[] = [];
  for (let i = 0; i < rounds; i++) {
    const follower = await followMessages(engine.host.slice('unix://'.length));
    const wall = await timed(() =>
      docker(engine, ['run', '--rm', '--network', 'none', image, '/bin/busybox', 'true']),
    );
    // The last answer is in the stream once the command has it; the stream may lag a moment.
    await new Promise((r) => setTimeout(r, 50));
    runs.push(runPhases(follower.stop(), wall));
  }
  return medianPhases(runs, median);
}

async function startMany(side: Side, image: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(
      (await docker(side, ['run', '-d', '--network', 'none', image, '/bin/busybox', 'sleep', '3600'])).trim(),
    );
  return ids;
}

async function main(): Promise<void> {
  const why = missing(['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker', 'shim', 'runc']);
  if (why !== undefined) throw new Error(`bench:run needs ${why}`);
  const rounds = countFlag('--rounds', 7);
  const n = countFlag('--containers', 50);
  const work = mkdtempSync(join(tmpdir(), 'dockstep-bench-run-'));
  const registry = await startRegistry();
  let engine: BenchEngine | undefined;
  let dockerd: Dockerd | undefined;
  try {
    await pushTestImages(registry.host, work);
    const image = `${registry.host}/busybox:v1`;
    engine = await startBuiltEngine(join(work, 'engine'));
    dockerd = await startDockerd();
    const d = dockerd;
    const dockerdPid = Number(readFileSync(join(d.base, 'd.pid'), 'utf8'));
    const e = engine;
    const sides: Side[] = [
      { name: 'dockstep', host: e.host, pids: () => processesOf(e.dir, [e.pid]) },
      { name: 'dockerd', host: d.host, pids: () => processesOf(d.base, [dockerdPid]) },
    ];
    for (const side of sides) await docker(side, ['pull', '-q', image]);
    const run = await alternate(sides, rounds, (s) =>
      docker(s, ['run', '--rm', '--network', 'none', image, '/bin/busybox', 'true']),
    );
    const runc = await bareRunc(rounds);
    const runPhasesMs = await phases(e, image, rounds);
    const version = await alternate(sides, rounds, (s) => docker(s, ['version']));
    const ids = await Promise.all(sides.map((s) => startMany(s, image, n)));
    const ps = await alternate(sides, rounds, (s) => docker(s, ['ps']));
    const floor = await cliFloor(rounds, work);
    // The CLI's own start, with no server to ask (`docker --version`).
    const start: number[] = [];
    for (let i = 0; i < rounds; i++) start.push(await timed(() => docker(e, ['--version'])));
    const memory = sides.map((s) => rssMB(s.pids()));
    // One side after the other: at once, each would be timed sharing the cores with the other.
    const rm: number[] = [];
    for (const [i, s] of sides.entries())
      rm.push(await timed(() => docker(s, ['rm', '-f', ...(ids[i] ?? [])])));
    report({ run, runc, ps, cliFloor: floor, cliStart: median(start), memory, rm, n, version, runPhasesMs });
  } finally {
    await engine?.stop();
    await dockerd?.stop();
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

interface Figures {
  run: number[];
  runc: number;
  ps: number[];
  /** `docker ps` against a server that answers at once: the CLI's own part. */
  cliFloor: number;
  /** `docker --version`: the CLI's start alone. */
  cliStart: number;
  memory: number[];
  rm: number[];
  n: number;
  /** `docker version` on each side: the CLI's start, its ping and one request. */
  version: number[];
  /** The engine's `docker run --rm`, per phase (runPhases.ts). */
  runPhasesMs: RunPhases;
}

function report(f: Figures): void {
  const [runMs = NaN, dockerdRunMs = NaN] = f.run;
  const [psMs = NaN, dockerdPsMs = NaN] = f.ps;
  const [memoryMB = NaN, dockerdMemoryMB = NaN] = f.memory;
  const [rmMs = NaN, dockerdRmMs = NaN] = f.rm;
  const [versionMs = NaN, dockerdVersionMs = NaN] = f.version;
  const round = (x: number): number => Math.round(x * 100) / 100;
  const out = {
    containers: f.n,
    runMs: round(runMs),
    dockerdRunMs: round(dockerdRunMs),
    runcRunMs: round(f.runc),
    runRatio: round(runMs / dockerdRunMs),
    runVsRuncRatio: round(runMs / f.runc),
    psMs: round(psMs),
    dockerdPsMs: round(dockerdPsMs),
    psRatio50: round(psMs / dockerdPsMs),
    cliFloorPsMs: round(f.cliFloor),
    cliStartMs: round(f.cliStart),
    versionMs: round(versionMs),
    dockerdVersionMs: round(dockerdVersionMs),
    rmMs: round(rmMs),
    dockerdRmMs: round(dockerdRmMs),
    rmRatio50: round(rmMs / dockerdRmMs),
    memoryMB: round(memoryMB),
    dockerdMemoryMB: round(dockerdMemoryMB),
    memoryRatio50: round(memoryMB / dockerdMemoryMB),
    runPhasesMs: Object.fromEntries(Object.entries(f.runPhasesMs).map(([k, v]) => [k, round(v)])),
  };
  const goals = {
    run: out.runRatio <= 0.4 ? 'PASS' : 'FAIL',
    runVsRunc: out.runVsRuncRatio <= 3 ? 'PASS' : 'FAIL',
    ps: out.psRatio50 <= 0.6 ? 'PASS' : 'FAIL',
    rm: out.rmRatio50 <= 0.3 ? 'PASS' : 'FAIL',
    memory: out.memoryRatio50 <= 1 ? 'PASS' : 'FAIL',
  };
  process.stdout.write(`${JSON.stringify({ ...out, goals })}\n`);
}

await main();
