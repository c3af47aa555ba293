// A container stream copied into the logger line by line, as dockerd 20.10's copier does it
// (moby daemon/logger/copier.go): the bytes go through a 16 KiB buffer; each newline ends a
// message stamped with the time it was found; when 16 KiB have come without a newline, those
// 16 KiB go out as a partial message, and the following pieces of the same line, the last one
// included, carry the first piece's time; at the end of the stream whatever is left goes out as a
// partial message. How the reads fall does not matter: a message ends at the first newline within
// 16 KiB of its start, or after 16 KiB. The source is paused while the logger is behind, so a
// container writing faster than the disk waits for it (the FIFO fills up) instead of the engine's
// memory.
import type { Readable } from 'node:stream';
import type { LogMessage, StreamName } from './message.ts';
import { nowNs } from './time.ts';

/** moby daemon/logger/copier.go defaultBufSize: json-file sets no other. */
export const COPIER_BUFFER_SIZE = 16 * 1024;

/** Where the copier puts messages: `log` answers false when the caller should wait for `drained`. */
export interface LogSink {
  log(msg: LogMessage): boolean;
  drained(): Promise<void>;
}

/** The copier's state for one stream: the bytes of the line not yet ended, the partial line's
 * time and piece number. */
export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private partialTime: bigint | undefined;
  private ordinal = 0;

  constructor(
    private readonly stream: StreamName,
    private readonly clock: () => bigint = nowNs,
  ) {}

  /** The messages completed by `chunk`, in order. */
  push(chunk: Buffer): LogMessage[] {
    const data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: LogMessage[] = [];
    let pos = 0;
    for (;;) {
      const window = Math.min(pos + COPIER_BUFFER_SIZE, data.length);
      const nl = data.subarray(pos, window).indexOf(0x0a);
      if (nl >= 0) {
        out.push(this.whole(data.subarray(pos, pos + nl)));
        pos += nl + 1;
      } else if (data.length - pos >= COPIER_BUFFER_SIZE) {
        out.push(this.piece(data.subarray(pos, pos + COPIER_BUFFER_SIZE)));
        pos += COPIER_BUFFER_SIZE;
      } else break;
    }
    // A copy, so the big chunk the rest came from is not kept alive by a few bytes.
    this.pending = Buffer.from(data.subarray(pos));
    return out;
  }

  /** At the end of the stream: what is left, as a partial message. */
  end(): LogMessage[] {
    if (this.pending.length === 0) return [];
    const last = this.piece(this.pending);
    this.pending = Buffer.alloc(0);
    return [last];
  }

  private whole(line: Buffer): LogMessage {
    if (this.partialTime === undefined) return { stream: this.stream, line, time: this.clock() };
    const msg: LogMessage = {
      stream: this.stream,
      line,
      time: this.partialTime,
      partial: { ordinal: this.ordinal + 1, last: true },
    };
    this.partialTime = undefined;
    this.ordinal = 0;
    return msg;
  }

  private piece(line: Buffer): LogMessage {
    this.partialTime ??= this.clock();
    this.ordinal++;
    return {
      stream: this.stream,
      line,
      time: this.partialTime,
      partial: { ordinal: this.ordinal, last: false },
    };
  }
}

/** Copies `source` into `sink` until the stream ends (the last writer of the FIFO closed it) or
 * is destroyed (the engine gave up on a container that never started: no writer ever came). */
export function copyStream(stream: StreamName, source: Readable, sink: LogSink): Promise<void> {
  const splitter = new LineSplitter(stream);
  return new Promise((resolve, reject) => {
    const deliver = (messages: LogMessage[]): void => {
      let behind = false;
      for (const m of messages) behind = !sink.log(m) || behind;
      if (!behind || source.isPaused()) return;
      source.pause();
      void sink.drained().then(() => source.resume(), reject);
    };
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      deliver(splitter.end());
      resolve();
    };
    source.on('data', (chunk: Buffer) => deliver(splitter.push(chunk)));
    source.once('end', finish);
    source.once('close', finish);
    source.once('error', reject);
  });
}
