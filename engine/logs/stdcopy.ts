// The Engine API's multiplexed stream (moby pkg/stdcopy): for a container without a TTY, `GET
// /containers/{id}/logs` and attach send each write as a frame: an 8-byte header `[stream, 0, 0,
// 0, size as uint32 big-endian]` (stream 0 stdin, 1 stdout, 2 stderr, 3 the daemon's own error)
// and the bytes. A TTY container's output is one stream and goes raw. The decoder is the
// docker CLI's side (stdcopy.StdCopy), for tests and clients.

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const SYSTEM_ERROR = 3;

export type StreamId = typeof STDIN | typeof STDOUT | typeof STDERR | typeof SYSTEM_ERROR;

const HEADER = 8;

/** One frame: header and payload in one buffer (one write on the socket). */
export function stdcopyFrame(stream: StreamId, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(HEADER + payload.length);
  frame.writeUInt32BE(0, 0);
  frame[0] = stream;
  frame.writeUInt32BE(payload.length, 4);
  payload.copy(frame, HEADER);
  return frame;
}

/** A chunk of a container's output as attach sends it (moby container/stream/attach.go, one
 * frame per write): framed by stream without a TTY, raw with one. */
export function attachChunk(stream: 'stdout' | 'stderr', chunk: Buffer, tty: boolean): Buffer {
  if (tty) return chunk;
  return stdcopyFrame(stream === 'stdout' ? STDOUT : STDERR, chunk);
}

export interface Frame {
  stream: StreamId;
  payload: Buffer;
}

function isStreamId(n: number): n is StreamId {
  return n === STDIN || n === STDOUT || n === STDERR || n === SYSTEM_ERROR;
}

/** Frames out of a byte stream cut anywhere: push the bytes as they come. Bytes are joined only
 * once a whole frame has come, so a frame sent in many small pieces costs one copy. */
export class StdcopyDecoder {
  private chunks: Buffer[] = [];
  private length = 0;
  private needed = HEADER;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const frames: Frame[] = [];
    while (this.length >= this.needed) {
      const all =
        this.chunks.length === 1 && this.chunks[0] !== undefined
          ? this.chunks[0]
          : Buffer.concat(this.chunks);
      this.chunks = [all];
      const stream = all[0] ?? 0;
      if (!isStreamId(stream)) throw new Error(`unrecognized input header: ${stream}`);
      const size = all.readUInt32BE(4);
      this.needed = HEADER + size;
      if (all.length < this.needed) break;
      frames.push({ stream, payload: Buffer.from(all.subarray(HEADER, this.needed)) });
      this.chunks = [all.subarray(this.needed)];
      this.length = all.length - this.needed;
      this.needed = HEADER;
    }
    return frames;
  }

  /** Bytes of an unfinished frame left at the end of the stream. */
  get leftover(): number {
    return this.length;
  }
}
