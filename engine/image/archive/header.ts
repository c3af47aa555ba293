// The fields of a tar header block, as POSIX ustar lays them out (pax spec, "ustar Interchange
// Format": https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06)
// with GNU's base-256 numbers for values that do not fit in octal, and pax extended records
// (`"%d %s=%s\n"`, the length counting itself). Offsets: name 0/100, mode 100/8, uid 108/8,
// gid 116/8, size 124/12, mtime 136/12, chksum 148/8, typeflag 156, linkname 157/100,
// magic 257/6, version 263/2, uname 265/32, gname 297/32, devmajor 329/8, devminor 337/8,
// prefix 345/155 (ustar only; GNU keeps atime/ctime there).
import { ImageError } from '../errors.ts';

export const BLOCK = 512;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bad(why: string): ImageError {
  return new ImageError('invalid', `layer tar: ${why}`);
}

/** A NUL-terminated field as text; tar names are bytes, and we accept UTF-8 only. */
export function text(buf: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && buf[end] !== 0) end++;
  try {
    return utf8.decode(buf.subarray(off, end));
  } catch {
    throw bad(`a name at offset ${off} is not valid utf-8`);
  }
}

/** An octal field, or a GNU base-256 one (high bit of the first byte set). */
export function numeric(buf: Uint8Array, off: number, len: number, field: string): number {
  const first = buf[off] ?? 0;
  if (first & 0x80) {
    // Base-256, big-endian two's complement; 0xff marks a negative number (a time before 1970).
    if (first === 0xff) {
      if (field === 'mtime') return 0;
      throw bad(`${field} is negative`);
    }
    let value = first & 0x7f;
    for (let i = 1; i < len; i++) value = value * 256 + (buf[off + i] ?? 0);
    if (!Number.isSafeInteger(value)) throw bad(`${field} does not fit in a safe integer`);
    return value;
  }
  let i = off;
  const end = off + len;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0)) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i] ?? 0;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37)
      throw bad(`${field} has a non-octal digit ${JSON.stringify(String.fromCharCode(c))}`);
    value = value * 8 + (c - 0x30);
    digits++;
  }
  if (digits === 0) return 0;
  return value;
}

export function isZeroBlock(buf: Uint8Array, off: number): boolean {
  for (let i = off; i < off + BLOCK; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Checks the header checksum (unsigned, and the signed sum old tars wrote). */
export function checksumOk(buf: Uint8Array, off: number): boolean {
  const stored = numeric(buf, off + 148, 8, 'chksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : (buf[off + i] ?? 0);
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return stored === unsigned || stored === signed;
}

export interface PaxRecords {
  strings: Map<string, string>;
  /** SCHILY.xattr.* values, binary as pax carries them. */
  xattrs: Map<string, Buffer>;
}

export function parsePax(data: Buffer): PaxRecords {
  const strings = new Map<string, string>();
  const xattrs = new Map<string, Buffer>();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break;
    const space = data.indexOf(0x20, pos);
    if (space < 0) throw bad('pax record without a length');
    const length = Number(data.subarray(pos, space).toString('latin1'));
    if (
      !Number.isSafeInteger(length) ||
      length <= space - pos ||
      pos + length > data.length ||
      data[pos + length - 1] !== 0x0a
    ) {
      throw bad(`bad pax record length at ${pos}`);
    }
    const record = data.subarray(space + 1, pos + length - 1);
    const eq = record.indexOf(0x3d);
    if (eq < 0) throw bad('pax record without "="');
    const key = text(record, 0, eq);
    const value = record.subarray(eq + 1);
    if (key.startsWith('SCHILY.xattr.')) xattrs.set(key.slice('SCHILY.xattr.'.length), Buffer.from(value));
    else strings.set(key, text(value, 0, value.length));
    pos += length;
  }
  return { strings, xattrs };
}
