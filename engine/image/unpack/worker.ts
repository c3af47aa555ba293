// An unpack worker: runs LayerUnpacker jobs off the engine's main thread, so that on a machine
// with two cores the file creates, writes, gunzip bookkeeping and diff-id hashing of a layer
// run beside the main thread's HTTP and blob hashing (and beside other layers). Several jobs
// may share one worker; each job's messages are handled in order.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { ImageError } from '../errors.ts';
import { Whiteouts } from './marks.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { LayerUnpacker } from './unpack.ts';

interface Job {
  unpacker: LayerUnpacker;
  queue: ToWorker[];
  running: boolean;
  failed: boolean;
}

const jobs = new Map<number, Job>();
const port = parentPort;
if (port === null) throw new Error('unpack worker: no parent port');

function post(message: FromWorker): void {
  port?.postMessage(message);
}

function fail(id: number, job: Job, error: unknown): void {
  if (job.failed) return;
  job.failed = true;
  job.unpacker.abort(error as Error);
  jobs.delete(id);
  post({
    t: 'error',
    id,
    code: error instanceof ImageError ? error.code : undefined,
    message: (error as Error).message,
  });
}

/** Read size: large reads keep the syscalls few; gunzip takes each chunk as it is. */
const READ = 1 << 20;

/** A stored blob read here, in order, as the job's whole input (Diff.Apply reading the content store). */
async function readFile(job: Job, path: string): Promise<void> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ);
      const n = readSync(fd, chunk, 0, READ, null);
      if (n === 0) return;
      if (!job.unpacker.write(n === READ ? chunk : chunk.subarray(0, n))) await job.unpacker.drained();
    }
  } finally {
    closeSync(fd);
  }
}

async function step(id: number, job: Job, m: ToWorker): Promise<void> {
  // A file is the job's whole input: read, then ended as an `end` ends it.
  if (m.t === 'file') await readFile(job, m.path);
  if (m.t === 'data') {
    const ack = (): void =>
      port?.postMessage({ t: 'ack', id, bytes: m.length, buf: m.buf } satisfies FromWorker, [m.buf]);
    if (!job.unpacker.write(Buffer.from(m.buf, 0, m.length), ack)) await job.unpacker.drained();
  } else if (m.t === 'end' || m.t === 'file') {
    const result = await job.unpacker.end();
    jobs.delete(id);
    post({ t: 'done', id, result });
  }
}

async function drain(id: number, job: Job): Promise<void> {
  if (job.running) return;
  job.running = true;
  try {
    while (job.queue.length > 0 && !job.failed) await step(id, job, job.queue.shift() as ToWorker);
  } catch (error) {
    fail(id, job, error);
  } finally {
    job.running = false;
  }
}

port.on('message', (m: ToWorker) => {
  if (m.t === 'release') return;
  if (m.t === 'job') {
    const job: Job = {
      queue: [],
      running: false,
      failed: false,
      unpacker: undefined as unknown as LayerUnpacker,
    };
    job.unpacker = new LayerUnpacker(m.dir, {
      ...m.options,
      whiteouts: new Whiteouts(m.options.whiteoutTemplate),
      onError: (error) => fail(m.id, job, error),
    });
    jobs.set(m.id, job);
    return;
  }
  const job = jobs.get(m.id);
  if (job === undefined) return;
  if (m.t === 'abort') {
    fail(m.id, job, new ImageError('cancelled', 'unpack cancelled'));
    return;
  }
  job.queue.push(m);
  void drain(m.id, job);
});

post({ t: 'ready' });
