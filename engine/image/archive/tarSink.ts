// A tar written as it is made: what `docker save` streams to its client. Entries go out in the
// order they are added — blob files straight from the content store, small documents from
// memory — and the first entry starts the answer (`begin`), so an error found before anything
// was written can still be an HTTP error, as dockerd's save answers an unknown name with a 404.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { tarEntry, tarEnd } from './writer.ts';

/** Entries carry no date: the same images give the same archive, as Docker 25+'s save does. */
const MTIME = 0;

export class TarSink {
  private begun = false;
  private readonly dirs = new Set<string>();
  /** Bytes written so far, headers and padding included. */
  written = 0;

  constructor(
    private readonly out: Writable,
    private readonly begin: () => void,
  ) {}

  get started(): boolean {
    return this.begun;
  }

  /** A file's bytes from disk under `path`; its directories first, once each. */
  async file(path: string, source: string): Promise<number> {
    const size = (await stat(source)).size;
    await this.parents(path);
    await this.write(tarEntry({ path, mode: 0o644, mtime: MTIME, size }));
    let moved = 0;
    for await (const chunk of createReadStream(source) as AsyncIterable<Buffer>) {
      moved += chunk.length;
      await this.write([chunk]);
    }
    // The file changed under us: the header already promised `size` bytes.
    if (moved !== size)
      throw new Error(
        `archive entry ${path}: ${source} changed while it was read (${moved} of ${size} bytes)`,
      );
    const pad = (512 - (size % 512)) % 512;
    if (pad > 0) await this.write([Buffer.alloc(pad)]);
    return size;
  }

  /** A small document under `path`. */
  async document(path: string, bytes: Buffer): Promise<void> {
    await this.parents(path);
    await this.write(tarEntry({ path, mode: 0o644, mtime: MTIME }, bytes));
  }

  /** The two zero blocks that end a tar, and the end of the stream. */
  async end(): Promise<void> {
    await this.write([tarEnd()]);
    this.out.end();
  }

  private async parents(path: string): Promise<void> {
    const parts = path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = `${parts.slice(0, i).join('/')}/`;
      if (this.dirs.has(dir)) continue;
      this.dirs.add(dir);
      await this.write(tarEntry({ path: dir, typeflag: '5', mode: 0o755, mtime: MTIME }));
    }
  }

  private write(chunks: Buffer[]): Promise<void> {
    if (!this.begun) {
      this.begun = true;
      this.begin();
    }
    let drained = true;
    for (const c of chunks) {
      this.written += c.length;
      drained = this.out.write(c) && drained;
    }
    if (drained || this.out.destroyed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.out.off('close', closed);
        resolve();
      };
      const closed = (): void => {
        this.out.off('drain', done);
        reject(new Error('archive: the client went away'));
      };
      this.out.once('drain', done);
      this.out.once('close', closed);
    });
  }
}
