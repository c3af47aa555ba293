// FIFOs the shim writes to (its log, a container's stdout and stderr), read the way containerd
// reads them (github.com/containerd/fifo): made with mkfifo(1) (Node has no mkfifo) and opened
// O_RDWR|O_NONBLOCK, so the open never blocks waiting for a writer and the reader never sees EOF
// between writers. Node reads the fd as a stream through a pipe socket. Under a directory that
// keeps a stock of FIFOs made ahead (fifoStock.ts: the engine's run directory), one is moved into
// place instead of running mkfifo.
import { constants, open } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { promisify } from 'node:util';
import { execute, failure } from './exec.ts';
import { takeStockedFifo } from './fifoStock.ts';

const openFd = promisify(open);

/** Makes the FIFO at `path` (mode 0700) unless one is there. */
export async function makeFifo(path: string): Promise<void> {
  const there = await stat(path).catch(() => undefined);
  if (there?.isFIFO() === true) return;
  // Only where nothing is: a rename would replace what is there, mkfifo refuses it.
  if (there === undefined && (await takeStockedFifo(path))) return;
  const ran = await execute('mkfifo', ['-m', '0700', path]);
  if (ran.code !== 0) throw new Error(`mkfifo ${path}: ${failure(ran)}`);
}

/** Makes (if needed) and opens the FIFO for reading; destroy the socket to close it. */
export async function openFifoReader(path: string): Promise<Socket> {
  await makeFifo(path);
  const fd = await openFd(path, constants.O_RDWR | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

/** Makes (if needed) and opens the FIFO for writing (a container's stdin); end the socket to close it. */
export async function openFifoWriter(path: string): Promise<Socket> {
  await makeFifo(path);
  const fd = await openFd(path, constants.O_RDWR | constants.O_NONBLOCK);
  return new Socket({ fd, readable: false, writable: true });
}
