// `dockstep trace --follow --format golden` on a running engine, connected; stopped by its pid.
import { spawn } from 'node:child_process';
import { DOCKSTEP } from './engine.ts';
import { until } from './until.ts';

export interface Follower {
  out: () => string;
  stop: () => Promise<void>;
}

export async function follow(host: string): Promise<Follower> {
  const child = spawn(process.execPath, [...DOCKSTEP, 'trace', '--follow', '--format', 'golden', '-H', host]);
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  await until(() => err.includes('following the engine'), 'the follower to connect');
  return {
    out: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid ?? 0, 'SIGTERM');
      await exited;
    },
  };
}
