// The ports as the machines read them in real mode: synchronous, in-memory views of the engine's
// real stores. Queries (is this layer here? is this blob?) answer from the stores' own in-memory
// indexes, never from a blocking look at the disk; changes happen only through the machines'
// real effects (registry.ts, storage.ts, content.ts), never through these views.
import type { BlobInfo, ContentStore } from '../../src/ports/contentStore.ts';
import type { Mount, SnapshotInfo, Snapshotter } from '../../src/ports/snapshotter.ts';
import type { ImageRoot } from '../image/root.ts';

function readOnly(what: string): never {
  throw new Error(`${what}: real snapshots and blobs change through the machines' real actions`);
}

export class RealContentView implements ContentStore {
  constructor(private readonly root: ImageRoot) {}

  has(digest: string): boolean {
    return this.info(digest) !== undefined;
  }

  /** The blob is already committed (the real action wrote it): answer what is on disk. */
  commit(digest: string, _size: number, labels: Record<string, string> = {}): BlobInfo {
    const info = this.info(digest);
    if (info === undefined) throw new Error(`content ${digest} not found at ${this.pathOf(digest)}`);
    return { ...info, labels };
  }

  info(digest: string): BlobInfo | undefined {
    const known = this.root.content.known(digest);
    return known === undefined ? undefined : { ...known, labels: {} };
  }

  remove(digest: string): boolean {
    return readOnly(`remove ${digest}`);
  }

  list(): BlobInfo[] {
    return this.root.content.knownList().map((b) => ({ ...b, labels: {} }));
  }

  pathOf(digest: string): string {
    return this.root.content.path(digest);
  }
}

export class RealSnapshotView implements Snapshotter {
  readonly name = 'overlayfs';

  constructor(
    private readonly image: ImageRoot,
    /** Told of a committed layer the machines look up (the pull's "Already exists"), to hold it. */
    private readonly onFound: (key: string) => void = () => undefined,
  ) {}

  get root(): string {
    return this.image.snapshots.root;
  }

  /**
   * A layer the machines find is held by the operation from then on, as containerd's unpacker
   * adds what it finds to the pull's lease: no collection takes it before the image names it.
   */
  stat(key: string): SnapshotInfo | undefined {
    const info = this.info(key);
    if (info?.kind === 'committed') this.onFound(key);
    return info;
  }

  private info(key: string): SnapshotInfo | undefined {
    const s = this.image.snapshots.stat(key);
    if (s === undefined) return undefined;
    const info: SnapshotInfo = { key: s.key, kind: s.kind, dir: String(s.id), size: 0, labels: s.labels };
    if (s.parent !== undefined) info.parent = s.parent;
    return info;
  }

  list(): SnapshotInfo[] {
    return this.image.snapshots.list().flatMap((s) => this.info(s.key) ?? []);
  }

  /** The snapshot's own directory, `<root>/<n>`, holding its `fs` (and `work`) dirs, as the simulated one names it. */
  pathOf(key: string): string {
    const s = this.image.snapshots.stat(key);
    return s === undefined ? `${this.root}/${key}` : `${this.root}/${s.id}`;
  }

  prepare(key: string): Mount[] {
    return readOnly(`prepare ${key}`);
  }

  apply(key: string): { applied: number } {
    return readOnly(`apply ${key}`);
  }

  commit(name: string): SnapshotInfo {
    return readOnly(`commit ${name}`);
  }

  /**
   * The mounts of a snapshot, from the snapshotter's in-memory table: an active one's (or a
   * view's) as the snapshotter gives them; a committed one's as a read-only view of it would be,
   * its own directory on top of its parents' (a single layer is a bind mount).
   */
  mounts(key: string): Mount[] {
    const s = this.image.snapshots.stat(key);
    if (s?.kind !== 'committed')
      return this.image.snapshots
        .mounts(key)
        .map((m) => ({ type: m.type, source: m.source, options: [...m.options] }));
    const lowers = this.image.snapshots.lowers(key);
    if (lowers.length === 1) return [{ type: 'bind', source: lowers[0] ?? '', options: ['ro', 'rbind'] }];
    return [{ type: 'overlay', source: 'overlay', options: [`lowerdir=${lowers.join(':')}`] }];
  }

  remove(key: string): boolean {
    return readOnly(`remove ${key}`);
  }

  write(key: string): { copiedUp: boolean } {
    return readOnly(`write ${key}`);
  }

  changes(key: string): { path: string; size: number }[] {
    return readOnly(`changes ${key}`);
  }
}
