// `dockstep engine [--root DIR] [--socket PATH] [--max-concurrent-downloads N]`: the engine daemon. State under the root
// (default /var/lib/dockstep), the Engine API on a unix socket (default
// /run/dockstep/dockstep.sock, mode 0660, parent created) — its own paths, so it runs beside a
// real Docker and never touches /var/run/docker.sock. It refuses to start when another engine
// holds the root (the root's lock file) or answers on the socket; a socket nobody answers on is
// stale and removed. A start that cannot work (not root, a root under /proc or on a read-only
// file system, a socket path that is a directory, a failed system call) ends with one line and
// exit status 1 (startChecks.ts). Each engine's run directory is named after its socket. SIGTERM/SIGINT close it gracefully: no new requests, streams ended,
// running pulls finished, the root closed, the socket removed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { isImageError } from '../image/errors.ts';
import { ImageRoot } from '../image/root.ts';
import { createEngineServer, type EngineServer } from './server.ts';
import { checkStart, StartError, systemErrorLine } from './startChecks.ts';
import { siteMissing, takeUiArgs, UI_USAGE, UiUsageError, type UiArgs } from '../ui/args.ts';
import type { UiServer } from '../ui/server.ts';

export const ENGINE_USAGE = `usage: dockstep engine [--root DIR] [--socket PATH] [--bridge NAME] [--max-concurrent-downloads N] [--live-restore] [--ui [--ui-port N] [--ui-control]]
  runs the dockstep engine: the Docker Engine API (images and containers) on a unix socket
  --root DIR                    state directory (default /var/lib/dockstep)
  --socket PATH                 API socket (default /run/dockstep/dockstep.sock)
  --bridge NAME                 the containers' bridge (default dockstep0; dockerd's -b)
  --max-concurrent-downloads N  layers a pull downloads at once (default 3, as dockerd's)
  --live-restore                containers keep running while the engine is stopped (dockerd's)
${UI_USAGE}`;

export interface EngineArgs {
  root: string;
  socket: string;
  /** Layers a pull downloads at once (the machines' default, 3, when absent). */
  maxConcurrentDownloads?: number;
  /** The containers' bridge (dockstep0 when absent). */
  bridge?: string;
  /** dockerd's --live-restore: a stop leaves the containers running, the next start keeps them. */
  liveRestore?: boolean;
}

export class EngineUsageError extends Error {}

/** The engine's options and its UI's (engine/ui/args.ts: --ui and its options). */
function parseAll(argv: readonly string[]): { args: EngineArgs; ui: UiArgs | undefined } {
  try {
    const { ui, rest } = takeUiArgs(argv);
    return { args: parseEngineArgs(rest), ui };
  } catch (error) {
    if (error instanceof UiUsageError) throw new EngineUsageError(error.message);
    throw error;
  }
}

export function parseEngineArgs(argv: readonly string[]): EngineArgs {
  const out: EngineArgs = { root: '/var/lib/dockstep', socket: '/run/dockstep/dockstep.sock' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--live-restore' || arg === '--live-restore=true') {
      out.liveRestore = true;
      continue;
    }
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (!['--root', '--socket', '--max-concurrent-downloads', '--bridge'].includes(flag ?? ''))
      throw new EngineUsageError(`unknown engine option "${arg}"`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new EngineUsageError(`option ${flag} needs a value`);
    if (flag === '--max-concurrent-downloads') out.maxConcurrentDownloads = downloads(value);
    else if (flag === '--bridge') out.bridge = bridgeName(value);
    else out[flag === '--root' ? 'root' : 'socket'] = resolve(value);
  }
  return out;
}

/** A network interface's name: at most 15 bytes (IFNAMSIZ), no slash or space. */
function bridgeName(value: string): string {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(value))
    throw new EngineUsageError(
      `option --bridge needs an interface name of 1 to 15 letters, digits, _ . -, got "${value}"`,
    );
  return value;
}

/** dockerd takes 1 and up (daemon/config: max-concurrent-downloads must be positive). */
function downloads(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new EngineUsageError(
      `option --max-concurrent-downloads needs a whole number of at least 1, got "${value}"`,
    );
  return n;
}

/** True when something accepts connections on the socket. */
function live(socket: string): Promise<boolean> {
  return new Promise((done) => {
    const c = net.connect(socket);
    c.once('connect', () => {
      c.destroy();
      done(true);
    });
    c.once('error', () => done(false));
  });
}

/**
 * What the last engine left in its run dir. The state of its shims stays — their bundles (with
 * the containers' root file systems mounted), the stdio FIFOs they write to, runc's state and the
 * recorder they run runc through — for the start to reconnect to them (engine/real/restore.ts);
 * what only a live engine uses (its events socket) and any other mount and file goes.
 */
