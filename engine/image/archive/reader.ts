// A streaming tar reader, written here rather than taken from npm: unpacking must decide about
// every entry before any byte of it lands on disk, synchronously, with the entry's data handed
// over as zero-copy slices of the decompressor's chunks. npm's `tar` (node-tar) extracts by
// itself with its own path policy, and `tar-stream` emits entries as streams (one more async
// hop per file and three dependencies); this file is the ~200 lines the layer format needs.
//
// Lifecycle: `new TarReader(handler)` → `write(chunk)`… → `end()`. For each entry the handler
// gets `entry(e)`, then `data(slice)` zero or more times, then `done()`. Pax ('x', 'g') and GNU
// long name/link ('L', 'K') headers are folded into the next entry. Anything malformed (bad
// checksum, a header cut short, unknown type, sparse files) throws, naming the entry.
//
// Glossary: *block* — 512 bytes; *pax* — POSIX extended headers (path, linkpath, size, uid, gid,
// mtime, SCHILY.xattr.*); *typeflag* — '0' file, '1' hard link, '2' symlink, '3' char device,
// '4' block device, '5' directory, '6' fifo.
import { ImageError } from '../errors.ts';
import { BLOCK, checksumOk, isZeroBlock, numeric, parsePax, text, type PaxRecords } from './header.ts';

export type EntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarEntry {
  type: EntryType;
  path: string;
  linkpath: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch, fractional with pax. */
  mtime: number;
  devmajor: number;
  devminor: number;
  xattrs: Map<string, Buffer>;
}

export interface EntryHandler {
  entry(entry: TarEntry): void;
  data(chunk: Buffer): void;
  done(): void;
}

const TYPES: Record<string, EntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};
const META_MAX = 1 << 20;

type State =
  | { kind: 'header' }
  | { kind: 'data'; left: number; pad: number }
  | { kind: 'meta'; type: string; left: number; pad: number; parts: Buffer[] }
  | { kind: 'skip'; left: number }
  | { kind: 'end' };

export class TarReader {
  entries = 0;
  private state: State = { kind: 'header' };
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private pax: PaxRecords | undefined;
  private global: PaxRecords | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;
  private current = '';

  constructor(private readonly handler: EntryHandler) {}

