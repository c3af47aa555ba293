// The outer tar of `docker load`, written out under a temporary directory so the loader can
// read its documents and hash its blobs. Only directories and regular files are kept (a saved
// image has nothing else outside its layers); every path passes the layer path rules (no
// absolute path, no `..`), and the total is bounded.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { TarReader, type TarEntry } from '../../image/archive/reader.ts';
import { ImageError } from '../../image/errors.ts';
import { cleanPath } from '../../image/unpack/paths.ts';

export async function extractArchive(source: Readable, dir: string, maxBytes: number): Promise<void> {
  let fd: number | undefined;
  let total = 0;
  const reader = new TarReader({
    entry(e: TarEntry) {
      const rel = cleanPath(e.path, 'archive entry');
      if (rel === '') return;
      const path = join(dir, rel);
      if (e.type === 'dir') mkdirSync(path, { recursive: true });
      else if (e.type === 'file') {
        mkdirSync(dirname(path), { recursive: true });
        fd = openSync(path, 'w', 0o600);
      }
    },
    data(chunk: Buffer) {
      total += chunk.length;
      if (total > maxBytes) throw new ImageError('invalid', `archive is larger than ${maxBytes} bytes`);
      if (fd !== undefined) writeSync(fd, chunk);
    },
    done() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  });
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) reader.write(chunk);
    reader.end();
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
