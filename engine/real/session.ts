// One real operation's share of the engine: what the layer machines' real actions have in common
// while one request runs through them. It plays the part of a containerd lease
// (https://github.com/containerd/containerd/blob/main/docs/garbage-collection.md): everything the
// operation fetches or unpacks is held until the image record names it, and what it made is swept
// when it fails, so nothing half-imported stays.
//
// Glossary: *machine key* — the snapshot key the machines use (`extract-…`); *real key* — the key
// in the overlay snapshotter (the machine key plus a random suffix, so two operations never
// collide on one extract snapshot); *token* — the Bearer token the token server gave for a host.
import { randomBytes } from 'node:crypto';
import { fromPromise, type PromiseActorLogic } from 'xstate';
import type { Credentials } from '../image/registry/auth.ts';
import type { Progress, ProgressSink } from '../image/progress.ts';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { TarSink } from '../image/archive/tarSink.ts';
import type { ImageRoot } from '../image/root.ts';

export interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
}

export interface SessionOptions {
  credentials?: Credentials;
  /** Connect and first-byte deadline for registry requests (ms). */
  timeoutMs?: number;
  onProgress?: ProgressSink;
}

export class RealSession {
  /** Host → the Bearer token its token server gave (the machines show it as `Bearer …`). */
  readonly tokens = new Map<string, string>();
  /** Registry hosts whose ping asked for a token: the next token is theirs. */
  readonly challenged = new Set<string>();
  /** Hosts that answered with a Basic challenge: the credentials go with every request. */
  readonly basicHosts = new Set<string>();
  /** Manifests and indexes fetched, by digest: the image record's blobs. */
  readonly manifests = new Map<string, StoredManifest>();
  /** Machine snapshot key → the layer digest applied into it (for the layer's progress lines). */
  readonly layerOf = new Map<string, string>();
  private readonly keys = new Map<string, string>();
  private readonly blobs = new Set<string>();
  private readonly snapshots = new Set<string>();
  private readonly releases: (() => void)[] = [];
  /** Where blobs the operation reads go (`docker save`'s archive, streamed to its client). */
  archive: TarSink | undefined;
  /** Where an operation writes a raw answer as it reads it (`docker logs`' frames). */
  raw: RawSink | undefined;
  /** The request's body, for an operation that reads one (`docker load`'s archive). */
  body: Readable | undefined;
  /** Where the operation may make temporary files (an archive written out). */
  tmpDir: string | undefined;
  /** Blobs an archive brought, by digest: the file each one is in until it is in the content store. */
  readonly archiveFiles = new Map<string, string>();
  private readonly cleanups: (() => Promise<void>)[] = [];
  /** A random id for this operation (its world's seed). */
  readonly id = randomBytes(8).toString('hex');

  constructor(
    readonly root: ImageRoot,
    readonly options: SessionOptions = {},
  ) {}

  get timeoutMs(): number {
    return this.options.timeoutMs ?? 30_000;
  }

  progress(event: Progress): void {
    this.options.onProgress?.(event);
  }

  /**
   * The real key for a machine key, made once. Only an unpack's `extract-…` snapshot belongs to
   * the operation; a container's (keyed by its id) outlives the request that prepared it.
   */
  realKey(machineKey: string): string {
    if (!machineKey.startsWith('extract-')) return machineKey;
    let key = this.keys.get(machineKey);
    if (key === undefined) {
      key = `${machineKey}-${randomBytes(4).toString('hex')}`;
      this.keys.set(machineKey, key);
    }
    return key;
  }

  /** Held until the session ends; swept on failure unless an image refers to it. */
  holdBlob(digest: string): void {
    if (this.blobs.has(digest)) return;
    this.blobs.add(digest);
    this.releases.push(this.root.lease([digest]));
  }

  holdSnapshot(chainId: string): void {
    if (this.snapshots.has(chainId)) return;
    this.snapshots.add(chainId);
    this.releases.push(this.root.lease([chainId]));
  }

  /** Closes the operation's registry connections when it ends (a request nobody waits for). */
  readonly aborter = new AbortController();
  /** Work still running for this operation (a download whose answer nobody collects any more). */
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }

  /**
   * End the operation, after the work it started has stopped: leases go; on failure, what it
   * made and no image needs is removed.
   */
  async finish(ok: boolean): Promise<void> {
    // The answer is given: what is still on the network is not needed (a request the machine
    // gave up on, a download a failed pull no longer collects).
    if (this.running.size > 0) this.aborter.abort();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    this.releases.splice(0).forEach((release) => release());
    for (const [machineKey, key] of this.keys) {
      if (this.root.snapshots.stat(key)?.kind === 'active')
        await this.root.snapshots.remove(key).catch(() => undefined);
      this.keys.delete(machineKey);
    }
    if (!ok) await this.root.release({ blobs: [...this.blobs], snapshots: [...this.snapshots] });
    for (const cleanup of this.cleanups.splice(0)) await cleanup().catch(() => undefined);
  }

  /** Run when the operation ends (a temporary directory removed). */
  onFinish(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }
}

/** The session of the operation a request belongs to (the world finds it, world.ts). */
export type SessionFinder = (requestId: number) => RealSession;

/**
 * A real effect (src/layers/effect.ts): the work one request stands for, done for the operation
 * the request belongs to and tracked by that operation's session, so the session's end waits for it.
 */
export function sessionEffect<I extends { requestId: number }, O>(
  sessionOf: SessionFinder,
  work: (session: RealSession, input: I) => Promise<O>,
): PromiseActorLogic<O, I> {
  return fromPromise<O, I>(({ input }) => {
    const session = sessionOf(input.requestId);
    return session.track(work(session, input));
  });
}

/** An answer written as it is made: its status line with the first bytes, or at the end. */
export class RawSink {
  private begun = false;
  /** Headers the real effects add before the answer begins (`docker cp`'s path stat). */
  readonly headers: Record<string, string> = {};

  constructor(
    private readonly out: ServerResponse,
    private readonly contentType: string,
  ) {}

  get started(): boolean {
    return this.begun;
  }

  /** The status line and headers (the answer is streamed from now on). */
  begin(): void {
    if (this.begun) return;
    this.begun = true;
    // An empty content type sends none (dockerd's HEAD of an archive has none).
    this.out.writeHead(200, {
      ...(this.contentType === '' ? {} : { 'Content-Type': this.contentType }),
      ...this.headers,
    });
    this.out.flushHeaders();
  }

  /** Writes `chunk`, waiting while the client is slower than the reader. */
  async write(chunk: Buffer): Promise<void> {
    this.begin();
    if (this.out.destroyed) throw new Error('the client closed its connection');
    if (!this.out.write(chunk)) await new Promise((resolve) => this.out.once('drain', resolve));
  }

  /**
   * Ends the answer. A failure after the first bytes cannot change the status any more: the
   * connection is cut, so the client sees a broken stream (an unexpected EOF), never a short
   * answer that looks whole. (dockerd writes its error's JSON after the bytes already sent and
   * ends normally, api/server/httputils MakeErrorHandler: a client then reads a corrupt tar.)
   */
  end(ok = true): void {
    if (!ok && this.begun) {
      this.out.destroy();
      return;
    }
    this.begin();
    this.out.end();
  }
}
