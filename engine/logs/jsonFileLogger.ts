// The json-file log driver's writing half (moby daemon/logger/jsonfilelog/jsonfilelog.go,
// loggerutils/logfile.go WriteLogEntry): each message appended to `<id>-json.log` (mode 0640) as
// one JSON line, the file rotated before a write once it has reached `max-size`. Messages are
// queued and written in batches by one loop, so the order is the order of `log` calls and a burst
// costs few system calls; `log` answers false once more than `highWater` bytes wait, and the
// copier pauses its FIFO until `drained`. Readers following the file learn of each write, each
// rotation and the close through `version` and `changed()`.
import { open, type FileHandle } from 'node:fs/promises';
import type { LogSink } from './copier.ts';
import { encodeJsonLogLine } from './jsonLine.ts';
import type { LogMessage } from './message.ts';
import type { JsonFileOptions } from './options.ts';
import { rotateLogFiles } from './rotate.ts';

const BATCH_BYTES = 256 * 1024;
const DEFAULT_HIGH_WATER = 1024 * 1024;

async function writeAll(fh: FileHandle, data: Buffer): Promise<void> {
  let done = 0;
  while (done < data.length) done += (await fh.write(data, done, data.length - done)).bytesWritten;
}

export class JsonFileLogger implements LogSink {
  /** Bytes in the current file, all of them written. */
  size: number;
  rotations = 0;
  closed = false;
  /** Goes up on every write, rotation and the close: a follower that saw it unchanged waits. */
  version = 0;
  /** The most bytes that were ever waiting to be written: the logger's memory bound, observed. */
  maxQueued = 0;
  /** The inode of each recent file by its generation (its rotation count when it was opened):
   * a follower that opened a path checks that it has the file it meant. */
  private readonly inodes = new Map<number, number>();
  private queue: Buffer[] = [];
  private queued = 0;
  private writing: Promise<void> | undefined;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly path: string,
    readonly options: JsonFileOptions,
    private fh: FileHandle,
    private readonly highWater: number,
  ) {
    this.size = 0;
  }

  static async open(
    path: string,
    options: JsonFileOptions = { maxSize: -1, maxFile: 1 },
    highWater = DEFAULT_HIGH_WATER,
  ): Promise<JsonFileLogger> {
    const fh = await open(path, 'a', 0o640);
    const logger = new JsonFileLogger(path, options, fh, highWater);
    const st = await fh.stat();
    logger.size = st.size;
    logger.inodes.set(0, st.ino);
    return logger;
  }

  log(msg: LogMessage): boolean {
    // dockerd refuses a write after the close ("the output file was closed"); the copier goes on.
    if (this.closed) return true;
    const line = encodeJsonLogLine(msg);
    this.queue.push(line);
    this.queued += line.length;
    this.maxQueued = Math.max(this.maxQueued, this.queued);
    this.writing ??= this.writeQueue().finally(() => (this.writing = undefined));
    return this.queued < this.highWater;
  }

  drained(): Promise<void> {
    if (this.queued < this.highWater || this.closed) return Promise.resolve();
    return this.changed().then(() => this.drained());
  }

  /** Settles at the next write, rotation or close. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Writes what is queued, closes the file and tells the followers. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.writing !== undefined) await this.writing;
    this.closed = true;
    await this.fh.close();
    this.notify();
  }

  private notify(): void {
    this.version++;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  private async writeQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const entries = this.queue;
      this.queue = [];
      let batch: Buffer[] = [];
      let bytes = 0;
      for (const entry of entries) {
        if (this.options.maxSize !== -1 && this.size + bytes >= this.options.maxSize) {
          await this.writeBatch(batch, bytes);
          [batch, bytes] = [[], 0];
          await this.rotate();
        }
        batch.push(entry);
        bytes += entry.length;
        if (bytes < BATCH_BYTES) continue;
        await this.writeBatch(batch, bytes);
        [batch, bytes] = [[], 0];
      }
      await this.writeBatch(batch, bytes);
    }
  }

  private async writeBatch(batch: Buffer[], bytes: number): Promise<void> {
    if (bytes === 0) return;
    await writeAll(
      this.fh,
      batch.length === 1 && batch[0] !== undefined ? batch[0] : Buffer.concat(batch, bytes),
    );
    this.size += bytes;
    this.queued -= bytes;
    this.notify();
  }

  /** The inode of generation `rotation`'s file, while it is among the files kept. */
  inodeOf(rotation: number): number | undefined {
    return this.inodes.get(rotation);
  }

  private async rotate(): Promise<void> {
    await this.fh.close();
    await rotateLogFiles(this.path, this.options.maxFile);
    const fh = await open(this.path, 'w', 0o640);
    const { ino } = await fh.stat();
    // All at once, so a follower never sees the new count with the old file or the reverse.
    this.fh = fh;
    this.size = 0;
    this.rotations++;
    this.inodes.set(this.rotations, ino);
    this.inodes.delete(this.rotations - Math.max(2, this.options.maxFile));
    this.notify();
  }
}
