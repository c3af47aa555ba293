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
    const head = this.take(HEADER_LENGTH, false);
    const length = head.readUInt32BE(0);
    const streamId = head.readUInt32BE(4);
    if (length > MESSAGE_LENGTH_MAX) {
      this.take(HEADER_LENGTH, true);
      const n = Math.min(length, this.pendingLength);
      this.take(n, true);
      this.skipping = length - n;
      return { kind: 'oversize', streamId, length };
    }
    if (this.pendingLength < HEADER_LENGTH + length) return undefined;
    this.take(HEADER_LENGTH, true);
    const payload = this.take(length, true);
    return { kind: 'frame', frame: { streamId, type: head.readUInt8(8), flags: head.readUInt8(9), payload } };
  }

  /** The first n pending bytes (copied when they span chunks), removed when `consume`. */
  private take(n: number, consume: boolean): Buffer {
    const joined = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    const first = joined ?? Buffer.alloc(0);
    const out = first.subarray(0, n);
    if (consume) {
      const rest = first.subarray(n);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingLength = rest.length;
    } else if (this.pending.length > 1) {
      this.pending = [first];
    }
    return out;
  }
}
