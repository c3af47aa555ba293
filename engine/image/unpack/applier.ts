// Applies the entries of one layer tar to an empty directory, in overlayfs form: the directory
// becomes a lower dir (or an upper dir) that overlayfs reads directly. This is what Docker's
// overlay2 ApplyDiff and containerd's overlay apply do (archive.Apply with the overlay
// whiteout converter: https://github.com/containerd/containerd/blob/main/pkg/archive/tar.go),
// with a stricter policy: entries that would go through a symlink are refused, not resolved.
//
// Lifecycle: `new LayerApplier(dir, options)`; it is the tar reader's EntryHandler (`entry`,
// `data`, `done` — synchronous, so each decision is taken before the next byte); `finish()`
// makes the deferred marks (xattrs, fifos) and the directory times; `abort()` closes what is
// open. The directory is the caller's to delete on failure.
//
// Security (each refused with an `unsafe-layer` error, nothing written outside `dir`): absolute
// and `..` paths (paths.ts); writes through a symlink or a file (the kind of every path made is
// kept, so a symlink is never followed); hard links to anything but a file or symlink of this
// layer; block and character devices except 0/0 (a whiteout); trusted.overlay.* xattrs; files
// opened O_CREAT|O_EXCL|O_NOFOLLOW after unlinking what was there; modes and owners set on the
// file descriptor or with lchown/lutimes, never through a link (CVE-2021-32760).
//
// Glossary: *whiteout* `.wh.NAME`; *opaque marker* `.wh..wh..opq`; *kind* — what the applier
// made at a path (dir, file, symlink, other).
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  futimesSync,
  lchownSync,
  linkSync,
  lutimesSync,
  mkdirSync,
  openSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeSync,
  chmodSync,
} from 'node:fs';
import { join } from 'node:path';
import { ImageError } from '../errors.ts';
import type { EntryHandler, TarEntry } from '../archive/reader.ts';
import { setXattrs, type Whiteouts, type XattrSet } from './marks.ts';
import { baseOf, cleanPath, parentOf } from './paths.ts';
import { run } from '../tools.ts';

const DIR = 1;
const FILE = 2;
const SYMLINK = 3;
const OTHER = 4;

const OPEN_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const UMASK = process.umask();
const ALLOWED_XATTR = /^(user\.|security\.capability$|system\.posix_acl_(access|default)$)/;

export interface ApplierOptions {
  /** Apply the tar's uid/gid (true when running as root). */
  chown: boolean;
  whiteouts: Whiteouts;
  maxEntries?: number;
}

export interface ApplyStats {
  entries: number;
  files: number;
  whiteouts: number;
  opaques: number;
}

function unsafe(why: string): ImageError {
  return new ImageError('unsafe-layer', why);
}

export class LayerApplier implements EntryHandler {
  readonly stats: ApplyStats = { entries: 0, files: 0, whiteouts: 0, opaques: 0 };
  private readonly kinds = new Map<string, number>([['', DIR]]);
  private readonly setgid = new Set<string>();
  private readonly dirTimes: [string, number][] = [];
  private readonly xattrs: XattrSet[] = [];
  private readonly fifos: TarEntry[] = [];
  private readonly opaque = new Set<string>();
  private fd: number | undefined;
  private file: TarEntry | undefined;
  private lastParent = '';

  constructor(
    private readonly root: string,
    private readonly options: ApplierOptions,
  ) {}

  private abs(rel: string): string {
    return rel === '' ? this.root : join(this.root, rel);
  }

