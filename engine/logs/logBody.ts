// The body of `GET /containers/{id}/logs` from the messages read (moby
// api/server/httputils/write_log_stream.go WriteLogStream): each message is one write, prefixed
// with its time in RFC3339NanoFixed and a space with `timestamps=1`, kept only if its stream was
// asked for, framed by stream (stdcopy) unless the container has a TTY; an error while reading
// becomes "Error grabbing logs: …" on the system error stream.
import type { StoredMessage } from './message.ts';
import { STDERR, STDOUT, SYSTEM_ERROR, stdcopyFrame } from './stdcopy.ts';
import { formatRfc3339NanoFixed } from './time.ts';

export interface LogBodyOptions {
  stdout: boolean;
  stderr: boolean;
  timestamps?: boolean;
  /** The container's Config.Tty: its log is one raw stream. */
  tty: boolean;
}

/** One message as the bytes of the answer, or undefined when its stream was not asked for. */
export function logBodyChunk(msg: StoredMessage, o: LogBodyOptions): Buffer | undefined {
  const wanted = (msg.stream === 'stdout' && o.stdout) || (msg.stream === 'stderr' && o.stderr);
  if (!wanted) return undefined;
  const line =
    o.timestamps === true
      ? Buffer.concat([Buffer.from(`${formatRfc3339NanoFixed(msg.time)} `), msg.line])
      : msg.line;
  if (o.tty) return line;
  return stdcopyFrame(msg.stream === 'stdout' ? STDOUT : STDERR, line);
}

/** The whole answer, chunk by chunk, as the messages come (a follow goes on until they end). */
export async function* logBody(
  messages: AsyncIterable<StoredMessage>,
  o: LogBodyOptions,
): AsyncGenerator<Buffer> {
  try {
    for await (const msg of messages) {
      const chunk = logBodyChunk(msg, o);
      if (chunk !== undefined) yield chunk;
    }
  } catch (error) {
    const text = Buffer.from(
      `Error grabbing logs: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    yield o.tty ? text : stdcopyFrame(SYSTEM_ERROR, text);
  }
}
