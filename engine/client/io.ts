/**
 * What a client command may touch besides the socket: its three streams, the environment, the
 * home directory (for ~/.docker/config.json) and a clock. Commands get it as a value so tests
 * can run them with captured streams and a fixed time.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { JsonMessage } from '../api/jsonmessage.ts';
import type { Parsed } from './args.ts';
import { ProtocolError, type EngineClient } from './engine.ts';
import { JsonLines, StreamRenderer, type RenderOptions } from './render/stream.ts';

export interface Sink {
  write(chunk: string | Uint8Array): unknown;
  /** A writable stream's: resolves a write that answered false (a full pipe). */
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Copies a body to `out`, waiting for the pipe to drain (a tarball can be large). */
export async function copyTo(body: AsyncIterable<unknown>, out: Sink): Promise<void> {
  for await (const chunk of body) {
    if (out.write(chunk as Uint8Array) === false && out.once !== undefined) {
      await new Promise<void>((resolve) => out.once?.('drain', resolve));
    }
  }
}

export interface ClientIO {
  stdout: Sink;
  stderr: Sink;
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  home: string;
  /** Unix seconds. */
  now(): number;
}

/** A command's own refusal (not the daemon's): printed as it is, exit status 1. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export type Command = (engine: EngineClient, parsed: Parsed, io: ClientIO) => Promise<void>;

/** How the stream is drawn on this stdout: a terminal gets bars at its width (docker: 200 if unknown). */
export function renderOptions(io: ClientIO): RenderOptions {
  const isTerminal = io.stdout.isTTY === true;
  return { isTerminal, width: isTerminal ? (io.stdout.columns ?? 200) : 200, now: io.now };
}

/**
 * Reads a JSON message stream to its end, writing what the renderer draws to `out` as it
 * arrives (nothing when `out` is undefined: -q). An error message ends it with a StreamError.
 */
export async function followStream(
  res: IncomingMessage,
  options: RenderOptions,
  out: Sink | undefined,
  onAux?: (aux: Record<string, unknown>) => void,
): Promise<void> {
  const renderer = new StreamRenderer(options, onAux);
  const lines = new JsonLines();
  const draw = (raw: string[]): void => {
    for (const line of raw) {
      const text = renderer.write(JSON.parse(line) as JsonMessage);
      if (text !== '' && out !== undefined) out.write(text);
    }
  };
  try {
    res.setEncoding('utf8');
    for await (const chunk of res) draw(lines.pushLines(chunk as string));
    draw(lines.endLines());
  } catch (error) {
    // A StreamError (the daemon's error message), a line that is not JSON, a broken
    // connection: stop reading.
    res.destroy();
    if (error instanceof SyntaxError)
      throw new ProtocolError(`error decoding the progress stream: ${error.message}`);
    throw error;
  }
}