  entry(e: TarEntry): void {
    if (++this.stats.entries > (this.options.maxEntries ?? 1_000_000))
      throw unsafe(`layer has more than ${this.options.maxEntries ?? 1_000_000} entries`);
    const rel = cleanPath(e.path, 'entry');
    const base = baseOf(rel);
    if (base.startsWith('.wh.')) return this.whiteout(rel, base, e);
    if (rel === '') {
      if (e.type !== 'dir')
        throw unsafe(`layer entry ${JSON.stringify(e.path)} would replace the layer root with a ${e.type}`);
      return this.dir('', e);
    }
    this.parents(rel, e.path);
    switch (e.type) {
      case 'dir':
        return this.dir(rel, e);
      case 'file':
        return this.openFile(rel, e);
      case 'symlink':
        return this.symlink(rel, e);
      case 'hardlink':
        return this.hardlink(rel, e);
      case 'fifo':
        this.replace(rel);
        this.fifos.push({ ...e, path: rel });
        this.kinds.set(rel, OTHER);
        return;
      case 'char':
      case 'block':
        if (e.type === 'char' && e.devmajor === 0 && e.devminor === 0) {
          this.replace(rel);
          this.options.whiteouts.make(this.abs(rel));
          this.kinds.set(rel, OTHER);
          this.stats.whiteouts++;
          return;
        }
        throw unsafe(
          `layer entry ${JSON.stringify(e.path)} is a ${e.type} device ${e.devmajor}:${e.devminor}: device nodes are refused`,
        );
    }
  }

  data(chunk: Buffer): void {
    if (this.fd === undefined) return;
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
  }

  done(): void {
    const fd = this.fd;
    const e = this.file;
    if (fd === undefined || e === undefined) return;
    this.fd = undefined;
    this.file = undefined;
    try {
      const chowned = this.chownWanted(e, e.path);
      if (chowned) fchownSync(fd, e.uid, e.gid);
      if (chowned || (e.mode & ~0o777) !== 0 || (e.mode & UMASK) !== 0) fchmodSync(fd, e.mode);
      futimesSync(fd, e.mtime, e.mtime);
    } finally {
      closeSync(fd);
    }
  }

  /** Deferred work: fifos, xattrs (opaque marks included), directory times. */
  async finish(): Promise<ApplyStats> {
    await this.options.whiteouts.flush();
    if (this.fifos.length > 0) {
      await run('mkfifo', ['--', ...this.fifos.map((f) => f.path)], { cwd: this.root });
      for (const f of this.fifos) this.attributes(f.path, f);
    }
    for (const dir of this.opaque)
      if (this.kinds.get(dir) === DIR)
        this.xattrs.push({ path: dir, name: 'trusted.overlay.opaque', value: Buffer.from('y') });
    const live = this.xattrs.filter((x) => this.kinds.get(x.path) === DIR || this.kinds.get(x.path) === FILE);
    await setXattrs(
      this.root,
      live.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    );
    // Last, so that creating children did not move them again.
    for (const [rel, mtime] of this.dirTimes)
      if (this.kinds.get(rel) === DIR) lutimesSync(this.abs(rel), mtime, mtime);
    return this.stats;
  }

  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private chownWanted(e: TarEntry, rel: string): boolean {
    return this.options.chown && (e.uid !== 0 || e.gid !== 0 || this.setgid.has(parentOf(rel)));
  }

  /** Every parent must be a directory this layer made (made now, 0755, when missing). */
  private parents(rel: string, raw: string): void {
    const parent = parentOf(rel);
    if (parent === this.lastParent && this.kinds.get(parent) === DIR) return;
    for (let i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
      const p = rel.slice(0, i);
      const kind = this.kinds.get(p);
      if (kind === undefined) {
        mkdirSync(this.abs(p), 0o755);
        this.kinds.set(p, DIR);
      } else if (kind !== DIR) {
        const what = kind === SYMLINK ? 'a symlink' : 'a file';
        throw unsafe(
          `layer entry ${JSON.stringify(raw)} goes through ${what} at ${JSON.stringify(p)}: refused`,
        );
      }
    }
    this.lastParent = parent;
  }

