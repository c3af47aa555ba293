// The Engine API's framing of logs (and attach) as dockerd 20.10 answers: the answers recorded
// from a private dockerd in test/fixtures/real-engine/l-logs.txt (`GET /containers/{id}/logs` with
// tail=3 and timestamps=1, with tail=1 and stdout only, and a TTY container's raw answer) made
// again from the recorded json-file logs; frames cut anywhere are decoded back.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { logBody } from '../../engine/logs/logBody.ts';
import { parseLogsRequest } from '../../engine/logs/logsRequest.ts';
import { readLogs } from '../../engine/logs/readLogs.ts';
import { attachChunk, StdcopyDecoder, stdcopyFrame, STDERR, STDOUT } from '../../engine/logs/stdcopy.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/real-engine/${name}`, import.meta.url));

async function answer(file: string, query: string, tty = false): Promise<Buffer> {
  const request = parseLogsRequest(new URLSearchParams(query));
  const chunks: Buffer[] = [];
  for await (const c of logBody(readLogs({ path: fixture(file), maxFile: 1 }, request.read), {
    ...request,
    tty,
  }))
    chunks.push(c);
  return Buffer.concat(chunks);
}

describe('stdcopy frames', () => {
  it('puts the stream and the big-endian size in an 8-byte header', () => {
    expect([...stdcopyFrame(STDERR, Buffer.from('hi'))]).toEqual([2, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69]);
    expect([...stdcopyFrame(STDOUT, Buffer.alloc(0x401f)).subarray(0, 8)]).toEqual([
      1, 0, 0, 0, 0, 0, 0x40, 0x1f,
    ]);
  });

  it('frames attach chunks by stream, and leaves a TTY chunk raw', () => {
    expect([...attachChunk('stderr', Buffer.from('e'), false)]).toEqual([2, 0, 0, 0, 0, 0, 0, 1, 0x65]);
    expect(attachChunk('stdout', Buffer.from('o\r\n'), true).toString()).toBe('o\r\n');
  });

  it('decodes frames cut anywhere, and refuses an unknown stream', () => {
    const bytes = Buffer.concat([
      stdcopyFrame(STDOUT, Buffer.from('out\n')),
      stdcopyFrame(STDERR, Buffer.alloc(70000, 'e')),
      stdcopyFrame(STDOUT, Buffer.alloc(0)),
    ]);
    for (const size of [1, 5, 9, 4096]) {
      const d = new StdcopyDecoder();
      const frames = [];
      for (let i = 0; i < bytes.length; i += size) frames.push(...d.push(bytes.subarray(i, i + size)));
      expect(frames.map((f) => [f.stream, f.payload.length])).toEqual([
        [1, 4],
        [2, 70000],
        [1, 0],
      ]);
      expect(d.leftover).toBe(0);
    }
    expect(() => new StdcopyDecoder().push(Buffer.from([9, 0, 0, 0, 0, 0, 0, 0]))).toThrow(
      'unrecognized input header: 9',
    );
  });
});

describe('GET /containers/{id}/logs as dockerd answered it', () => {
  it('tail=3&timestamps=1: three frames, each one message with its fixed nine-digit time', async () => {
    const body = await answer('l-json.log', 'stdout=1&stderr=1&tail=3&timestamps=1');
    const frames = new StdcopyDecoder().push(body);
    // l-logs.txt: the first header is 001 0 0 0 0 0 @ 037 (0x401f = 31 + 16384 bytes).
    expect([...body.subarray(0, 8)]).toEqual([1, 0, 0, 0, 0, 0, 0x40, 0x1f]);
    expect(frames.map((f) => f.payload.subarray(0, 32).toString())).toEqual([
      '2026-12-07T11:17:18.455344667Z x',
      '2026-12-07T11:17:18.455344667Z x',
      '2026-12-07T11:17:18.482713291Z n',
    ]);
    expect(frames[1]?.payload.toString()).toBe('2026-12-07T11:17:18.455344667Z xx\n');
  });

  it('stdout=1&tail=1: one frame of "no newline"; a TTY container: the raw stream', async () => {
    const body = await answer('l-json.log', 'stdout=1&tail=1');
    expect(body).toEqual(Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 10]), Buffer.from('no newline')]));
    const tty = await answer('l-tty-json.log', 'stdout=1&stderr=1', true);
    expect(tty.toString()).toBe('out 1\r\nerr 1\r\nno newline');
  });

  it('stderr only, since and until, and the refusals', async () => {
    const err = new StdcopyDecoder().push(await answer('l-json.log', 'stderr=1'));
    expect(err.map((f) => [f.stream, f.payload.length])).toEqual([
      [2, 6],
      [2, 16384],
      [2, 16384],
      [2, 4],
    ]);
    // 11:17:18.455 is 1796642238.455 s since the epoch: from then on, up to 11:17:18.46.
    const window = new StdcopyDecoder().push(
      await answer('l-json.log', 'stdout=1&stderr=1&since=1796642238.4553&until=1796642238.46'),
    );
    expect(window.map((f) => f.payload.length)).toEqual([56, 1, 16384, 16384, 3]);
    expect(() => parseLogsRequest(new URLSearchParams('tail=1'))).toThrow(
      'You must choose at least one stream',
    );
    expect(parseLogsRequest(new URLSearchParams('stdout=1&tail=all&until=0')).read).toEqual({
      tail: -1,
      follow: false,
    });
  });
});
