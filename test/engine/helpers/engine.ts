// `dockstep engine` as a child process with a temp root and socket, for the daemon suites: it
// waits for `_ping`, gives the socket's DOCKER_HOST and a curl-like `request` over the socket,
// and stops the engine by its pid (SIGTERM, then SIGKILL), then removes its directories.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
/** `dockstep` from the source tree, as arguments of `node` (process.execPath): tsx and the CLI's entry. */
export const DOCKSTEP: readonly string[] = [
  join(import.meta.dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'),
  join(import.meta.dirname, '..', '..', '..', 'engine', 'cli', 'main.ts'),
];

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface RunningEngine {
  dir: string;
  root: string;
  socket: string;
  pid: number;
  host: string;
  log(): string;
  request(
    method: string,
    path: string,
    options?: { headers?: Record<string, string>; body?: Buffer | string },
  ): Promise<Answer>;
  /** The docker CLI against this engine: stdout, stderr and exit code, never a throw. */
  docker(
    args: string[],
    options?: { timeoutMs?: number },
  ): Promise<{ stdout: string; stderr: string; code: number }>;
  stop(): Promise<void>;
}

export function request(
  socket: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method, path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The docker CLI: a newer one when installed beside Debian's. */
export const DOCKER = existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : '/usr/bin/docker';

export function spawnEngine(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...DOCKSTEP, 'engine', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

export interface EngineOptions {
  /** Where its root and socket live (a new temporary directory by default); removed at stop. */
  base?: string;
  /** More `dockstep engine` flags (the bench's `--max-concurrent-downloads=4`). */
  args?: readonly string[];
}

export async function startEngine(options: EngineOptions = {}): Promise<RunningEngine> {
  const dir = options.base ?? mkdtempSync(join(tmpdir(), 'dockstep-engine-'));
  const root = join(dir, 'root');
  const socket = join(dir, 'run', 'dockstep.sock');
  const { child, output } = spawnEngine(['--root', root, '--socket', socket, ...(options.args ?? [])]);
  const pid = child.pid ?? 0;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`dockstep engine exited: ${output()}`);
    const ok = await request(socket, 'GET', '/_ping').then(
      (a) => a.status === 200,
      () => false,
    );
    if (ok) break;
    if (i > 300) throw new Error(`dockstep engine did not answer on ${socket}: ${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const host = `unix://${socket}`;
  return {
    dir,
    root,
    socket,
    pid,
    host,
    log: output,
    request: (method, path, options) => request(socket, method, path, options),
    async docker(args, options = {}) {
      try {
        const { stdout, stderr } = await exec(DOCKER, args, {
          env: { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: join(dir, 'docker-config') },
          timeout: options.timeoutMs ?? 60_000,
        });
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string; code?: number };
        return {
          stdout: e.stdout ?? '',
          stderr: e.stderr ?? '',
          code: typeof e.code === 'number' ? e.code : -1,
        };
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(pid, 'SIGTERM');
        const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      // Whatever a killed engine left mounted under its directory goes before the directory.
      const mounts = readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1] ?? '')
        .filter((m) => m.startsWith(`${dir}/`));
      for (const m of mounts.reverse()) await exec('umount', ['-l', m]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
