// ttrpc's framing: every message is a 10-byte header — uint32 big-endian length of what
// follows, uint32 big-endian stream id, uint8 type (1 request, 2 response), uint8 flags — then
// the protobuf bytes. A message longer than 4 MiB is refused, its bytes read past, and the
// stream answered with RESOURCE_EXHAUSTED, as ttrpc does
// (https://github.com/containerd/ttrpc/blob/v1.1.1/channel.go).

export const HEADER_LENGTH = 10;
export const MESSAGE_LENGTH_MAX = 4 << 20;

export const MessageType = { request: 1, response: 2 } as const;

export interface Frame {
  streamId: number;
  type: number;
  flags: number;
  payload: Buffer;
}

/** What the reader found: a whole frame, or an oversized one whose bytes were skipped. */
export type Received =
  { kind: 'frame'; frame: Frame } | { kind: 'oversize'; streamId: number; length: number };

export function encodeFrame(streamId: number, type: number, payload: Uint8Array, flags = 0): Buffer {
  if (payload.length > MESSAGE_LENGTH_MAX) {
    throw new RangeError(
      `ttrpc message length ${payload.length} exceeds maximum message size of ${MESSAGE_LENGTH_MAX}`,
    );
  }
  const out = Buffer.allocUnsafe(HEADER_LENGTH + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.writeUInt32BE(streamId >>> 0, 4);
  out.writeUInt8(type, 8);
  out.writeUInt8(flags, 9);
  out.set(payload, HEADER_LENGTH);
  return out;
}

/**
 * Cuts a byte stream into frames, whatever the chunking: a header split over chunks, several
 * frames in one chunk. An oversized frame is never buffered: its bytes are counted off as they
 * come.
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Bytes still to skip of an oversized frame. */
  private skipping = 0;

  push(chunk: Buffer): Received[] {
    const found: Received[] = [];
    let data = chunk;
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, data.length);
      this.skipping -= n;
      data = data.subarray(n);
    }
    if (data.length === 0) return found;
    this.pending.push(data);
    this.pendingLength += data.length;
    for (;;) {
      const next = this.next();
      if (next === undefined) return found;
      found.push(next);
    }
  }

  private next(): Received | undefined {
    if (this.skipping > 0 || this.pendingLength < HEADER_LENGTH) return undefined;
    const head = this.head();
    const length = head.readUInt32BE(0);
    const streamId = head.readUInt32BE(4);
    if (length > MESSAGE_LENGTH_MAX) {
      this.take(HEADER_LENGTH);
      const n = Math.min(length, this.pendingLength);
      this.take(n);
      this.skipping = length - n;
      return { kind: 'oversize', streamId, length };
    }
    // A frame still arriving is not joined until it is whole: no copying per chunk.
    if (this.pendingLength < HEADER_LENGTH + length) return undefined;
    const type = head.readUInt8(8);
    const flags = head.readUInt8(9);
    this.take(HEADER_LENGTH);
    return { kind: 'frame', frame: { streamId, type, flags, payload: this.take(length) } };
  }

  /** The pending bytes starting with the header (chunks joined only when the first is shorter). */
  private head(): Buffer {
    const first = this.pending[0];
    if (first !== undefined && first.length >= HEADER_LENGTH) return first;
    const joined = Buffer.concat(this.pending);
    this.pending = [joined];
    return joined;
  }

  /** Removes and answers the first n pending bytes (copied only when they span chunks). */
  private take(n: number): Buffer {
    const first = this.pending[0] ?? Buffer.alloc(0);
    const joined = first.length >= n ? first : Buffer.concat(this.pending);
    const rest = joined.subarray(n);
    if (joined === first) this.pending.shift();
    else this.pending = [];
    if (rest.length > 0) this.pending.unshift(rest);
    this.pendingLength -= n;
    return joined.subarray(0, n);
  }
}
