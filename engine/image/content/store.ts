// The content store: every blob of every image (manifests, indexes, configs, compressed
// layers) under ROOT/content/blobs/sha256/<hex>, the file name being the sha256 of the bytes —
// containerd's local content store, the same layout as an OCI image layout's blobs/
// (https://github.com/containerd/containerd/blob/main/docs/content-flow.md).
//
// Lifecycle: `ContentStore.open(root)` creates the directories and deletes the ingests a crash
// left behind → `writer(desc)` (or `ingest(desc, fill)`, which does the work once for concurrent
// callers of one digest and not at all when the blob is there) → `Ingest.commit()` verifies and
// publishes → `read*`/`info`/`list` → `delete` when the image store no longer refers to it.
//
// Glossary: *ingest* — a write in progress, invisible under the digest; *commit* — the verified
// rename that makes it visible; *descriptor* — {mediaType, digest, size}.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { hexOf, isDigest, sha256 } from '../digest.ts';
import { errnoOf, ImageError } from '../errors.ts';
import type { Descriptor } from '../oci.ts';
import { SingleFlight } from '../singleflight.ts';
import { Ingest, type BlobInfo } from './ingest.ts';

export type { BlobInfo } from './ingest.ts';

export interface WriterOptions {
  /** Hash while writing (default). Off only when an earlier stage of the same stream already hashes. */
  verifyDigest?: boolean;
}

export class ContentStore {
  readonly blobs: string;
  readonly ingests: string;
  private readonly locked = new Set<string>();
  private readonly flights = new SingleFlight<BlobInfo>();
  /** Deletions under way: a blob being deleted is not there for anyone who asks meanwhile. */
  private readonly deleting = new Map<string, Promise<boolean>>();
  /**
   * The committed blobs and their sizes, kept as blobs are committed and deleted: what the layer
   * machines ask synchronously (is this blob here?) is answered from memory, never by a
   * blocking look at the disk.
   */
  private readonly index = new Map<string, number>();

  private constructor(readonly root: string) {
    this.blobs = join(root, 'blobs', 'sha256');
    this.ingests = join(root, 'ingest');
  }

  /** Opens (creating) the store; ingests left by a crash are deleted — they were never visible. */
  static async open(root: string): Promise<ContentStore> {
    const store = new ContentStore(root);
    await mkdir(store.blobs, { recursive: true });
    await rm(store.ingests, { recursive: true, force: true });
    await mkdir(store.ingests, { recursive: true });
    for (const blob of await store.list()) store.index.set(blob.digest, blob.size);
    return store;
  }

  /** A committed blob, from memory (see `index`). */
  known(digest: string): BlobInfo | undefined {
    const size = this.index.get(digest);
    return size === undefined ? undefined : { digest, size };
  }

  /** Every committed blob, from memory. */
  knownList(): BlobInfo[] {
    return [...this.index].map(([digest, size]) => ({ digest, size }));
  }

  path(digest: string): string {
    return join(this.blobs, hexOf(digest));
  }

  async info(digest: string): Promise<BlobInfo | undefined> {
    await this.deleting.get(digest)?.catch(() => undefined);
    try {
      const s = await stat(this.path(digest));
      return { digest, size: s.size };
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  async has(digest: string): Promise<boolean> {
    return (await this.info(digest)) !== undefined;
  }

  async list(): Promise<BlobInfo[]> {
    const names = await readdir(this.blobs);
    const infos = await Promise.all(
      names.map((hex) => (isDigest(`sha256:${hex}`) ? this.info(`sha256:${hex}`) : undefined)),
    );
    return infos.filter((i): i is BlobInfo => i !== undefined);
  }

  delete(digest: string): Promise<boolean> {
    const running = this.deleting.get(digest);
    if (running !== undefined) return running.then(() => false);
    this.index.delete(digest);
    const done = rm(this.path(digest)).then(
      () => true,
      (error: unknown) => {
        if (errnoOf(error) === 'ENOENT') return false;
        throw error;
      },
    );
    this.deleting.set(digest, done);
    void done.finally(() => this.deleting.delete(digest)).catch(() => undefined);
    return done;
  }

  readStream(digest: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(digest), { highWaterMark: 1 << 20, ...range });
  }

  /** A small blob read whole, re-verified (the bytes a manifest digest is over). */
  async readBytes(digest: string, max = 16 << 20): Promise<Buffer> {
    let bytes: Buffer;
    try {
      const s = await stat(this.path(digest));
      if (s.size > max)
        throw new ImageError(
          'size-mismatch',
          `content ${digest} is ${s.size} bytes, more than ${max} allowed here`,
        );
      bytes = await readFile(this.path(digest));
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') throw new ImageError('not-found', `content ${digest} not found`);
      throw error;
    }
    if (sha256(bytes) !== digest)
      throw new ImageError('digest-mismatch', `content ${digest} on disk has digest ${sha256(bytes)}`);
    return bytes;
  }

  /** An exclusive writer for one digest (containerd answers a second one "ref locked"). */
  async writer(desc: Descriptor, options: WriterOptions = {}): Promise<Ingest> {
    if (this.locked.has(desc.digest))
      throw new ImageError('conflict', `content ${desc.digest} is already being written (ref locked)`);
    this.locked.add(desc.digest);
    try {
      const dir = join(this.ingests, `${hexOf(desc.digest)}-${randomBytes(4).toString('hex')}`);
      await mkdir(dir);
      const path = join(dir, 'data');
      const handle = await open(path, 'wx', 0o644);
      return new Ingest(
        desc,
        path,
        handle,
        this.path(desc.digest),
        options.verifyDigest ?? true,
        (committed) => {
          this.locked.delete(desc.digest);
          if (committed !== undefined) this.index.set(committed.digest, committed.size);
        },
      );
    } catch (error) {
      this.locked.delete(desc.digest);
      throw error;
    }
  }

  /**
   * Write a blob once: skip when present, join a write in progress, else run `fill`. A joined
   * write that fails (its bytes lied, its connection dropped) does not decide for this caller:
   * it then writes its own bytes, as a containerd writer told "ref locked" retries
   * (core/content/helpers.go, OpenWriter).
   */
  async ingest(
    desc: Descriptor,
    fill: (writer: Ingest) => Promise<void>,
    options: WriterOptions = {},
  ): Promise<BlobInfo> {
    let led = false;
    try {
      return await this.flights.run(desc.digest, async () => {
        led = true;
        const present = await this.info(desc.digest);
        if (present !== undefined) return present;
        const writer = await this.writer(desc, options);
        try {
          await fill(writer);
        } catch (error) {
          await writer.abort();
          throw error;
        }
        return writer.commit();
      });
    } catch (error) {
      if (led) throw error;
      return this.ingest(desc, fill, options);
    }
  }

  /** A blob already in memory (a manifest, a config). */
  put(desc: Descriptor, bytes: Buffer): Promise<BlobInfo> {
    return this.ingest(desc, async (writer) => {
      if (!writer.write(bytes)) await writer.drained();
    });
  }
}
