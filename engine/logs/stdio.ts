// A container's stdio FIFOs on dockerd's side (moby v20.10.24 libcontainerd/remote/client.go
// newFIFOSet, containerd cio): `<dir>/<id>/init-stdout`, `init-stderr` (none with a TTY: the
// console is one stream) and `init-stdin` when stdin is kept open, mode 0700, their paths handed
// to the shim's Create as `stdout`/`stderr`/`stdin`. The read ends are opened before Create:
// the shim opens its write ends during Create and would block until a reader exists. They are
// opened O_RDONLY|O_NONBLOCK, so the open returns at once, no end of stream is seen before the
// shim has opened its side, and the end of stream comes when the shim closes it, after the
// container's last write: that is what ends the copy into the log (and a follow). The stdin end
// is opened read-write, so the open needs no reader; closing it is the container's end of input.
import { constants, open } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeFifo, openFifoWriter } from '../shim/fifo.ts';

const openFd = promisify(open);

export interface StdioOptions {
  /** A TTY: one stream, on stdout. */
  terminal?: boolean;
  /** `-i`: a stdin FIFO the engine writes to. */
  stdin?: boolean;
}

export interface ContainerStdio {
  /** The paths for the shim's CreateTaskRequest. */
  paths: { stdout: string; stderr?: string; stdin?: string };
  stdout: Socket;
  stderr?: Socket;
  stdin?: Socket;
  /** Closes every end still open and removes the FIFOs and their directory (libcontainerd's
   * FIFO set Close, at the task's deletion). */
  close(): Promise<void>;
}

async function openReader(path: string): Promise<Socket> {
  await makeFifo(path);
  const fd = await openFd(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

/**
 * Makes the FIFOs `<prefix>-stdout`, `-stderr` (none with a TTY) and `-stdin` (with `-i`) and
 * opens dockerd's ends as the notes above say; `close` ends them and runs `remove` (the FIFO
 * set's own clean-up: the container's directory, or an exec's three files).
 */
export async function openFifoSet(
  prefix: string,
  options: StdioOptions,
  remove: (paths: string[]) => Promise<void>,
): Promise<ContainerStdio> {
  const paths = {
    stdout: `${prefix}-stdout`,
    ...(options.terminal === true ? {} : { stderr: `${prefix}-stderr` }),
    ...(options.stdin === true ? { stdin: `${prefix}-stdin` } : {}),
  };
  const stdout = await openReader(paths.stdout);
  const stderr = paths.stderr === undefined ? undefined : await openReader(paths.stderr);
  const stdin = paths.stdin === undefined ? undefined : await openFifoWriter(paths.stdin);
  const close = async (): Promise<void> => {
    for (const s of [stdout, stderr, stdin]) s?.destroy();
    await remove(Object.values(paths));
  };
  return {
    paths,
    stdout,
    ...(stderr === undefined ? {} : { stderr }),
    ...(stdin === undefined ? {} : { stdin }),
    close,
  };
}

/** Makes the FIFOs of container `id` under `dir` (dockerd's `<exec-root>/containerd`) and opens
 * dockerd's ends. */
export async function openStdio(
  dir: string,
  id: string,
  options: StdioOptions = {},
): Promise<ContainerStdio> {
  const base = join(dir, id);
  await mkdir(base, { recursive: true, mode: 0o711 });
  return openFifoSet(join(base, 'init'), options, () => rm(base, { recursive: true, force: true }));
}