async function cleanRunDir(runDir: string): Promise<void> {
  const kept = ['tasks', 'fifo', 'runc', 'runc-recorder'];
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${runDir}/`) && !m.startsWith(`${runDir}/tasks/`));
  for (const m of mounts.reverse()) execFileSync('umount', ['-l', m]);
  await mkdir(runDir, { recursive: true, mode: 0o700 });
  for (const name of await readdir(runDir))
    if (!kept.includes(name)) await rm(join(runDir, name), { recursive: true, force: true });
}

/** No shim's bundle is left (every container stopped): the run dir can go. */
async function noBundles(runDir: string): Promise<boolean> {
  const left = await readdir(join(runDir, 'tasks', 'moby')).catch(() => [] as string[]);
  return left.length === 0;
}

function fail(message: string): number {
  process.stderr.write(`dockstep engine: ${message}\n`);
  return 1;
}

/**
 * Each engine's own run directory, beside its socket and named after it: two engines whose
 * sockets share a directory must not clean or remove each other's mount points.
 */
export function runDirOf(socket: string): string {
  return `${socket}.run`;
}

interface Started {
  root: ImageRoot;
  engine: EngineServer;
  runDir: string;
  tmpDir: string;
  /** The restore's end (settled): it may still be making files when a stop comes early. */
  restored: Promise<unknown>;
  ui?: UiServer;
}

/** Opens the root and listens; a refusal is a StartError, a failed system call an errno error. */
async function start(args: EngineArgs): Promise<Started> {
  await mkdir(dirname(args.socket), { recursive: true, mode: 0o755 });
  if (await live(args.socket)) throw new StartError(`another engine is listening on ${args.socket}`);
  let root: ImageRoot;
  try {
    root = await ImageRoot.open(args.root);
  } catch (error) {
    if (isImageError(error, 'conflict')) throw new StartError(error.message);
    throw error;
  }
  try {
    await rm(args.socket, { force: true });
    const runDir = runDirOf(args.socket);
    await cleanRunDir(runDir);
    const tmpDir = join(args.root, 'tmp');
    await rm(tmpDir, { recursive: true, force: true });
    await mkdir(tmpDir, { mode: 0o700 });
    const engine = createEngineServer({
      root,
      runDir,
      tmpDir,
      maxConcurrentDownloads: args.maxConcurrentDownloads,
      bridge: args.bridge,
      liveRestore: args.liveRestore === true,
    });
    // dockerd's start: the socket listens once the restore is under way; requests wait for it.
    const boot = engine.world.boot();
    void boot.ready.catch((error: unknown) =>
      process.stderr.write(`dockstep engine: restore: ${String(error)}\n`),
    );
    await boot.posted;
    await new Promise<void>((ok, ko) => {
      engine.server.once('error', ko);
      engine.server.listen(args.socket, () => ok());
    });
    await chmod(args.socket, 0o660);
    return { root, engine, runDir, tmpDir, restored: boot.ready.catch(() => undefined) };
  } catch (error) {
    await root.close();
    throw error;
  }
}

/** Closes everything start made, the UI first. */
async function shutdown(args: EngineArgs, s: Started): Promise<void> {
  await s.ui?.close();
  // A stop right after the start waits for the restore: what it makes would outlive the cleanup.
  await s.restored;
  await s.engine.close();
  await s.root.close();
  await rm(args.socket, { force: true });
  // Containers left running (--live-restore, or a shim that outlived a failed stop) keep
  // their shims' state for the next start; without any, the run directory goes.
  if (await noBundles(s.runDir))
    await rm(s.runDir, { recursive: true, force: true }).catch((error: unknown) =>
      process.stderr.write(`dockstep engine: cannot remove ${s.runDir}: ${String(error)}\n`),
    );
  await rm(s.tmpDir, { recursive: true, force: true }).catch(() => undefined);
}

/** Runs until SIGTERM or SIGINT, then closes everything it made; resolves with the exit status. */
function serve(args: EngineArgs, s: Started): Promise<number> {
  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`dockstep engine: ${signal}: shutting down\n`);
      void shutdown(args, s).then(() => done(0));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

export async function engineCommand(argv: readonly string[]): Promise<number> {
  const { args, ui } = parseAll(argv);
  const noSite = ui === undefined ? undefined : siteMissing(ui);
  if (noSite !== undefined) return fail(noSite);
  let started: Started;
  try {
    checkStart(args);
    started = await start(args);
  } catch (error) {
    if (error instanceof StartError) return fail(error.message);
    const line = systemErrorLine(error);
    if (line !== undefined) return fail(`cannot start: ${line}`);
    throw error;
  }
  process.stderr.write(
    `dockstep engine: listening on ${args.socket} (root ${args.root}, pid ${process.pid})\n`,
  );
  if (ui !== undefined) {
    try {
      started.ui = await (await import('../ui/server.ts')).startUi(started.engine.engine, ui);
    } catch (error) {
      await shutdown(args, started);
      return fail(`cannot serve the UI: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.stderr.write(
      `dockstep engine: the live site (${ui.control ? 'with control' : 'read-only'}): ${started.ui.url}\n`,
    );
  }
  return serve(args, started);
}
