// bench:cli's memory section: the resident memory (VmRSS, proc(5)) of `dockstep engine` as a user
// runs it (bin/dockstep.mjs, the built command, one process) against a private dockerd 20.10
// plus the containerd it starts, both measured in the same run: idle after start, and idle
// again after the same pulls of ≈100 MB images (bench/pull/image.ts) from a registry on
// loopback. Goals (issue 19): the engine's RSS ≤ dockerd's + containerd's, at both moments.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UNPACK_IDLE_MS } from '../../engine/image/unpack/pool.ts';
import { missing } from '../../test/engine/helpers/caps.ts';
import { request } from '../../test/engine/helpers/engine.ts';
import { skopeoCopy } from '../../test/engine/helpers/images.ts';
import { startRegistry } from '../../test/engine/helpers/registry.ts';
import { startDockerd } from '../../test/engine/helpers/dockerd.ts';
import { buildBenchImage } from '../pull/image.ts';
import { median, timeOnce } from './timing.ts';
import { apiPull } from '../pull/sides.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'dockstep.mjs');
/**
 * How long both sides are left alone before a reading, so that a reading is of an idle daemon:
 * past the time the engine's unpack workers stay up without a job (engine/image/unpack/pool.ts).
 */
const SETTLE_MS = UNPACK_IDLE_MS + 5_000;

export interface MemoryFigures {
  pulls: number;
  pullMB: number;
  engineProcesses: number;
  engineIdleMB: number;
  dockerIdleMB: number;
  dockerdIdleMB: number;
  containerdIdleMB: number;
  engineIdleRatio: number;
  engineAfterPullsMB: number;
  dockerAfterPullsMB: number;
  dockerdAfterPullsMB: number;
  containerdAfterPullsMB: number;
  engineAfterPullsRatio: number;
  /** `dockstep images` and `docker images` against the same engine, its images pulled: medians. */
  imagesMs: number;
  dockerImagesMs: number;
  imagesRatio: number;
}

const DOCKER = ['/usr/local/bin/docker', '/usr/bin/docker'].find((p) => existsSync(p)) ?? 'docker';

/**
 * Issue 19's third yardstick: a listing through the two clients, alternating which goes first,
 * against the engine after its pulls (so there is something to list). Medians in ms.
 */
function imagesTimes(socket: string, rounds = 15): { dockstep: number; docker: number } {
  const ours: number[] = [];
  const theirs: number[] = [];
  const dockstep = (): number => timeOnce(process.execPath, [BIN, '--host', `unix://${socket}`, 'images']);
  const docker = (): number => timeOnce(DOCKER, ['-H', `unix://${socket}`, 'images']);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [dockstep, docker] : [docker, dockstep];
    for (const run of order) (run === dockstep ? ours : theirs).push(run());
  }
  return { dockstep: median(ours), docker: median(theirs) };
}

/** VmRSS of a process in MB (10^6 bytes), 0 once it is gone. */
function rssMB(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Math.round((Number(kb ?? 0) * 1024) / 1e5) / 10;
  } catch {
    return 0;
  }
}

/** The pids whose parent is `pid` (proc(5), the 4th field of /proc/PID/stat). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

interface Engine {
  pid: number;
  socket: string;
  stop(): Promise<void>;
}

/** `dockstep engine` as a user starts it, with a root, socket and bridge name of its own. */
async function startDockstep(base: string): Promise<Engine> {
  const socket = join(base, 'run', 'dockstep.sock');
  const bridge = `dsm${Math.random().toString(36).slice(2, 8)}`;
  const args = [BIN, 'engine', '--root', join(base, 'root'), '--socket', socket, '--bridge', bridge];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const pid = child.pid ?? 0;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`bench: dockstep engine exited: ${log}`);
    const up = await request(socket, 'GET', '/_ping').then(
      (a) => a.status === 200,
      () => false,
    );
    if (up) break;
    if (i > 600) throw new Error(`bench: dockstep engine did not answer on ${socket}: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(pid, 'SIGTERM');
    await exited;
  };
  return { pid, socket, stop };
}

/** Mount points under `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((target) => target.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, SETTLE_MS));

/** dockerd's RSS and its containerd's (the children dockerd started, shims included). */
function dockerRss(dockerdPid: number): { dockerd: number; containerd: number } {
  const containerd = childrenOf(dockerdPid).filter((p) => commOf(p).startsWith('containerd'));
  return { dockerd: rssMB(dockerdPid), containerd: containerd.reduce((sum, p) => sum + rssMB(p), 0) };
}

async function pushImages(host: string, dir: string, n: number): Promise<{ refs: string[]; mb: number }> {
  const refs: string[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const layout = join(dir, `layout-${i}`);
    const image = buildBenchImage(layout);
    bytes = image.layers.reduce((sum, l) => sum + l.size, 0);
    refs.push(`${host}/memory:${i}`);
    await skopeoCopy(layout, 'bench', refs[i] ?? '', { format: 'v2s2' });
    rmSync(layout, { recursive: true, force: true });
  }
  return { refs, mb: Math.round(bytes / 1e6) };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

/** The figures, or why they could not be measured on this machine. */
export async function measureMemory(pulls: number): Promise<MemoryFigures | { skipped: string }> {
  const why = missing(['root', 'overlay', 'registry', 'skopeo', 'docker']);
  if (why !== undefined) return { skipped: why };
  mkdirSync('/var/tmp', { recursive: true });
  const base = mkdtempSync('/var/tmp/dockstep-bench-memory-');
  const registry = await startRegistry();
  const stops: (() => Promise<void>)[] = [registry.stop];
  try {
    const { refs, mb } = await pushImages(registry.host, base, pulls);
    const dockerd = await startDockerd({ base: join(base, 'dk') });
    stops.push(dockerd.stop);
    const dockerdPid = Number(readFileSync(join(base, 'dk', 'd.pid'), 'utf8').trim());
    const engine = await startDockstep(join(base, 'ds'));
    stops.push(engine.stop);
    await settle();
    const engineProcesses = 1 + childrenOf(engine.pid).length;
    const idle = { engine: rssMB(engine.pid), ...dockerRss(dockerdPid) };
    for (const ref of refs) {
      await apiPull(engine.socket, ref, 'dockstep');
      await apiPull(dockerd.socket, ref, 'docker');
    }
    await settle();
    const after = { engine: rssMB(engine.pid), ...dockerRss(dockerdPid) };
    const images = imagesTimes(engine.socket);
    return {
      pulls,
      pullMB: mb,
      engineProcesses,
      engineIdleMB: idle.engine,
      dockerIdleMB: round1(idle.dockerd + idle.containerd),
      dockerdIdleMB: idle.dockerd,
      containerdIdleMB: round1(idle.containerd),
      engineIdleRatio: ratio(idle.engine, idle.dockerd + idle.containerd),
      engineAfterPullsMB: after.engine,
      dockerAfterPullsMB: round1(after.dockerd + after.containerd),
      dockerdAfterPullsMB: after.dockerd,
      containerdAfterPullsMB: round1(after.containerd),
      engineAfterPullsRatio: ratio(after.engine, after.dockerd + after.containerd),
      imagesMs: round1(images.dockstep),
      dockerImagesMs: round1(images.docker),
      imagesRatio: ratio(images.dockstep, images.docker),
    };
  } finally {
    for (const stop of stops.reverse()) await stop();
    // What the engine left mounted under its root goes before the directory does.
    for (const target of mountsUnder(base)) execFileSync('umount', ['-l', target]);
    rmSync(base, { recursive: true, force: true });
  }
}
