// Unpacking one layer blob into a directory, streaming: compressed bytes in (as they arrive
// from the registry or the content store) → gunzip when the first bytes are gzip's magic (as
// Docker's DecompressStream decides; zstd is refused as unsupported) → sha256 of the
// uncompressed tar, which is the layer's diff id → the tar reader → the applier.
//
// Bounds (a gzip bomb, CVE-2017-14992): at most `maxBytes` uncompressed, and once past
// `ratioFloor` bytes no more than `maxRatio` times the compressed bytes seen. The diff id is
// checked against the image config's rootfs.diff_ids at the end; on any failure the caller
// deletes the directory, which was never committed.
//
// Lifecycle: `new LayerUnpacker(dir, options)` → `write(chunk)` (false: await `drained()`) …
// → `end()` resolves with the diff id and counts, or rejects; `abort()` stops it.
import { createGunzip, type Gunzip } from 'node:zlib';
import { hashDigest, newHash, shortId } from '../digest.ts';
import { ImageError } from '../errors.ts';
import { TarReader } from '../archive/reader.ts';
import { LayerApplier, type ApplyStats } from './applier.ts';
import type { Whiteouts } from './marks.ts';

export interface UnpackLimits {
  maxBytes: number;
  maxRatio: number;
  ratioFloor: number;
}

export const DEFAULT_LIMITS: UnpackLimits = {
  maxBytes: 16 * 2 ** 30,
  maxRatio: 250,
  ratioFloor: 128 * 2 ** 20,
};

export interface UnpackOptions {
  /** The layer's digest, for messages. */
  layer: string;
  expectedDiffId?: string;
  chown: boolean;
  whiteouts: Whiteouts;
  limits?: Partial<UnpackLimits>;
  /** Told at once when unpacking fails (to stop the download feeding it). */
  onError?: (error: Error) => void;
}

export interface UnpackResult extends ApplyStats {
  diffId: string;
  /** Uncompressed bytes (the tar's size). */
  size: number;
  compressed: number;
  gzip: boolean;
}

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

export class LayerUnpacker {
  private readonly hash = newHash();
  private readonly reader: TarReader;
  private readonly applier: LayerApplier;
  private readonly limits: UnpackLimits;
  private gunzip: Gunzip | undefined;
  private head: Buffer | undefined = Buffer.alloc(0);
  private compressed = 0;
  private plain = 0;
  private error: Error | undefined;
  private readonly waiting = new Set<(error?: Error) => void>();

  constructor(
    readonly dir: string,
    private readonly options: UnpackOptions,
  ) {
    this.applier = new LayerApplier(dir, { chown: options.chown, whiteouts: options.whiteouts });
    this.reader = new TarReader(this.applier);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  /**
   * Compressed (or plain tar) bytes; false means wait for `drained()`. `consumed` is called
   * once the chunk's memory is no longer needed (the worker hands its buffer back then).
   */
  write(chunk: Buffer, consumed?: () => void): boolean {
    if (this.error !== undefined) throw this.error;
    this.compressed += chunk.length;
    if (this.head !== undefined) {
      this.head = Buffer.concat([this.head, chunk]);
      consumed?.();
      if (this.head.length < 4) return true;
      const head = this.head;
      this.head = undefined;
      this.start(head);
      return this.feed(head);
    }
    return this.feed(chunk, consumed);
  }

  drained(): Promise<void> {
    if (this.error !== undefined) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        this.waiting.delete(done);
        if (error === undefined) resolve();
        else reject(error);
      };
      this.waiting.add(done);
      this.gunzip?.once('drain', () => done());
    });
  }

  /** All input given: finish the tar, the marks, and check the diff id. */
  async end(): Promise<UnpackResult> {
    if (this.head !== undefined) {
      const head = this.head;
      this.head = undefined;
      this.start(head);
      this.feed(head);
    }
    const gunzip = this.gunzip;
    if (gunzip !== undefined) {
      await new Promise<void>((resolve, reject) => {
        if (this.error !== undefined) return reject(this.error);
        this.waiting.add((error) => (error === undefined ? resolve() : reject(error)));
        gunzip.once('end', () => resolve());
        gunzip.end();
      });
    }
    if (this.error !== undefined) throw this.error;
    this.reader.end();
    const stats = await this.applier.finish();
    const diffId = hashDigest(this.hash);
    if (this.options.expectedDiffId !== undefined && diffId !== this.options.expectedDiffId) {
      throw new ImageError(
        'digest-mismatch',
        `layer ${shortId(this.options.layer)} has diff id ${diffId}, the image config says ${this.options.expectedDiffId}: refused`,
      );
    }
    return { ...stats, diffId, size: this.plain, compressed: this.compressed, gzip: gunzip !== undefined };
  }

  abort(
    error: Error = new ImageError('cancelled', `unpack of ${shortId(this.options.layer)} cancelled`),
  ): void {
    this.fail(error);
  }

  private start(head: Buffer): void {
    if (ZSTD.every((b, i) => head[i] === b)) {
      throw this.fail(
        new ImageError(
          'unsupported',
          `layer ${shortId(this.options.layer)} is zstd-compressed, which this engine does not unpack`,
        ),
      );
    }
    if (!GZIP.every((b, i) => head[i] === b)) return;
    const gunzip = createGunzip({ chunkSize: 256 << 10, highWaterMark: 1 << 20 } as object);
    gunzip.on('data', (out: Buffer) => this.plainBytes(out));
    gunzip.on('error', (error) =>
      this.fail(
        new ImageError(
          'invalid',
          `layer ${shortId(this.options.layer)}: bad gzip stream (${error.message.toLowerCase()})`,
        ),
      ),
    );
    this.gunzip = gunzip;
  }

  private feed(chunk: Buffer, consumed?: () => void): boolean {
    if (this.gunzip !== undefined) return this.gunzip.write(chunk, () => consumed?.());
    this.plainBytes(chunk);
    consumed?.();
    if (this.error !== undefined) throw this.error;
    return true;
  }

  private plainBytes(out: Buffer): void {
    if (this.error !== undefined) return;
    try {
      this.plain += out.length;
      this.bound();
      this.hash.update(out);
      this.reader.write(out);
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private bound(): void {
    const { maxBytes, maxRatio, ratioFloor } = this.limits;
    const layer = shortId(this.options.layer);
    if (this.plain > maxBytes)
      throw new ImageError('unsafe-layer', `layer ${layer} expands beyond ${maxBytes} bytes: refused`);
    if (this.plain > ratioFloor && this.plain > maxRatio * this.compressed) {
      throw new ImageError(
        'unsafe-layer',
        `layer ${layer} expands more than ${maxRatio}x (${this.plain} bytes from ${this.compressed}): refused as a gzip bomb`,
      );
    }
  }

  private fail(error: Error): Error {
    if (this.error !== undefined) return this.error;
    this.error = error;
    this.applier.abort();
    this.gunzip?.destroy();
    for (const wake of [...this.waiting]) wake(error);
    this.options.onError?.(error);
    return error;
  }
}
