// How the real-container suites start a container they then look at: `docker run -d --name <name>
// [flags…] <image> <command…>` against their engine, as one call instead of an argv spread over a
// dozen lines in each test.
import type { RunningEngine } from './engine.ts';

/** A container that runs until it is stopped: busybox's sleep, longer than any test. */
export const SLEEP: readonly string[] = ['/bin/busybox', 'sleep', '1000'];

/** A shell line as the container's command. */
export const sh = (line: string): readonly string[] => ['/bin/sh', '-c', line];

/** `docker run -d`: stdout (the id), stderr and the exit code, never a throw. */
export function runDetached(
  engine: RunningEngine,
  name: string,
  image: string,
  command: readonly string[] = SLEEP,
  flags: readonly string[] = [],
): ReturnType<RunningEngine['docker']> {
  return engine.docker(['run', '-d', '--name', name, ...flags, image, ...command], { timeoutMs: 180_000 });
}
