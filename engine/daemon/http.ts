// The few HTTP steps every endpoint shares: JSON answers and errors in dockerd's shape, a
// bounded JSON body, and the JSON message stream of pull/push/load. A stream sends its 200 and
// headers with its first message; until then a failure is still an HTTP error — dockerd's
// WriteFlusher rule (moby api/server/router/image/image_routes.go: `if !output.Flushed()`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonMessage } from '../api/jsonmessage.ts';
import { ApiError, badRequest, toApiError } from './errors.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text) + 1,
  });
  res.end(`${text}\n`);
}

/** A stream of JSON values, one per line, as dockerd's encoder writes them (chunked, no length). */
export function sendValues(res: ServerResponse, values: readonly unknown[]): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  for (const value of values) res.write(`${JSON.stringify(value)}\n`);
  res.end();
}

export function sendError(res: ServerResponse, error: unknown): void {
  const e = toApiError(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, e.status, { message: e.message });
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

export async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new ApiError(413, `request body is larger than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A JSON body, or dockerd's 400 for one that does not parse. */
export async function readJson(req: IncomingMessage, max = 1 << 20): Promise<unknown> {
  const body = await readBody(req, max);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw badRequest(`invalid JSON: ${(error as Error).message}`);
  }
}

/** Docker's JSON message stream over one response. */
export class MessageStream {
  private started = false;

  constructor(private readonly res: ServerResponse) {}

  get flushed(): boolean {
    return this.started;
  }

  /** Sends the 200 now: from here on every error is a line in the stream. */
  begin(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, { 'Content-Type': 'application/json' });
    this.res.flushHeaders();
  }

  write(message: JsonMessage): void {
    this.begin();
    if (!this.res.writableEnded && !this.res.destroyed) this.res.write(`${JSON.stringify(message)}\n`);
  }

  /** Ends the stream; an error before the first message is an HTTP error instead. */
  end(error?: unknown): void {
    if (error === undefined) {
      this.begin();
      this.res.end();
      return;
    }
    if (!this.started) {
      sendError(this.res, error);
      return;
    }
    const message = toApiError(error).message;
    this.write({ errorDetail: { message }, error: message });
    this.res.end();
  }
}
