// The engine's image state under one root directory, opened once per process:
//   ROOT/lock               the pid of the process that owns the root
//   ROOT/content/…          the content store (content/store.ts)
//   ROOT/snapshots/…        the overlay snapshotter (snapshot/overlay.ts)
//   ROOT/images.json        the image store (store/imageStore.ts)
// Opening recovers from a crash (a kill -9 in the middle of a pull): ingests are dropped by
// the content store, half-made snapshot dirs by the snapshotter, unpack snapshots (keys
// `extract-…`) here, and then the garbage collector (gc.ts) sweeps whatever nothing refers to.
// It runs again after every change that drops a name or moves it to another image, one
// collection at a time. While a pull runs it holds a *lease* on the blobs and snapshots it
// makes (taken before each is written), so a collection never sweeps them from under it.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContentStore } from './content/store.ts';
import { errnoOf, ImageError } from './errors.ts';
import { collect, type Collectable, type Collected } from './gc.ts';
import { SingleFlight } from './singleflight.ts';
import { OverlaySnapshotter } from './snapshot/overlay.ts';
import { ImageStore, type Released } from './store/imageStore.ts';
import { UnpackPool } from './unpack/pool.ts';

export const EXTRACT_PREFIX = 'extract-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoOf(error) === 'EPERM';
  }
}

async function lock(path: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new ImageError('conflict', `root ${path.replace(/\/lock$/, '')} is in use by pid ${owner}`);
      }
      await rm(path, { force: true });
    }
  }
  throw new ImageError('conflict', `cannot take the lock ${path}`);
}

export class ImageRoot {
  /** Unpack-and-commit of one chain id, shared by every pull that needs it. */
  readonly layerFlights = new SingleFlight<void>();
  private readonly leases = new Map<string, number>();
  private leasesTaken = 0;
  /** The collection running or last run, and the one queued after it (shared by its callers). */
  private gcRunning: Promise<unknown> = Promise.resolve();
  private gcQueued: Promise<Collected> | undefined;

  private constructor(
    readonly root: string,
    readonly content: ContentStore,
    readonly snapshots: OverlaySnapshotter,
    readonly images: ImageStore,
    /** Unpack worker threads, or undefined to unpack on the calling thread. */
    readonly unpackers: UnpackPool | undefined,
  ) {}

  static async open(root: string, options: { unpackWorkers?: number } = {}): Promise<ImageRoot> {
    await mkdir(root, { recursive: true, mode: 0o711 });
    await lock(join(root, 'lock'));
    const content = await ContentStore.open(join(root, 'content'));
    const snapshots = await OverlaySnapshotter.open(join(root, 'snapshots'));
    const images = await ImageStore.open(join(root, 'images.json'));
    const workers = options.unpackWorkers ?? 2;
    const r = new ImageRoot(
      root,
      content,
      snapshots,
      images,
      workers > 0 ? new UnpackPool(workers) : undefined,
    );
    images.onDropped = () => void r.collect().catch(() => undefined);
    await r.recover();
    return r;
  }

  async close(): Promise<void> {
    this.images.onDropped = undefined;
    // A collection that failed leaves garbage for the next one (at the latest the next open).
    await this.gcRunning.catch(() => undefined);
    await this.unpackers?.close();
    await rm(join(this.root, 'lock'), { force: true });
  }

  /** Holds ids (digests, chain ids) against sweeping until the returned function is called. */
  lease(ids: Iterable<string>): () => void {
    const held = [...ids];
    this.leasesTaken++;
    for (const id of held) this.leases.set(id, (this.leases.get(id) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const id of held) {
        const n = (this.leases.get(id) ?? 1) - 1;
        if (n === 0) this.leases.delete(id);
        else this.leases.set(id, n);
      }
    };
  }

  leased(id: string): boolean {
    return this.leases.has(id);
  }

  /** After a crash: drop unpack snapshots, then everything nothing refers to. */
  async recover(): Promise<void> {
    for (const s of this.snapshots.list()) {
      if (s.kind !== 'committed' && s.key.startsWith(EXTRACT_PREFIX)) await this.snapshots.remove(s.key);
    }
    await this.collect();
  }

  /**
   * Runs the garbage collector (gc.ts) after the one running now, if any; callers that ask
   * while one is queued share it.
   */
  collect(): Promise<Collected> {
    if (this.gcQueued !== undefined) return this.gcQueued;
    const next = this.gcRunning
      .catch(() => undefined)
      .then(() => {
        this.gcQueued = undefined;
        return collect(this.collectable());
      });
    this.gcQueued = next;
    this.gcRunning = next;
    return next;
  }

  private collectable(): Collectable {
    return {
      content: this.content,
      snapshots: this.snapshots,
      images: () => this.images.list(),
      leasedIds: () => this.leases.keys(),
      version: () => `${this.images.version} ${this.leasesTaken} ${this.snapshots.made}`,
    };
  }

  /**
   * Collects garbage, then answers which of these blobs and snapshots are gone (whichever
   * collection took them): what a name's removal deleted, for `docker rmi`'s "Deleted:" lines.
   * Snapshots are answered in the order a chain goes, top first (they are given bottom first,
   * in layer order).
   */
  async release(released: Released): Promise<Released> {
    await this.collect();
    const blobs: string[] = [];
    for (const digest of new Set(released.blobs)) if (!(await this.content.has(digest))) blobs.push(digest);
    const snapshots = [...new Set(released.snapshots)].reverse();
    return { blobs, snapshots: snapshots.filter((k) => this.snapshots.stat(k) === undefined) };
  }

  /** Removes a name; its blobs and layers go when nothing else needs them. */
  async removeImage(name: string): Promise<Released> {
    const { released } = await this.images.remove(name);
    return this.release(released);
  }
}