  /** Removes what this layer made at `rel` (later entries win), never following a link. */
  private replace(rel: string): void {
    const kind = this.kinds.get(rel);
    if (kind === undefined) return;
    if (kind === DIR) {
      rmSync(this.abs(rel), { recursive: true, force: true });
      const prefix = `${rel}/`;
      for (const key of this.kinds.keys()) if (key.startsWith(prefix)) this.kinds.delete(key);
      this.lastParent = '';
    } else {
      unlinkSync(this.abs(rel));
    }
    this.kinds.delete(rel);
  }

  private attributes(rel: string, e: TarEntry): void {
    const abs = this.abs(rel);
    if (this.chownWanted(e, rel)) lchownSync(abs, e.uid, e.gid);
    if (this.kinds.get(rel) !== SYMLINK) chmodSync(abs, e.mode);
    lutimesSync(abs, e.mtime, e.mtime);
  }

  private keepXattrs(rel: string, e: TarEntry): void {
    for (const [name, value] of e.xattrs) {
      if (name.startsWith('trusted.overlay.'))
        throw unsafe(`layer entry ${JSON.stringify(e.path)} carries the overlayfs xattr ${name}: refused`);
      if (ALLOWED_XATTR.test(name)) this.xattrs.push({ path: rel, name, value });
    }
  }

  private dir(rel: string, e: TarEntry): void {
    if (this.kinds.get(rel) !== DIR) {
      this.replace(rel);
      mkdirSync(this.abs(rel), e.mode & 0o777);
      this.kinds.set(rel, DIR);
    }
    const abs = this.abs(rel);
    if (this.chownWanted(e, rel)) lchownSync(abs, e.uid, e.gid);
    chmodSync(abs, e.mode);
    if ((e.mode & 0o2000) !== 0) this.setgid.add(rel);
    else this.setgid.delete(rel);
    this.dirTimes.push([rel, e.mtime]);
    this.keepXattrs(rel, e);
  }

  private openFile(rel: string, e: TarEntry): void {
    this.replace(rel);
    this.fd = openSync(this.abs(rel), OPEN_FLAGS, e.mode & 0o777);
    this.file = { ...e, path: rel };
    this.kinds.set(rel, FILE);
    this.stats.files++;
    this.keepXattrs(rel, e);
  }

  private symlink(rel: string, e: TarEntry): void {
    if (e.linkpath === '' || Buffer.byteLength(e.linkpath) > 4095)
      throw unsafe(`layer symlink ${JSON.stringify(e.path)} has a bad target length`);
    this.replace(rel);
    // The target is stored, never followed: it may point anywhere, as in any root file system.
    symlinkSync(e.linkpath, this.abs(rel));
    this.kinds.set(rel, SYMLINK);
    if (this.chownWanted(e, rel)) lchownSync(this.abs(rel), e.uid, e.gid);
    lutimesSync(this.abs(rel), e.mtime, e.mtime);
  }

  private hardlink(rel: string, e: TarEntry): void {
    const target = cleanPath(e.linkpath, 'hard link target');
    const kind = this.kinds.get(target);
    if (kind !== FILE && kind !== SYMLINK) {
      throw unsafe(
        `layer hard link ${JSON.stringify(e.path)} points at ${JSON.stringify(e.linkpath)}, which is not a file of this layer: refused`,
      );
    }
    if (target === rel) return;
    this.replace(rel);
    linkSync(this.abs(target), this.abs(rel));
    this.kinds.set(rel, kind);
  }

  private whiteout(rel: string, base: string, e: TarEntry): void {
    const dir = parentOf(rel);
    if (dir !== '') this.parents(`${dir}/x`, e.path);
    if (base === '.wh..wh..opq') {
      this.opaque.add(dir);
      this.stats.opaques++;
      return;
    }
    const name = base.slice('.wh.'.length);
    if (name === '' || name === '.' || name === '..')
      throw unsafe(`layer whiteout ${JSON.stringify(e.path)} names no file`);
    const target = dir === '' ? name : `${dir}/${name}`;
    this.replace(target);
    this.options.whiteouts.make(this.abs(target));
    this.kinds.set(target, OTHER);
    this.stats.whiteouts++;
  }
}
