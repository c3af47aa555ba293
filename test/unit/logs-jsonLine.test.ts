// json-file lines byte for byte as dockerd 20.10 writes them: every line of a log a private
// dockerd wrote (test/fixtures/real-engine/l-json.log, both streams, escapes, lines cut at 16 KiB,
// a last line without a newline; l-tty-json.log, a TTY's one stream) encoded again from what it
// says gives the same bytes; the copier, fed the same streams in any chunking, makes the same
// messages with the same time grouping; times in the three formats dockerd uses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COPIER_BUFFER_SIZE, LineSplitter } from '../../engine/logs/copier.ts';
import { decodeJsonLogLine, encodeJsonLogLine } from '../../engine/logs/jsonLine.ts';
import { jsonStringOfBytes } from '../../engine/logs/jsonString.ts';
import type { LogMessage, StoredMessage, StreamName } from '../../engine/logs/message.ts';
import {
  formatRfc3339Nano,
  formatRfc3339NanoFixed,
  parseApiTimestamp,
  parseRfc3339Nano,
} from '../../engine/logs/time.ts';

const fixtureLines = (name: string): string[] =>
  readFileSync(new URL(`../fixtures/real-engine/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .slice(0, -1);

/** A stored message back as the copier's: a whole line loses its "\n", a piece keeps all. */
function asLogged(m: StoredMessage, stream: StreamName): LogMessage {
  const whole = m.line.at(-1) === 0x0a;
  return whole
    ? { stream, line: m.line.subarray(0, -1), time: m.time }
    : { stream, line: m.line, time: m.time, partial: { ordinal: 1, last: false } };
}

function streamOf(m: StoredMessage): StreamName {
  if (m.stream === '') throw new Error('no stream');
  return m.stream;
}

describe('json-file lines', () => {
  it("encodes every line of dockerd's logs to the same bytes", () => {
    for (const name of ['l-json.log', 'l-tty-json.log'])
      for (const text of fixtureLines(name)) {
        const stored = decodeJsonLogLine(text);
        expect(encodeJsonLogLine(asLogged(stored, streamOf(stored))).toString('utf8')).toBe(`${text}\n`);
      }
  });

  it('escapes bytes as Go does: < > & and controls as \\u00XX, invalid UTF-8 as \\ufffd, U+2028', () => {
    const s = (b: Buffer): string => jsonStringOfBytes(b).toString('utf8');
    expect(s(Buffer.from('a\t"b"\\<>&\r\n\x01\x7f'))).toBe(
      '"a\\u0009\\"b\\"\\\\\\u003c\\u003e\\u0026\\r\\n\\u0001\x7f"',
    );
    expect(s(Buffer.from([0x61, 0xe2, 0x98]))).toBe('"a\\ufffd\\ufffd"');
    expect(s(Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]))).toBe(`"${'\\ufffd'.repeat(5)}"`);
    expect(s(Buffer.from('é☃😀\u2028\u2029\ufffd'))).toBe('"é☃😀\\u2028\\u2029\ufffd"');
  });

  it('leaves out an empty log and writes a partial piece without its newline', () => {
    const time = parseRfc3339Nano('2026-12-07T11:17:18.4553131Z');
    expect(
      encodeJsonLogLine({
        stream: 'stderr',
        line: Buffer.from('x'),
        time,
        partial: { ordinal: 1, last: false },
      }).toString(),
    ).toBe('{"log":"x","stream":"stderr","time":"2026-12-07T11:17:18.4553131Z"}\n');
  });
});

/** The bytes of each stream, from the log: the concatenation of its "log" fields. */
function streams(lines: StoredMessage[]): Record<StreamName, Buffer> {
  const pick = (s: StreamName): Buffer =>
    Buffer.concat(lines.filter((m) => m.stream === s).map((m) => m.line));
  return { stdout: pick('stdout'), stderr: pick('stderr') };
}

function splitInChunks(splitter: LineSplitter, data: Buffer, size: number): LogMessage[] {
  const out: LogMessage[] = [];
  for (let i = 0; i < data.length; i += size) out.push(...splitter.push(data.subarray(i, i + size)));
  return [...out, ...splitter.end()];
}

describe('the copier', () => {
  const recorded = fixtureLines('l-json.log').map(decodeJsonLogLine);

  it("cuts both streams into dockerd's messages, whatever the reads, pieces sharing their first time", () => {
    const bytes = streams(recorded);
    for (const stream of ['stdout', 'stderr'] as const) {
      const theirs = recorded.filter((m) => m.stream === stream);
      for (const size of [1, 7, 2048, 65536]) {
        let t = 0n;
        const ours = splitInChunks(new LineSplitter(stream, () => ++t), bytes[stream], size);
        expect(
          ours.map((m) =>
            encodeJsonLogLine(m)
              .toString()
              .replace(/"time":"[^"]*"/, ''),
          ),
        ).toEqual(
          theirs.map((m) =>
            encodeJsonLogLine(asLogged(m, stream))
              .toString()
              .replace(/"time":"[^"]*"/, ''),
          ),
        );
        // Same grouping: messages share a time exactly where dockerd's share one.
        const groups = (times: bigint[]): boolean[] => times.slice(1).map((x, i) => x === times[i]);
        expect(groups(ours.map((m) => m.time))).toEqual(groups(theirs.map((m) => m.time)));
      }
    }
  });

  it('cuts at the first newline within 16 KiB, else after 16 KiB; numbers the pieces', () => {
    const s = new LineSplitter('stdout', () => 5n);
    const exactly = Buffer.alloc(COPIER_BUFFER_SIZE, 'a');
    const out = [...s.push(Buffer.concat([exactly, Buffer.from('\nb\n')])), ...s.end()];
    expect(out.map((m) => [m.line.length, m.partial])).toEqual([
      [COPIER_BUFFER_SIZE, { ordinal: 1, last: false }],
      [0, { ordinal: 2, last: true }],
      [1, undefined],
    ]);
    const almost = new LineSplitter('stdout').push(Buffer.concat([exactly.subarray(1), Buffer.from('\n')]));
    expect(almost.map((m) => [m.line.length, m.partial])).toEqual([[COPIER_BUFFER_SIZE - 1, undefined]]);
  });
});

describe('log times', () => {
  it('writes RFC3339Nano without trailing zeros, -t times with nine digits, and reads them back', () => {
    const t = parseRfc3339Nano('2026-12-07T11:17:18.455313100Z');
    expect(formatRfc3339Nano(t)).toBe('2026-12-07T11:17:18.4553131Z');
    expect(formatRfc3339NanoFixed(t)).toBe('2026-12-07T11:17:18.455313100Z');
    expect(formatRfc3339Nano(parseRfc3339Nano('2026-12-07T11:17:18Z'))).toBe('2026-12-07T11:17:18Z');
    expect(parseRfc3339Nano('2026-12-07T12:17:18.5+01:00')).toBe(parseRfc3339Nano('2026-12-07T11:17:18.5Z'));
    expect(() => parseRfc3339Nano('yesterday')).toThrow('invalid log time "yesterday"');
  });

  it("reads the API's since/until as ParseTimestamps does", () => {
    expect(parseApiTimestamp('1765106238')).toBe(1765106238_000_000_000n);
    expect(parseApiTimestamp('1765106238.5')).toBe(1765106238_500_000_000n);
    expect(parseApiTimestamp('1765106238.000000001')).toBe(1765106238_000_000_001n);
    expect(() => parseApiTimestamp('10m')).toThrow('invalid timestamp "10m"');
  });
});
