// One line of a json-file log, as dockerd 20.10 writes and reads it (moby
// daemon/logger/jsonfilelog/jsonfilelog.go marshalMessage, jsonlog/jsonlogbytes.go, read.go):
// `{"log":"…","stream":"stdout","time":"RFC3339Nano"}` and a newline. A whole line gets its "\n"
// back in "log"; a partial one (a piece of a line longer than the copier's 16 KiB buffer, or the
// unterminated end of a stream) does not. An empty "log" is left out (a copier never makes one).
import { escapedParts } from './jsonString.ts';
import type { LogMessage, StoredMessage } from './message.ts';
import { formatRfc3339Nano, parseRfc3339Nano } from './time.ts';

const LOG_OPEN = Buffer.from('{"log":"');
const LOG_CLOSE = Buffer.from('",');
// A whole line's newline, escaped as it always is.
const LOG_CLOSE_NEWLINE = Buffer.from('\\n",');
const NO_LOG = Buffer.from('{');
const STREAM: Readonly<Record<LogMessage['stream'], Buffer>> = {
  stdout: Buffer.from('"stream":"stdout",'),
  stderr: Buffer.from('"stream":"stderr",'),
};

/** The bytes dockerd appends to `<id>-json.log` for one message. */
export function encodeJsonLogLine(msg: LogMessage): Buffer {
  const whole = msg.partial === undefined || msg.partial.last;
  const time = Buffer.from(`"time":"${formatRfc3339Nano(msg.time)}"}\n`);
  const log =
    !whole && msg.line.length === 0
      ? [NO_LOG]
      : [LOG_OPEN, ...escapedParts(msg.line), whole ? LOG_CLOSE_NEWLINE : LOG_CLOSE];
  return Buffer.concat([...log, STREAM[msg.stream], time]);
}

function isStream(value: unknown): value is StoredMessage['stream'] {
  return value === 'stdout' || value === 'stderr' || value === '';
}

/** One line of the file (without its newline) as the reader hands it on: "log" as bytes,
 * its newline included. */
export function decodeJsonLogLine(text: string): StoredMessage {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null)
    throw new Error(`log line is not an object: ${text.slice(0, 80)}`);
  const log = 'log' in parsed && typeof parsed.log === 'string' ? parsed.log : '';
  const stream = 'stream' in parsed ? parsed.stream : '';
  const time = 'time' in parsed && typeof parsed.time === 'string' ? parsed.time : '';
  if (!isStream(stream)) throw new Error(`log line has an unknown stream: ${String(stream)}`);
  return { stream, line: Buffer.from(log, 'utf8'), time: parseRfc3339Nano(time) };
}
