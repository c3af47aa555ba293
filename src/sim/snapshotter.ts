import type { Mount, SnapshotInfo, Snapshotter } from '../ports/snapshotter.ts';

/**
 * An overlay snapshotter in memory. Two flavours share the logic and differ in naming, as the
 * real ones do: containerd's `overlayfs` snapshotter numbers its directories
 * (`snapshots/7/fs`), Docker's classic `overlay2` graphdriver names them by a random cache id
 * (`overlay2/<id>/diff`).
 */
interface Snap extends SnapshotInfo {
  files: Map<string, number>;
}

export class SimSnapshotter implements Snapshotter {
  private snaps = new Map<string, Snap>();
  private counter = 0;

  constructor(
    readonly name: 'overlayfs' | 'overlay2',
    readonly root: string,
    private readonly newDirName: (n: number) => string,
  ) {}

  prepare(key: string, parent: string | undefined, labels: Record<string, string> = {}): Mount[] {
    if (this.snaps.has(key)) throw new Error(`snapshot ${key}: already exists`);
    if (parent !== undefined && this.snaps.get(parent)?.kind !== 'committed') {
      throw new Error(`snapshot ${key}: parent ${parent} is not committed`);
    }
    const snap: Snap = {
      key,
      kind: 'active',
      dir: this.newDirName(++this.counter),
      size: 0,
      labels: { ...labels },
      files: new Map(),
    };
    if (parent !== undefined) snap.parent = parent;
    this.snaps.set(key, snap);
    return this.mounts(key);
  }

  apply(key: string, layer: { digest: string; diffId: string; size: number }): { applied: number } {
    const snap = this.active(key);
    snap.size += layer.size;
    return { applied: layer.size };
  }

  commit(name: string, key: string, parent?: string): SnapshotInfo {
    const snap = this.active(key);
    if (this.snaps.has(name)) throw new Error(`snapshot ${name}: already exists`);
    if (parent !== undefined && this.snaps.get(parent)?.kind !== 'committed')
      throw new Error(`snapshot ${key}: parent ${parent} is not committed`);
    this.snaps.delete(key);
    const committed: Snap = {
      ...snap,
      key: name,
      kind: 'committed',
      ...(parent === undefined ? {} : { parent }),
    };
    this.snaps.set(name, committed);
    return committed;
  }

  mounts(key: string): Mount[] {
    const snap = this.snaps.get(key);
    if (!snap) throw new Error(`snapshot ${key}: not found`);
    const dir = `${this.root}/${snap.dir}`;
    // A committed snapshot is only ever seen read-only, as containerd's views are: its own layer
    // on top of its parents, with no upper dir (a single layer is a read-only bind mount).
    const lowers =
      snap.kind === 'committed'
        ? [this.upperOf(dir), ...this.lowerDirs(snap.parent)]
        : this.lowerDirs(snap.parent);
    if (lowers.length === 0 || (snap.kind === 'committed' && lowers.length === 1)) {
      const rw = snap.kind === 'active';
      return [
        {
          type: 'bind',
          source: rw ? this.upperOf(dir) : (lowers[0] ?? dir),
          options: [rw ? 'rw' : 'ro', 'rbind'],
        },
      ];
    }
    const options = [`lowerdir=${lowers.join(':')}`];
    if (snap.kind === 'active') options.unshift(`workdir=${dir}/work`, `upperdir=${this.upperOf(dir)}`);
    return [{ type: 'overlay', source: 'overlay', options }];
  }

  remove(key: string): boolean {
    for (const s of this.snaps.values()) if (s.parent === key) return false;
    return this.snaps.delete(key);
  }

  stat(key: string): SnapshotInfo | undefined {
    const snap = this.snaps.get(key);
    if (!snap) return undefined;
    const { files: _files, ...info } = snap;
    return info;
  }

  list(): SnapshotInfo[] {
    return [...this.snaps.keys()].flatMap((k) => this.stat(k) ?? []);
  }

  write(key: string, path: string, size: number): { copiedUp: boolean } {
    const snap = this.active(key);
    // overlayfs copies a file up only when a lower layer has it
    // (https://docs.kernel.org/filesystems/overlayfs.html#non-directories); a new file is written
    // straight into the upper dir, and a rewrite replaces the upper copy rather than adding to it.
    const copiedUp = !snap.files.has(path) && this.lowerHas(snap, path);
    snap.size += size - (snap.files.get(path) ?? 0);
    snap.files.set(path, size);
    return { copiedUp };
  }

  changes(key: string): { path: string; size: number }[] {
    const snap = this.snaps.get(key);
    if (!snap) throw new Error(`snapshot ${key}: not found`);
    return [...snap.files].map(([path, size]) => ({ path, size })).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  private lowerHas(snap: Snap, path: string): boolean {
    for (
      let p = snap.parent === undefined ? undefined : this.snaps.get(snap.parent);
      p;
      p = p.parent === undefined ? undefined : this.snaps.get(p.parent)
    ) {
      if (p.files.has(path)) return true;
    }
    return false;
  }

  pathOf(key: string): string {
    const snap = this.snaps.get(key);
    return snap ? `${this.root}/${snap.dir}` : `${this.root}/?`;
  }

  private upperOf(dir: string): string {
    return this.name === 'overlay2' ? `${dir}/diff` : `${dir}/fs`;
  }

  private lowerDirs(parent: string | undefined): string[] {
    const dirs: string[] = [];
    for (let p = parent; p !== undefined; p = this.snaps.get(p)?.parent) {
      const s = this.snaps.get(p);
      if (!s) break;
      dirs.push(this.upperOf(`${this.root}/${s.dir}`));
    }
    return dirs;
  }

  private active(key: string): Snap {
    const snap = this.snaps.get(key);
    if (!snap || snap.kind !== 'active') throw new Error(`snapshot ${key}: not an active snapshot`);
    return snap;
  }
}
