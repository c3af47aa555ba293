// A tar writer for what the engine produces (layer tars of test and bench images now, `docker
// save` archives later): ustar headers, with a pax 'x' header in front when a name or link is
// longer than the 100-byte fields, a size does not fit in 11 octal digits, or there are xattrs.
// It writes what it is given, unchecked — tests use it to build hostile layers byte for byte.
import { BLOCK } from './header.ts';

export interface WriteEntry {
  path: string;
  /** A typeflag: '0' file (default), '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo, or any byte. */
  typeflag?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  /** Seconds since the epoch. */
  mtime?: number;
  linkpath?: string;
  devmajor?: number;
  devminor?: number;
  uname?: string;
  gname?: string;
  xattrs?: Record<string, string | Buffer>;
  /** The size field; defaults to the data's length (set it to lie). */
  size?: number;
}

function octal(buf: Buffer, off: number, len: number, value: number): void {
  buf.write(`${value.toString(8).padStart(len - 1, '0')}\0`, off, len, 'latin1');
}

function field(buf: Buffer, off: number, len: number, value: string): void {
  Buffer.from(value, 'utf8').copy(buf, off, 0, len);
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), value, Buffer.from('\n')]);
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return Buffer.concat([Buffer.from(String(length)), body]);
}

function padded(data: Buffer): Buffer[] {
  const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
  return pad === 0 ? [data] : [data, Buffer.alloc(pad)];
}

function block(e: WriteEntry, size: number, typeflag: string, path: string, linkpath: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  field(h, 0, 100, path);
  octal(h, 100, 8, e.mode ?? (typeflag === '5' ? 0o755 : 0o644));
  octal(h, 108, 8, e.uid ?? 0);
  octal(h, 116, 8, e.gid ?? 0);
  octal(h, 124, 12, Math.min(size, 0o77777777777));
  octal(h, 136, 12, Math.floor(e.mtime ?? 0));
  h.write(typeflag, 156, 1, 'latin1');
  field(h, 157, 100, linkpath);
  h.write('ustar\x0000', 257, 8, 'latin1');
  field(h, 265, 32, e.uname ?? '');
  field(h, 297, 32, e.gname ?? '');
  octal(h, 329, 8, e.devmajor ?? 0);
  octal(h, 337, 8, e.devminor ?? 0);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const c of h) sum += c;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return h;
}

/** The header block(s) and padded data of one entry. */
export function tarEntry(e: WriteEntry, data: Buffer = Buffer.alloc(0)): Buffer[] {
  const typeflag = e.typeflag ?? '0';
  const size = e.size ?? data.length;
  const records: Buffer[] = [];
  if (Buffer.byteLength(e.path) > 100) records.push(paxRecord('path', Buffer.from(e.path)));
  if (Buffer.byteLength(e.linkpath ?? '') > 100)
    records.push(paxRecord('linkpath', Buffer.from(e.linkpath ?? '')));
  if (size > 0o77777777777) records.push(paxRecord('size', Buffer.from(String(size))));
  for (const [key, value] of Object.entries(e.xattrs ?? {}))
    records.push(paxRecord(`SCHILY.xattr.${key}`, Buffer.from(value)));
  const out: Buffer[] = [];
  if (records.length > 0) {
    const pax = Buffer.concat(records);
    out.push(
      block({ path: 'PaxHeaders/entry', mode: 0o644 }, pax.length, 'x', 'PaxHeaders/entry', ''),
      ...padded(pax),
    );
  }
  out.push(block(e, size, typeflag, e.path, e.linkpath ?? ''));
  if (data.length > 0) out.push(...padded(data));
  return out;
}

/** The end of an archive: two zero blocks. */
export function tarEnd(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

/** A whole archive in memory. */
export function tarOf(entries: { entry: WriteEntry; data?: Buffer }[]): Buffer {
  return Buffer.concat([...entries.flatMap(({ entry, data }) => tarEntry(entry, data)), tarEnd()]);
}
