// The image store: names → what they point at, as containerd's image service keeps it (a name
// → a target descriptor) with what docker shows beside it: the platform manifest, the config
// (whose digest is the image id), and the layer chain (digest, diff id, chain id per layer).
// Names are full references with their tag (`127.0.0.1:5000/app:v1`) or digest
// (`…/app@sha256:…`); several names may share one image.
//
// Persisted as ROOT/images.json, rewritten atomically (temp + fsync + rename) on each change,
// one change at a time. Removing a name answers the blobs and layer snapshots that no remaining
// name refers to (a layer shared with another image stays), derived from the names on each
// change so they cannot drift after a crash; the root's garbage collector (gc.ts), told by
// `onDropped`, deletes what nothing refers to, whoever held it.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoOf, ImageError } from '../errors.ts';
import { atomicWrite } from '../fsutil.ts';
import type { Descriptor } from '../oci.ts';
import type { Platform } from '../platform.ts';

export interface LayerRecord extends Descriptor {
  diffId: string;
  chainId: string;
}

export interface ImageRecord {
  name: string;
  /** What the name resolved to at the registry: an index or this manifest. */
  target: Descriptor;
  manifest: Descriptor;
  config: Descriptor;
  layers: LayerRecord[];
  platform?: Platform;
  createdAt: string;
}

export interface Released {
  blobs: string[];
  snapshots: string[];
}

interface FileShape {
  version: 1;
  names: Record<string, ImageRecord>;
}

/** Every blob (index, manifest, config, layers) and layer snapshot a record refers to. */
export function referencesOf(r: ImageRecord): { blobs: string[]; snapshots: string[] } {
  return {
    blobs: [r.target.digest, r.manifest.digest, r.config.digest, ...r.layers.map((l) => l.digest)],
    snapshots: r.layers.map((l) => l.chainId),
  };
}

export class ImageStore {
  private readonly names = new Map<string, ImageRecord>();
  private queue: Promise<void> = Promise.resolve();
  private changes = 0;
  /** Told after a change that removed a name or pointed it elsewhere: something may be garbage now. */
  onDropped: (() => void) | undefined;

  private constructor(readonly path: string) {}

  static async open(path: string): Promise<ImageStore> {
    const store = new ImageStore(path);
    await mkdir(dirname(path), { recursive: true });
    try {
      const doc = JSON.parse(await readFile(path, 'utf8')) as FileShape;
      if (doc.version !== 1)
        throw new ImageError('unsupported', `image store ${path} has version ${String(doc.version)}`);
      for (const [name, record] of Object.entries(doc.names)) store.names.set(name, record);
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT')
        throw error instanceof SyntaxError
          ? new ImageError('invalid', `image store ${path} is not valid json: ${error.message}`)
          : error;
    }
    return store;
  }

  /** How many changes were made so far: a collection marks again when it moves. */
  get version(): number {
    return this.changes;
  }

  get(name: string): ImageRecord | undefined {
    return this.names.get(name);
  }

  list(): ImageRecord[] {
    return [...this.names.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Names that point at the image with this id (config digest). */
  namesOf(imageId: string): string[] {
    return this.list()
      .filter((r) => r.config.digest === imageId)
      .map((r) => r.name);
  }

  /** Everything still referred to (for a sweep after a crash). */
  references(): { blobs: Set<string>; snapshots: Set<string> } {
    const blobs = new Set<string>();
    const snapshots = new Set<string>();
    for (const r of this.names.values()) {
      const refs = referencesOf(r);
      refs.blobs.forEach((b) => blobs.add(b));
      refs.snapshots.forEach((s) => snapshots.add(s));
    }
    return { blobs, snapshots };
  }

  /** Sets (or moves) a name. */
  async put(record: ImageRecord): Promise<void> {
    let replaced = false;
    await this.change(() => {
      replaced = this.names.has(record.name);
      this.names.set(record.name, record);
    });
    if (replaced) this.onDropped?.();
  }

  /** Deletes a name; answers what no other name refers to any more. */
  async remove(name: string): Promise<{ record: ImageRecord; released: Released }> {
    let out: { record: ImageRecord; released: Released } | undefined;
    await this.change(() => {
      const record = this.names.get(name);
      if (record === undefined) throw new ImageError('not-found', `no such image: ${name}`);
      this.names.delete(name);
      const still = this.references();
      const refs = referencesOf(record);
      out = {
        record,
        released: {
          blobs: [...new Set(refs.blobs)].filter((b) => !still.blobs.has(b)),
          snapshots: refs.snapshots.filter((s) => !still.snapshots.has(s)),
        },
      };
    });
    if (out === undefined) throw new ImageError('not-found', `no such image: ${name}`);
    this.onDropped?.();
    return out;
  }

  private change(mutate: () => void): Promise<void> {
    const next = this.queue.then(async () => {
      const before = new Map(this.names);
      mutate();
      this.changes++;
      try {
        const doc: FileShape = { version: 1, names: Object.fromEntries(this.names) };
        await atomicWrite(this.path, `${JSON.stringify(doc, null, 1)}\n`);
      } catch (error) {
        this.names.clear();
        before.forEach((v, k) => this.names.set(k, v));
        throw error;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
