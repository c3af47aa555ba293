// One in-progress write into the content store (containerd's content.Writer): bytes go into
// ROOT/content/ingest/<name>/data, the size and (by default) sha256 are kept as they pass, and
// `commit` checks both against the descriptor, fsyncs, and renames the file to
// blobs/sha256/<hex>. Until that rename nothing is visible under the digest; `abort` (or the
// next open after a crash) deletes the ingest directory.
import type { Hash } from 'node:crypto';
import { rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hashDigest, newHash } from '../digest.ts';
import { ImageError } from '../errors.ts';
import { fsyncDir } from '../fsutil.ts';
import type { Descriptor } from '../oci.ts';

const HIGH_WATER = 8 << 20;

export interface BlobInfo {
  digest: string;
  size: number;
}

export class Ingest {
  bytes = 0;
  private readonly hash: Hash | undefined;
  private failure: Error | undefined;
  private settled = false;
  /** Chunks not yet written; one writev at a time takes all of them. */
  private queue: Buffer[] = [];
  private queued = 0;
  private flushing: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly desc: Descriptor,
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly blobPath: string,
    verifyDigest: boolean,
    /** Called once the ingest is committed (with what is now visible) or aborted (the store's per-digest lock). */
    private readonly release: (committed?: BlobInfo) => void,
  ) {
    this.hash = verifyDigest ? newHash() : undefined;
  }

  /** Queue bytes; false asks the producer to wait for `drained()`. */
  write(chunk: Buffer): boolean {
    if (this.failure !== undefined) throw this.failure;
    // Nothing to queue: a flush of no bytes would finish before `flushing` names it, and
    // `close` would then wait on it for ever (the empty blob, sha256:e3b0…, is a real blob).
    if (chunk.length === 0) return this.queued < HIGH_WATER;
    this.bytes += chunk.length;
    if (this.bytes > this.desc.size)
      throw new ImageError(
        'size-mismatch',
        `content ${this.desc.digest}: more than its size ${this.desc.size} written`,
      );
    this.hash?.update(chunk);
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.flushing ??= this.flush();
    return this.queued < HIGH_WATER;
  }

  drained(): Promise<void> {
    if (this.queued < HIGH_WATER) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        let left = batch.reduce((n, b) => n + b.length, 0);
        let buffers = batch;
        while (left > 0) {
          const { bytesWritten } = await this.handle.writev(buffers);
          left -= bytesWritten;
          buffers = left > 0 ? [Buffer.concat(buffers).subarray(bytesWritten)] : [];
        }
        this.queued -= batch.reduce((n, b) => n + b.length, 0);
        if (this.queued < HIGH_WATER) this.wakeUp();
      }
    } catch (error) {
      this.failure = error as Error;
      this.wakeUp();
    } finally {
      this.flushing = undefined;
    }
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async close(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Verify, fsync, publish. */
  async commit(): Promise<BlobInfo> {
    if (this.settled) throw new ImageError('conflict', `ingest of ${this.desc.digest} already settled`);
    this.settled = true;
    let committed: BlobInfo | undefined;
    try {
      committed = await this.publish();
      return committed;
    } catch (error) {
      await this.discard();
      throw error;
    } finally {
      this.release(committed);
    }
  }

  private async publish(): Promise<BlobInfo> {
    await this.close();
    if (this.bytes !== this.desc.size)
      throw new ImageError(
        this.bytes < this.desc.size ? 'truncated' : 'size-mismatch',
        `content ${this.desc.digest}: ${this.bytes} bytes written, expected ${this.desc.size}`,
      );
    if (this.hash !== undefined) {
      const digest = hashDigest(this.hash);
      if (digest !== this.desc.digest)
        throw new ImageError(
          'digest-mismatch',
          `content ${this.desc.digest}: written data has digest ${digest}: refused`,
        );
    }
    await this.handle.sync();
    await this.handle.close();
    await rename(this.path, this.blobPath);
    await fsyncDir(dirname(this.blobPath));
    await rm(dirname(this.path), { recursive: true, force: true });
    return { digest: this.desc.digest, size: this.desc.size };
  }

  async abort(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.queue = [];
    while (this.flushing !== undefined) await this.flushing.catch(() => undefined);
    await this.discard();
    this.release();
  }

  private async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(dirname(this.path), { recursive: true, force: true });
  }
}
