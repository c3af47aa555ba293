// A tar unpacked into a directory of a container's root file system (`docker cp` into a
// container, moby pkg/archive Untar under pkg/chrootarchive): every entry's path is resolved
// inside the root as the container would resolve it (rootPath.ts), so neither a `..`, nor a
// link in the archive, nor a link already in the container leads outside; the last component is
// never followed (an existing link is replaced, not written through). Directories, regular
// files, links and hard links are made with the archive's owner, mode and time; device nodes
// and FIFOs are skipped. A body that is no tar ends the unpacking quietly, as dockerd answers it
// (v-cp-archive.txt: 200 for "garbage").
import {
  chmodSync,
  closeSync,
  constants,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  rmSync,
  symlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { TarReader, type TarEntry } from '../image/archive/reader.ts';
import { ImageError } from '../image/errors.ts';
import { cleanPath } from '../image/unpack/paths.ts';
import { resolveInRootSync } from './rootPath.ts';

/** A refusal that is the client's to hear (dockerd's texts). */
export class UntarRefused extends Error {}

function lstatOrNone(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** What is at `path` goes unless it is a directory that stays one; a dir/non-dir swap can be refused. */
function clear(path: string, dir: boolean, noOverwriteDirNonDir: boolean): void {
  const there = lstatOrNone(path);
  if (there === undefined || (dir && there.isDirectory())) return;
  if (noOverwriteDirNonDir && there.isDirectory() !== dir)
    throw new UntarRefused(
      dir
        ? `cannot overwrite non-directory "${path}" with directory`
        : `cannot overwrite directory "${path}" with non-directory`,
    );
  rmSync(path, { recursive: true, force: true });
}

class Unpacker {
  private fd: number | undefined;
  private last: { path: string; entry: TarEntry } | undefined;

  constructor(
    private readonly root: string,
    private readonly dest: string,
    private readonly noOverwriteDirNonDir: boolean,
  ) {}

  private inRoot(name: string): string {
    return resolveInRootSync(this.root, join(this.dest, cleanPath(name, 'archive entry')), false);
  }

  entry(e: TarEntry): void {
    if (cleanPath(e.path, 'archive entry') === '') return;
    const path = this.inRoot(e.path);
    if (e.type !== 'dir' && e.type !== 'file' && e.type !== 'symlink' && e.type !== 'hardlink') return;
    clear(path, e.type === 'dir', this.noOverwriteDirNonDir);
    mkdirSync(dirname(path), { recursive: true });
    if (e.type === 'dir') mkdirSync(path, { recursive: true });
    else if (e.type === 'symlink') symlinkSync(e.linkpath, path);
    else if (e.type === 'hardlink') linkSync(this.inRoot(e.linkpath), path);
    else
      this.fd = openSync(
        path,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
    this.last = { path, entry: e };
  }

  data(chunk: Buffer): void {
    if (this.fd !== undefined) writeSync(this.fd, chunk);
  }

  done(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    const last = this.last;
    this.last = undefined;
    if (last === undefined || last.entry.type === 'hardlink') return;
    const { path, entry } = last;
    lchownSync(path, entry.uid, entry.gid);
    if (entry.type !== 'symlink') chmodSync(path, entry.mode & 0o7777);
    lutimesSync(path, entry.mtime, entry.mtime);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Unpacks `source` into the container directory `dest` (a container path) of the root file system `root`. */
export async function untarInRoot(
  source: Readable,
  root: string,
  dest: string,
  noOverwriteDirNonDir: boolean,
): Promise<void> {
  const unpacker = new Unpacker(root, dest, noOverwriteDirNonDir);
  const reader = new TarReader(unpacker);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) reader.write(chunk);
    reader.end();
  } catch (error) {
    // What the file system refused, or an entry climbing out, is the client's to hear; a stream
    // that is no tar (or ends early) ends the unpacking quietly.
    const unreadable = error instanceof ImageError && error.code !== 'unsafe-layer';
    if (!unreadable) throw error;
  } finally {
    unpacker.close();
    source.resume();
  }
}
