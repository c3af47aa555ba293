// The path rules every layer entry passes before anything is written (the defences against
// CVE-2014-6407, CVE-2014-9356 and CVE-2021-32760, listed in REFERENCE.md "Layer unpacking"):
// a name is relative, has no `..` component and no NUL, and is at most 4096 bytes. Leading
// `./` and repeated or trailing slashes are what tar writes and are dropped. Symlinks are never
// followed: the applier keeps the kind of every path it made, so a path whose parent is a
// symlink (or a file) is refused instead of being resolved.
import { ImageError } from '../errors.ts';

const MAX_PATH = 4096;

function unsafe(why: string): ImageError {
  return new ImageError('unsafe-layer', why);
}

/** The entry's path relative to the layer root, '' for the root itself. */
export function cleanPath(raw: string, what: string): string {
  if (raw.includes('\0')) throw unsafe(`layer ${what} ${JSON.stringify(raw)} has a nul byte`);
  if (Buffer.byteLength(raw) > MAX_PATH)
    throw unsafe(`layer ${what} ${JSON.stringify(raw.slice(0, 64))}… is longer than ${MAX_PATH} bytes`);
  if (raw.startsWith('/')) throw unsafe(`layer ${what} ${JSON.stringify(raw)} is an absolute path: refused`);
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..')
      throw unsafe(`layer ${what} ${JSON.stringify(raw)} climbs out of the layer with "..": refused`);
    parts.push(part);
  }
  return parts.join('/');
}

export function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

export function baseOf(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}
