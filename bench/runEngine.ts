// `dockstep engine` from the built command (bin/dockstep.mjs: one process), for the benches that
// time it beside a real dockerd: its own root, socket and bridge under `dir`; stopped by its pid.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '../test/engine/helpers/engine.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'dockstep.mjs');

export interface BenchEngine {
  dir: string;
  host: string;
  pid: number;
  stop(): Promise<void>;
}

/** `nodeArgs` go before the command (`--cpu-prof` to profile the engine). */
export async function startBuiltEngine(dir: string, nodeArgs: string[] = []): Promise<BenchEngine> {
  const socket = join(dir, 'run', 'd.sock');
  const bridge = `dsb${process.pid.toString(16).slice(-6)}`;
  const child = spawn(
    process.execPath,
    [...nodeArgs, BIN, 'engine', '--root', join(dir, 'root'), '--socket', socket, '--bridge', bridge],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`dockstep engine exited: ${log}`);
    const up = await request(socket, 'GET', '/_ping').then(
      (a) => a.status === 200,
      () => false,
    );
    if (up) break;
    if (i > 600) throw new Error(`dockstep engine did not answer on ${socket}: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid ?? 0;
  return {
    dir,
    host: `unix://${socket}`,
    pid,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(pid, 'SIGTERM');
        await exited;
      }
      const mounts = readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1] ?? '')
        .filter((m) => m.startsWith(`${dir}/`));
      for (const m of mounts.reverse()) execFileSync('umount', ['-l', m]);
      try {
        execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
      } catch {
        // the bridge was never made (no container needed it)
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
