// A private dockerd (Debian's docker.io) for the client suites, with paths of its own so it
// coexists with any other Docker on the host: its own data root, exec root, socket, pid file
// and cgroup parent, no bridge and no iptables rules. It is stopped by the pid it was started
// with — never by name — and what it leaves behind (mounts under its root, its cgroup dirs,
// the directories) is removed.
// https://docs.docker.com/reference/cli/dockerd/
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

export interface Dockerd {
  /** unix:///…/d.sock, what `--host` takes. */
  host: string;
  socket: string;
  base: string;
  stop(): Promise<void>;
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath: socket, method: 'GET', path: '/_ping' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function waitPing(socket: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`dockerd exited: ${log().slice(-2000)}`);
    if (await ping(socket)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dockerd did not answer on ${socket}: ${log().slice(-2000)}`);
}

/** Mount points under `base`, deepest first (so nested mounts go before their parents). */
function mountsUnder(base: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((target) => target === base || target.startsWith(`${base}/`))
    .sort((a, b) => b.length - a.length);
}

/** The cgroup directories named after this daemon's cgroup parent, in each v1 hierarchy and v2. */
function removeCgroups(parent: string): void {
  const root = '/sys/fs/cgroup';
  const dirs = [join(root, parent), ...readdirSync(root).map((h) => join(root, h, parent))];
  for (const dir of dirs) {
    // Only empty cgroups can go (rmdir); a cgroup with processes stays and says so.
    if (existsSync(dir)) rmdirSync(dir);
  }
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, signal);
  return exited;
}

export interface DockerdOptions {
  /** Where its data, exec root and socket live (made empty); a new temporary directory by default. */
  base?: string;
  /** More dockerd flags (the bench's `--max-concurrent-downloads=4`). */
  args?: readonly string[];
}

export async function startDockerd(options: DockerdOptions = {}): Promise<Dockerd> {
  const base = options.base ?? mkdtempSync(join(tmpdir(), 'dockstep-dockerd-'));
  if (options.base !== undefined) {
    rmSync(base, { recursive: true, force: true });
    mkdirSync(base, { recursive: true });
  }
  const socket = join(base, 'd.sock');
  const cgroupParent = `dockstep-test-${base.slice(-6)}`;
  const args = [
    `--data-root=${base}/data`,
    `--exec-root=${base}/exec`,
    '-H',
    `unix://${socket}`,
    `--pidfile=${base}/d.pid`,
    `--cgroup-parent=${cgroupParent}`,
    '--bridge=none',
    '--iptables=false',
    '--ip6tables=false',
    '--ip-masq=false',
    '--log-level=error',
    // The registry on loopback speaks plain HTTP.
    '--insecure-registry=127.0.0.0/8',
    ...(options.args ?? []),
  ];
  const child = spawn('/usr/sbin/dockerd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const cleanup = async (): Promise<void> => {
    await kill(child, 'SIGTERM');
    for (const target of mountsUnder(base)) execFileSync('umount', ['-l', target]);
    removeCgroups(cgroupParent);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await waitPing(socket, child, () => log);
  } catch (error) {
    await kill(child, 'SIGKILL');
    await cleanup();
    throw error;
  }
  return { host: `unix://${socket}`, socket, base, stop: cleanup };
}
