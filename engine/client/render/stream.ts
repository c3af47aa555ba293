/**
 * Docker's JSON progress stream (what `POST /images/create`, `/images/{name}/push` and
 * `/images/load` answer) drawn as the docker CLI draws it: moby's
 * jsonmessage.DisplayJSONMessagesStream and JSONMessage.Display.
 * https://github.com/moby/moby/blob/v28.2.2/pkg/jsonmessage/jsonmessage.go
 *
 * On a terminal every message that carries `progressDetail` and an `id` owns one line, kept in
 * the order the ids first appeared; a new id adds a line ("\n"), an update moves the cursor up
 * to its line (ESC[nA), clears it (ESC[2K, "\r"), writes "id: status bar\r" and moves back down
 * (ESC[nB). A message without progress forgets every line (they scroll away as history).
 * Off a terminal nothing moves: a message whose bar would not be empty (byte counts) is dropped,
 * the others print "id: status\n". An `error` ends the stream and becomes the command's error.
 *
 * The renderer is a pure function of the messages, the terminal flag, its width and a clock,
 * so tests feed it recorded lines without a socket.
 */
import { progressString, type JsonMessage } from '../../api/jsonmessage.ts';

export interface RenderOptions {
  isTerminal: boolean;
  /** Terminal columns (docker reads TIOCGWINSZ; 200 when it cannot). */
  width: number;
  /** Unix seconds now, for the time-left estimate of a bar. */
  now(): number;
}

/** The error that ended a stream: `errorDetail.message` (401 → docker's own text). */
export class StreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamError';
  }
}

const ESC = '\x1b[';
const up = (n: number): string => (n > 0 ? `${ESC}${n}A` : '');
const down = (n: number): string => (n > 0 ? `${ESC}${n}B` : '');
const CLEAR_LINE = `${ESC}2K\r`;

/** `JSONMessage.Display`: one message as text, or the stream's error. */
export function displayMessage(m: JsonMessage, o: RenderOptions): string {
  // Only errorDetail counts: the older `error` string alone is not read by Display.
  if (m.errorDetail !== undefined && m.errorDetail !== null) {
    // jsonmessage.go: a 401 is "authentication is required", any other the daemon's message.
    throw new StreamError(m.errorDetail.code === 401 ? 'authentication is required' : m.errorDetail.message);
  }
  const progress = m.progressDetail;
  let out = '';
  let endl = '';
  if (o.isTerminal && m.stream === undefined && progress !== undefined) {
    out += CLEAR_LINE;
    endl = '\r';
  } else if (progress !== undefined && progressString(progress, o.width, o.now()) !== '') {
    // Off a terminal a bar is never drawn: the whole message is left out.
    return '';
  }
  if (m.id !== undefined && m.id !== '') out += `${m.id}: `;
  const status = m.status ?? '';
  if (progress !== undefined && o.isTerminal)
    out += `${status} ${progressString(progress, o.width, o.now())}${endl}`;
  else if (m.progress !== undefined && m.progress !== '') out += `${status} ${m.progress}${endl}`;
  else if (m.stream !== undefined && m.stream !== '') out += `${m.stream}${endl}`;
  else out += `${status}${endl}\n`;
  return out;
}

/**
 * The stateful part of DisplayJSONMessagesStream: which line each id owns. `write` answers the
 * text for one more message; aux messages go to `onAux` and print nothing.
 */
export class StreamRenderer {
  private ids = new Map<string, number>();

  constructor(
    private readonly options: RenderOptions,
    private readonly onAux: (aux: Record<string, unknown>) => void = () => undefined,
  ) {}

  write(m: JsonMessage): string {
    if (m.aux !== undefined) {
      this.onAux(m.aux);
      return '';
    }
    const tty = this.options.isTerminal;
    let out = '';
    let diff = 0;
    const tracked =
      m.id !== undefined && m.id !== '' && (m.progressDetail !== undefined || (m.progress ?? '') !== '');
    if (tracked && m.id !== undefined) {
      let line = this.ids.get(m.id);
      if (line === undefined) {
        line = this.ids.size;
        this.ids.set(m.id, line);
        if (tty) out += '\n';
      }
      diff = this.ids.size - line;
      if (tty) out += up(diff);
    } else {
      this.ids = new Map();
    }
    out += displayMessage(m, this.options);
    if (m.id !== undefined && m.id !== '' && tty) out += down(diff);
    return out;
  }
}

/** The whole stream at once: its text, and the error that stopped it (if any). */
export function renderStream(
  messages: readonly JsonMessage[],
  options: RenderOptions,
): { text: string; error?: string; aux: Record<string, unknown>[] } {
  const aux: Record<string, unknown>[] = [];
  const renderer = new StreamRenderer(options, (a) => aux.push(a));
  let text = '';
  for (const m of messages) {
    try {
      text += renderer.write(m);
    } catch (error) {
      if (error instanceof StreamError) return { text, error: error.message, aux };
      throw error;
    }
  }
  return { text, aux };
}

/**
 * Splits a byte stream into JSON messages, one per line, as they arrive (Go's json.Decoder
 * reads concatenated values; dockerd writes one per line).
 */
export class JsonLines {
  private rest = '';

  /** The complete lines so far, unparsed (so the ones before a bad line still get drawn). */
  pushLines(chunk: string): string[] {
    this.rest += chunk;
    const lines = this.rest.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.filter((l) => l.trim() !== '');
  }

  endLines(): string[] {
    const last = this.rest.trim();
    this.rest = '';
    return last === '' ? [] : [last];
  }

  push(chunk: string): JsonMessage[] {
    return this.pushLines(chunk).map((l) => JSON.parse(l) as JsonMessage);
  }

  end(): JsonMessage[] {
    return this.endLines().map((l) => JSON.parse(l) as JsonMessage);
  }
}
