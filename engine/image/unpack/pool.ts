// A small pool of unpack worker threads (worker.ts), owned by the image root and started on
// first use. `start(dir, options)` answers an Unpacking with the same shape as an in-process
// LayerUnpacker: compressed bytes are gathered into ~1 MiB batches and moved to the worker
// (transferred, not cloned); at most 8 MiB are in flight per job before `write` asks the caller
// to wait. Jobs go to the worker with the fewest; a worker may run several at once.
//
// Why workers: measured on two cores, one thread doing HTTP, hashing and every file write of
// four layers was busy the whole pull; with the layer work in two workers the main thread
// keeps only the sockets and the blob digests.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ImageError } from '../errors.ts';
import type { FromWorker, JobOptions, ToWorker } from './protocol.ts';
import type { UnpackResult } from './unpack.ts';

export interface Unpacking {
  write(chunk: Buffer): boolean;
  drained(): Promise<void>;
  end(): Promise<UnpackResult>;
  abort(error?: Error): void;
}

/** A job whose input is a file the worker reads itself (a blob already in the content store). */
export interface FileUnpacking {
  /** Unpack the whole file, then end: the result, as `end()` gives it. */
  fromFile(path: string): Promise<UnpackResult>;
  abort(error?: Error): void;
}

const BATCH = 1 << 20;
const IN_FLIGHT = 8 << 20;
/**
 * How long the pool stays up without a job before it lets its workers and their batch buffers
 * go (each worker is a V8 isolate of its own; measured: an engine idle after five 100 MB pulls
 * held about 1.8 times what dockerd and containerd hold together). The next job starts them again.
 */
export const UNPACK_IDLE_MS = 20_000;

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  jobs: Map<number, RemoteUnpacking>;
  /** A job of this slot ended (done or failed). */
  ended(): void;
  /** A batch buffer of at least `size` bytes: a returned one when there is one. */
  take(size: number): Uint8Array;
  give(buf: ArrayBuffer): void;
  /** The spare buffers, no longer kept. */
  spares(): ArrayBuffer[];
}

/** Batch buffers the worker handed back: reusing them spares fresh (page-faulted, zeroed) memory. */
function bufferPool(): Pick<Slot, 'take' | 'give' | 'spares'> {
  const free: ArrayBuffer[] = [];
  return {
    take: (size) => {
      const i = free.findIndex((b) => b.byteLength >= size);
      return i >= 0
        ? new Uint8Array(free.splice(i, 1)[0] as ArrayBuffer)
        : new Uint8Array(Math.max(size, BATCH + (64 << 10)));
    },
    give: (buf) => {
      if (free.length < 16) free.push(buf);
    },
    spares: () => free.splice(0),
  };
}

class RemoteUnpacking implements Unpacking, FileUnpacking {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight = 0;
  private error: Error | undefined;
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private finished: { resolve: (r: UnpackResult) => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly id: number,
    private readonly slot: Slot,
    private readonly onError: ((e: Error) => void) | undefined,
  ) {}

