// One HTTP round trip to a registry or its token server, over node:http(s) with keep-alive
// agents (undici's fetch adds a web-stream hop per chunk that costs throughput on blobs).
// The timeout covers connecting and waiting for the status line, then each silence while the
// body streams; either way the socket is destroyed and the caller gets a `timeout` error.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { errnoOf, ImageError } from '../errors.ts';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: Buffer | Readable;
  /** Aborting closes the connection: the request fails, a body being read ends in an error. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  method: HttpRequest['method'];
  status: number;
  headers: IncomingHttpHeaders;
  url: URL;
  body: IncomingMessage;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 32 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

/** Hosts spoken to over plain HTTP by default, as dockerd treats 127.0.0.0/8 and ::1 as insecure. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

function networkError(error: unknown, req: HttpRequest, timeoutMs: number): ImageError {
  if (error instanceof ImageError) return error;
  const code = errnoOf(error);
  const where = `${req.method} ${req.url.href}`;
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH' ||
    code === 'EAI_AGAIN'
  ) {
    return new ImageError(
      'unreachable',
      `registry ${req.url.host} is unreachable: ${code.toLowerCase()} on ${where}`,
      { cause: error },
    );
  }
  if (code === 'ETIMEDOUT')
    return new ImageError('timeout', `timeout after ${timeoutMs} ms on ${where}`, { cause: error });
  return new ImageError(
    'unreachable',
    `connection to ${req.url.host} failed on ${where}: ${(error as Error).message.toLowerCase()}`,
    { cause: error },
  );
}

/**
 * Aborting the signal destroys this request (and its body while it streams). One signal serves
 * every request of a pull, so the listener goes when the request closes — after its body's end
 * or its destruction (Node's ClientRequest 'close') — or a pull of many blobs piles listeners up
 * on it (MaxListenersExceededWarning past 10).
 */
function cancelOnAbort(client: http.ClientRequest, req: HttpRequest): void {
  const signal = req.signal;
  if (signal === undefined) return;
  const cancel = (): void => {
    client.destroy(new ImageError('cancelled', `${req.method} ${req.url.href} cancelled`));
  };
  if (signal.aborted) {
    cancel();
    return;
  }
  signal.addEventListener('abort', cancel, { once: true });
  client.once('close', () => signal.removeEventListener('abort', cancel));
}

/** Sends one request; resolves at the status line, the body still to read (or to `resume()`). */
export function send(req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const secure = req.url.protocol === 'https:';
    const client = (secure ? https : http).request(req.url, {
      method: req.method,
      headers: req.headers,
      agent: secure ? agents.https : agents.http,
    });
    const timer = setTimeout(
      () =>
        client.destroy(
          new ImageError(
            'timeout',
            `timeout after ${timeoutMs} ms waiting for ${req.url.host} (${req.method} ${req.url.pathname})`,
          ),
        ),
      timeoutMs,
    );
    client.on('error', (error) => {
      clearTimeout(timer);
      reject(networkError(error, req, timeoutMs));
    });
    cancelOnAbort(client, req);
    client.on('response', (res) => {
      clearTimeout(timer);
      // From here on a silent socket is a stalled body: destroy it so readers see an error.
      res.setTimeout(timeoutMs, () =>
        res.destroy(
          new ImageError(
            'timeout',
            `timeout after ${timeoutMs} ms reading the body of ${req.method} ${req.url.href}`,
          ),
        ),
      );
      resolve({
        method: req.method,
        status: res.statusCode ?? 0,
        headers: res.headers,
        url: req.url,
        body: res,
      });
    });
    if (req.body === undefined) client.end();
    else if (Buffer.isBuffer(req.body)) client.end(req.body);
    else {
      req.body.on('error', (error) => client.destroy(error));
      req.body.pipe(client);
    }
  });
}

/** Reads a whole (small) body, refusing more than `max` bytes. */
export async function readBody(res: HttpResponse, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      res.body.destroy();
      throw new ImageError('size-mismatch', `response from ${res.url.href} is larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
