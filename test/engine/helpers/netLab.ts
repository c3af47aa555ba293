// The host side of the network suites: a bridge and chains of the suite's own (a prefix and the
// suite's random tag, /24s under 10.251.0.0/16, far from Docker's and the engine's defaults) and
// container inits (a `sleep` in a network namespace of its own, as runc's init would be), all taken
// down by takeDownLab whatever the suite reached.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { teardown, type BridgeNetwork, type NetOptions } from '../../../engine/net/index.ts';
import type { tempDir } from './tmp.ts';
import { until } from './until.ts';

/** An init the kernel has started: its pid is known. */
export type Init = ChildProcess & { pid: number };

/** Bridge `<prefix><tag>`, chain `<PREFIX><tag>`, state and netns files under `root`, the first free of `10.251.<n>.0/24`. */
export function labNetOptions(
  root: string,
  prefix: string,
  tag: string,
  subnets: readonly number[],
): NetOptions {
  return {
    root,
    bridge: `${prefix}${tag}`,
    chain: `${prefix.toUpperCase()}${tag}`,
    netnsDir: join(root, 'netns'),
    candidates: subnets.map((n) => `10.251.${n}.0/24`),
  };
}

function asleep(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep');
  } catch {
    return false;
  }
}

function started(child: ChildProcess): child is Init {
  return child.pid !== undefined;
}

/** `count` inits, each asleep in its own network namespace once this resolves; all are added to `inits` for takeDownLab. */
export async function startInits(inits: ChildProcess[], count: number): Promise<Init[]> {
  const children = Array.from({ length: count }, () =>
    spawn('unshare', ['--net', 'sleep', '600'], { stdio: 'ignore' }),
  );
  inits.push(...children);
  const running = children.filter(started);
  if (running.length < count) throw new Error('unshare did not start');
  await until(() => running.every((c) => asleep(c.pid)), 'the inits to sleep in their namespaces');
  return running;
}

/** One init, as startInits. */
export async function startInit(inits: ChildProcess[]): Promise<Init> {
  const [init] = await startInits(inits, 1);
  if (init === undefined) throw new Error('unshare did not start');
  return init;
}

/** Kills the inits still alive, removes the bridge, its chains, rules and endpoints, then the suite's directory. */
export async function takeDownLab(
  net: BridgeNetwork | undefined,
  inits: readonly ChildProcess[],
  root: ReturnType<typeof tempDir>,
): Promise<void> {
  for (const init of inits) if (init.exitCode === null && init.signalCode === null) init.kill('SIGKILL');
  if (net !== undefined) await teardown(net).catch((error: unknown) => console.error(error));
  root.remove();
}