  private post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.slot.worker.postMessage(message, transfer);
  }

  write(chunk: Buffer): boolean {
    if (this.error !== undefined) throw this.error;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= BATCH) this.flush();
    return this.inFlight < IN_FLIGHT;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    // Copy into memory of our own (never a pooled Buffer's, never the caller's chunk, which the
    // content ingest may still be writing), then move it.
    const batch = this.slot.take(this.pendingBytes);
    let at = 0;
    for (const chunk of this.pending) {
      batch.set(chunk, at);
      at += chunk.length;
    }
    const length = this.pendingBytes;
    this.inFlight += length;
    this.pending = [];
    this.pendingBytes = 0;
    const buf = batch.buffer as ArrayBuffer;
    this.post({ t: 'data', id: this.id, buf, length }, [buf]);
  }

  drained(): Promise<void> {
    if (this.error !== undefined) return Promise.reject(this.error);
    if (this.inFlight < IN_FLIGHT) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  end(): Promise<UnpackResult> {
    if (this.error !== undefined) return Promise.reject(this.error);
    this.flush();
    this.post({ t: 'end', id: this.id });
    return new Promise((resolve, reject) => {
      this.finished = { resolve, reject };
    });
  }

  fromFile(path: string): Promise<UnpackResult> {
    if (this.error !== undefined) return Promise.reject(this.error);
    this.post({ t: 'file', id: this.id, path });
    return new Promise((resolve, reject) => {
      this.finished = { resolve, reject };
    });
  }

  abort(error: Error = new ImageError('cancelled', 'unpack cancelled')): void {
    if (this.error !== undefined) return;
    this.post({ t: 'abort', id: this.id });
    this.settle(error);
  }

  /** Messages from the worker for this job. */
  handle(m: FromWorker): void {
    if (m.t === 'ack') {
      this.slot.give(m.buf);
      this.inFlight -= m.bytes;
      if (this.inFlight < IN_FLIGHT) this.waiters.splice(0).forEach((w) => w.resolve());
    } else if (m.t === 'done') {
      this.slot.jobs.delete(this.id);
      this.slot.ended();
      this.finished?.resolve(m.result);
    } else if (m.t === 'error') {
      const error = m.code === undefined ? new Error(m.message) : new ImageError(m.code, m.message);
      this.settle(error);
      this.onError?.(error);
    }
  }

  settle(error: Error): void {
    if (this.error !== undefined) return;
    this.error = error;
    this.slot.jobs.delete(this.id);
    this.slot.ended();
    this.waiters.splice(0).forEach((w) => w.reject(error));
    this.finished?.reject(error);
  }
}

export class UnpackPool {
  private slots: Slot[] = [];
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly size: number = Math.min(4, Math.max(2, availableParallelism())),
    /** How long it stays up without a job (UNPACK_IDLE_MS; shorter in tests). */
    private readonly idleMs: number = UNPACK_IDLE_MS,
  ) {}

  private spawn(): Slot {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url));
    worker.unref();
    const slot: Slot = {
      worker,
      jobs: new Map(),
      ready: Promise.resolve(),
      ended: () => this.idleSoon(),
      ...bufferPool(),
    };
    slot.ready = new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (m: FromWorker) => {
        if (m.t === 'ready') resolve();
        else slot.jobs.get(m.id)?.handle(m);
      });
    });
    worker.on('error', (error) =>
      slot.jobs.forEach((j) =>
        j.settle(new ImageError('server', `unpack worker failed: ${error.message.toLowerCase()}`)),
      ),
    );
    worker.on('exit', (code) => {
      this.slots = this.slots.filter((s) => s !== slot);
      slot.jobs.forEach((j) => j.settle(new ImageError('server', `unpack worker exited with code ${code}`)));
    });
    return slot;
  }

  /** Starts the workers now (a daemon does this at start-up), resolving when they can take jobs. */
  async warm(): Promise<void> {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    await Promise.all(this.slots.map((s) => s.ready));
    this.idleSoon();
  }

  /** With no job left, the workers go after `idleMs`, unless a job comes first. */
  private idleSoon(): void {
    if (this.slots.some((s) => s.jobs.size > 0)) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.slots.every((s) => s.jobs.size === 0)) void this.close();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  async start(
    dir: string,
    options: JobOptions,
    onError?: (error: Error) => void,
  ): Promise<Unpacking & FileUnpacking> {
    clearTimeout(this.idleTimer);
    if (this.slots.length < this.size) this.slots.push(this.spawn());
    const slot = this.slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    const id = this.nextId++;
    const job = new RemoteUnpacking(id, slot, onError);
    // Counted before the wait, so that jobs started together spread over the workers.
    slot.jobs.set(id, job);
    try {
      await slot.ready;
    } catch (error) {
      slot.jobs.delete(id);
      throw error;
    }
    slot.worker.postMessage({ t: 'job', id, dir, options } satisfies ToWorker);
    return job;
  }

  /** The jobs each worker holds now (how the work is spread). */
  loads(): number[] {
    return this.slots.map((s) => s.jobs.size);
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const slots = this.slots;
    this.slots = [];
    await Promise.all(
      slots.map((s) => {
        // An idle engine makes no garbage, so V8 would not collect dropped spares (up to 16 MiB a
        // worker) until the next pull: they stayed resident. Moved to the worker that ends, they
        // are freed with its isolate, at once.
        const bufs = s.spares();
        if (bufs.length > 0) s.worker.postMessage({ t: 'release', bufs } satisfies ToWorker, bufs);
        return s.worker.terminate();
      }),
    );
  }
}