  get ended(): boolean {
    return this.state.kind === 'end';
  }

  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const s = this.state;
      if (s.kind === 'end') return;
      if (s.kind === 'header') pos = this.fillHeader(chunk, pos);
      else if (s.kind === 'skip') {
        const n = Math.min(s.left, chunk.length - pos);
        s.left -= n;
        pos += n;
        if (s.left === 0) this.state = { kind: 'header' };
      } else if (s.kind === 'data') {
        const n = Math.min(s.left, chunk.length - pos);
        if (n > 0) this.handler.data(chunk.subarray(pos, pos + n));
        s.left -= n;
        pos += n;
        if (s.left === 0) this.finishData(s.pad);
      } else {
        const n = Math.min(s.left, chunk.length - pos);
        s.parts.push(Buffer.from(chunk.subarray(pos, pos + n)));
        s.left -= n;
        pos += n;
        if (s.left === 0) this.finishMeta(s.type, Buffer.concat(s.parts), s.pad);
      }
    }
  }

  /** The stream is over: it must not stop inside an entry. */
  end(): void {
    const s = this.state;
    if (s.kind === 'end' || (s.kind === 'header' && this.headerFill === 0)) return;
    if (s.kind === 'skip' && this.current === '') return;
    throw new ImageError(
      'truncated',
      `layer tar is truncated${this.current === '' ? '' : ` in entry ${JSON.stringify(this.current)}`}`,
    );
  }

  private fillHeader(chunk: Buffer, pos: number): number {
    const n = Math.min(BLOCK - this.headerFill, chunk.length - pos);
    chunk.copy(this.header, this.headerFill, pos, pos + n);
    this.headerFill += n;
    if (this.headerFill === BLOCK) {
      this.headerFill = 0;
      this.parseHeader(this.header);
    }
    return pos + n;
  }

  private finishData(pad: number): void {
    this.handler.done();
    this.current = '';
    this.state = pad > 0 ? { kind: 'skip', left: pad } : { kind: 'header' };
  }

  private finishMeta(type: string, data: Buffer, pad: number): void {
    if (type === 'x') this.pax = parsePax(data);
    else if (type === 'g') this.global = parsePax(data);
    else if (type === 'L') this.longName = text(data, 0, data.length);
    else this.longLink = text(data, 0, data.length);
    this.state = pad > 0 ? { kind: 'skip', left: pad } : { kind: 'header' };
  }

  private parseHeader(h: Buffer): void {
    if (isZeroBlock(h, 0)) {
      // End of archive (two zero blocks; one is enough to stop). Bytes after it are ignored,
      // but the caller still hashes them for the diff id.
      this.state = { kind: 'end' };
      return;
    }
    if (!checksumOk(h, 0))
      throw new ImageError(
        'invalid',
        `layer tar: bad header checksum after ${JSON.stringify(this.current || 'the start')}`,
      );
    const typeflag = String.fromCharCode(h[156] ?? 0);
    const size = numeric(h, 124, 12, 'size');
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      if (size > META_MAX)
        throw new ImageError('invalid', `layer tar: a ${typeflag} header of ${size} bytes is too large`);
      this.state =
        size === 0 ? { kind: 'header' } : { kind: 'meta', type: typeflag, left: size, pad, parts: [] };
      return;
    }
    const entry = this.makeEntry(h, typeflag, size);
    this.entries++;
    this.current = entry.path;
    this.handler.entry(entry);
    if (entry.size > 0)
      this.state = { kind: 'data', left: entry.size, pad: (BLOCK - (entry.size % BLOCK)) % BLOCK };
    else this.finishData(0);
  }

  private makeEntry(h: Buffer, typeflag: string, size: number): TarEntry {
    const pax = this.pax;
    const g = this.global;
    this.pax = undefined;
    const field = (key: string): string | undefined => pax?.strings.get(key) ?? g?.strings.get(key);
    const ustar = h.toString('latin1', 257, 263) === 'ustar\0';
    const prefix = ustar ? text(h, 345, 155) : '';
    const rawName = text(h, 0, 100);
    const path = field('path') ?? this.longName ?? (prefix === '' ? rawName : `${prefix}/${rawName}`);
    const linkpath = field('linkpath') ?? this.longLink ?? text(h, 157, 100);
    this.longName = undefined;
    this.longLink = undefined;
    const type = TYPES[typeflag];
    if (type === undefined)
      throw new ImageError(
        'unsupported',
        `layer tar: entry ${JSON.stringify(path)} has unsupported type ${JSON.stringify(typeflag)}${typeflag === 'S' ? ' (gnu sparse file)' : ''}`,
      );
    if ([...(pax?.strings.keys() ?? [])].some((k) => k.startsWith('GNU.sparse.')))
      throw new ImageError('unsupported', `layer tar: entry ${JSON.stringify(path)} is a pax sparse file`);
    const num = (key: string, fallback: number): number => {
      const v = field(key);
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0)
        throw new ImageError(
          'invalid',
          `layer tar: entry ${JSON.stringify(path)} has a bad pax ${key} ${JSON.stringify(v)}`,
        );
      return n;
    };
    // Go's archive/tar (which wrote most layers) gives header-only types no data.
    const headerOnly = type !== 'file';
    const xattrs = new Map([...(g?.xattrs ?? []), ...(pax?.xattrs ?? [])]);
    return {
      type,
      path,
      linkpath,
      mode: numeric(h, 100, 8, 'mode') & 0o7777,
      uid: num('uid', numeric(h, 108, 8, 'uid')),
      gid: num('gid', numeric(h, 116, 8, 'gid')),
      size: headerOnly ? 0 : Math.floor(num('size', size)),
      mtime: num('mtime', numeric(h, 136, 12, 'mtime')),
      devmajor: ustar || h.toString('latin1', 257, 262) === 'ustar' ? numeric(h, 329, 8, 'devmajor') : 0,
      devminor: ustar || h.toString('latin1', 257, 262) === 'ustar' ? numeric(h, 337, 8, 'devminor') : 0,
      xattrs,
    };
  }
}
