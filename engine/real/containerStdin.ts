// A container's stdin from attached clients (`docker run -i`, `docker start -a -i`, `docker
// attach` with stdin): dockerd copies the client's bytes into the container's stdin, which libcontainerd
// connects to the stdin FIFO the shim reads (moby container/stream/attach.go, libcontainerd
// createIO). The client may attach before the task exists (a foreground `docker run` attaches,
// then starts): its input waits, paused, and is fed once the shim has opened the FIFO (Create).
// With StdinOnce (`docker run -i`), the client's end closes the container's stdin: the FIFO's
// writer is closed and the shim's CloseIO closes the process's end.
import type { Readable } from 'node:stream';
import type { LiveTask, RealTasks } from './tasks.ts';

interface Input {
  stream: Readable;
  /** Config.StdinOnce: the client's end is the container's end of input. */
  once: boolean;
}

const byTasks = new WeakMap<RealTasks, Map<string, Input>>();

function inputs(tasks: RealTasks): Map<string, Input> {
  let map = byTasks.get(tasks);
  if (map === undefined) {
    map = new Map();
    byTasks.set(tasks, map);
  }
  return map;
}

/** A client attached with stdin to container `id`. */
export function attachStdin(tasks: RealTasks, id: string, input: Input): void {
  inputs(tasks).set(id, input);
  const live = tasks.live.get(id);
  // A container already running (`docker attach`): its input goes in at once.
  if (live !== undefined && live.pid > 0) feedContainerStdin(tasks, live);
}

export function detachStdin(tasks: RealTasks, id: string, stream: Readable): void {
  if (inputs(tasks).get(id)?.stream === stream) inputs(tasks).delete(id);
}

/** The attached client's input into the task's stdin FIFO, once the shim reads it. */
export function feedContainerStdin(tasks: RealTasks, task: LiveTask): void {
  const id = task.shim.identity.id;
  const input = inputs(tasks).get(id);
  const stdin = task.stdio.stdin;
  if (input === undefined || stdin === undefined) return;
  inputs(tasks).delete(id);
  input.stream.on('data', (chunk: Buffer) => {
    if (!stdin.destroyed) stdin.write(chunk);
  });
  input.stream.once('end', () => {
    if (!input.once) return;
    stdin.end();
    void task.shim.task.closeIO().catch(() => undefined);
  });
  input.stream.resume();
}
