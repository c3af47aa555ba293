// ttrpc framing: whole frames out of any chunking, oversized frames skipped without buffering.
import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  FrameReader,
  HEADER_LENGTH,
  MESSAGE_LENGTH_MAX,
  MessageType,
  type Received,
} from '../../engine/shim/ttrpc/frame.ts';

const frames = (found: Received[]): [number, number, string][] =>
  found.map((r) =>
    r.kind === 'frame'
      ? [r.frame.streamId, r.frame.type, r.frame.payload.toString()]
      : [r.streamId, -1, `oversize ${r.length}`],
  );

describe('ttrpc frames', () => {
  it('writes the 10-byte header: length, stream id (big-endian), type, flags', () => {
    const f = encodeFrame(3, MessageType.request, Buffer.from('abc'));
    expect([...f.subarray(0, HEADER_LENGTH)]).toEqual([0, 0, 0, 3, 0, 0, 0, 3, 1, 0]);
    expect(f.subarray(HEADER_LENGTH).toString()).toBe('abc');
  });

  it('reads frames split byte by byte and several merged in one chunk', () => {
    const a = encodeFrame(1, MessageType.response, Buffer.from('first'));
    const b = encodeFrame(3, MessageType.response, Buffer.alloc(0));
    const c = encodeFrame(5, MessageType.response, Buffer.from('third'));
    const split = new FrameReader();
    const one: Received[] = [];
    for (const byte of Buffer.concat([a, b, c])) one.push(...split.push(Buffer.from([byte])));
    expect(frames(one)).toEqual([
      [1, 2, 'first'],
      [3, 2, ''],
      [5, 2, 'third'],
    ]);
    expect(frames(new FrameReader().push(Buffer.concat([a, b, c])))).toEqual(frames(one));
    const odd = new FrameReader();
    const all = Buffer.concat([a, b, c]);
    expect(
      frames([
        ...odd.push(all.subarray(0, 7)),
        ...odd.push(all.subarray(7, 20)),
        ...odd.push(all.subarray(20)),
      ]),
    ).toEqual(frames(one));
  });

  it('reads a 3 MiB frame arriving in 64 KiB chunks, then the frame after it', () => {
    const big = Buffer.alloc(3 << 20, 7);
    const all = Buffer.concat([
      encodeFrame(1, MessageType.response, big),
      encodeFrame(3, MessageType.response, Buffer.from('next')),
    ]);
    const reader = new FrameReader();
    const found: Received[] = [];
    for (let at = 0; at < all.length; at += 64 << 10)
      found.push(...reader.push(all.subarray(at, at + (64 << 10))));
    expect(
      found.map((r) => (r.kind === 'frame' ? [r.frame.streamId, r.frame.payload.length] : r.kind)),
    ).toEqual([
      [1, 3 << 20],
      [3, 4],
    ]);
    const first = found[0];
    expect(first?.kind === 'frame' && first.frame.payload.equals(big)).toBe(true);
  });
});

describe('ttrpc frame limits', () => {
  it('skips an oversized frame, reporting its stream, and goes on with the next', () => {
    const head = Buffer.alloc(HEADER_LENGTH);
    head.writeUInt32BE(MESSAGE_LENGTH_MAX + 1, 0);
    head.writeUInt32BE(7, 4);
    head.writeUInt8(MessageType.request, 8);
    const reader = new FrameReader();
    const found = reader.push(head);
    const body = Buffer.alloc(MESSAGE_LENGTH_MAX + 1);
    found.push(...reader.push(body.subarray(0, 1000)));
    found.push(
      ...reader.push(
        Buffer.concat([body.subarray(1000), encodeFrame(9, MessageType.request, Buffer.from('ok'))]),
      ),
    );
    expect(frames(found)).toEqual([
      [7, -1, `oversize ${MESSAGE_LENGTH_MAX + 1}`],
      [9, 1, 'ok'],
    ]);
  });

  it('refuses to write a message over 4 MiB and passes an unknown type through to the caller', () => {
    expect(() => encodeFrame(1, MessageType.request, Buffer.alloc(MESSAGE_LENGTH_MAX + 1))).toThrow(
      /exceeds maximum/,
    );
    expect(encodeFrame(1, MessageType.request, Buffer.alloc(MESSAGE_LENGTH_MAX)).length).toBe(
      MESSAGE_LENGTH_MAX + 10,
    );
    expect(frames(new FrameReader().push(encodeFrame(1, 9, Buffer.from('x'))))).toEqual([[1, 9, 'x']]);
  });
});
