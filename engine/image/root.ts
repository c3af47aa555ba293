// The engine's image state under one root directory, opened once per process:
//   ROOT/lock               the pid of the process that owns the root
//   ROOT/content/…          the content store (content/store.ts)
//   ROOT/snapshots/…        the overlay snapshotter (snapshot/overlay.ts)
//   ROOT/images.json        the image store (store/imageStore.ts)
// Opening recovers from a crash (a kill -9 in the middle of a pull): ingests are dropped by
// the content store, half-made snapshot dirs by the snapshotter, unpack snapshots (keys
// `extract-…`) here, and then whatever no image refers to is swept — containerd's garbage
// collector with the image store as its only root. While a pull runs it holds a *lease* on the
// blobs and snapshots it makes, so a concurrent `rmi` never sweeps them from under it.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContentStore } from './content/store.ts';
import { errnoOf, ImageError } from './errors.ts';
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
    await r.recover();
    return r;
  }

  async close(): Promise<void> {
    await this.unpackers?.close();
    await rm(join(this.root, 'lock'), { force: true });
  }

  /** Holds ids (digests, chain ids) against sweeping until the returned function is called. */
  lease(ids: Iterable<string>): () => void {
    const held = [...ids];
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

  /** After a crash: drop unpack snapshots, then everything no image refers to. */
  async recover(): Promise<void> {
    for (const s of this.snapshots.list()) {
      if (s.kind !== 'committed' && s.key.startsWith(EXTRACT_PREFIX)) await this.snapshots.remove(s.key);
    }
    const refs = this.images.references();
    await this.release({
      blobs: (await this.content.list()).map((b) => b.digest).filter((d) => !refs.blobs.has(d)),
      snapshots: this.snapshots
        .list()
        .filter((s) => s.kind === 'committed' && !refs.snapshots.has(s.key))
        .map((s) => s.key),
    });
  }

  /** Deletes released blobs and snapshots unless leased, referenced again, or still a parent. */
  async release(released: Released): Promise<Released> {
    const refs = this.images.references();
    const done: Released = { blobs: [], snapshots: [] };
    let pending = released.snapshots.filter(
      (k) => !refs.snapshots.has(k) && !this.leased(k) && this.snapshots.stat(k) !== undefined,
    );
    // Children before parents: repeat while a pass removes something.
    for (let progress = true; progress && pending.length > 0;) {
      progress = false;
      for (const key of [...pending]) {
        if (this.snapshots.list().some((s) => s.parent === key)) continue;
        await this.snapshots.remove(key);
        done.snapshots.push(key);
        pending = pending.filter((k) => k !== key);
        progress = true;
      }
    }
    for (const digest of released.blobs) {
      if (refs.blobs.has(digest) || this.leased(digest)) continue;
      if (await this.content.delete(digest)) done.blobs.push(digest);
    }
    return done;
  }

  /** Removes a name; its blobs and layers go when no other name needs them. */
  async removeImage(name: string): Promise<Released> {
    const { released } = await this.images.remove(name);
    return this.release(released);
  }
}
