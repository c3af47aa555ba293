// A private dockerd for the baseline (Debian's docker.io), with paths of its own so it
// coexists with any other Docker on the host: its own data root, exec root, socket and pid
// file, no bridge and no iptables rules. Stopped by its pid when the bench ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';

export interface Dockerd {
  socket: string;
  stop(): Promise<void>;
}

export function engineRequest(
  socket: string,
  method: string,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method, path, headers: { host: 'docker' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitPing(socket: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`dockerd exited: ${log().slice(-2000)}`);
    const ok = await engineRequest(socket, 'GET', '/_ping').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dockerd did not answer on ${socket}: ${log().slice(-2000)}`);
}

export async function startDockerd(base: string): Promise<Dockerd> {
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const socket = `${base}/docker.sock`;
  const args = [
    `--data-root=${base}/data`,
    `--exec-root=${base}/exec`,
    `-H`,
    `unix://${socket}`,
    `--pidfile=${base}/docker.pid`,
    '--bridge=none',
    '--iptables=false',
    '--ip-masq=false',
    '--log-level=error',
    '--max-concurrent-downloads=4',
  ];
  const child = spawn('/usr/sbin/dockerd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  try {
    await waitPing(socket, child, () => log);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    socket,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}
