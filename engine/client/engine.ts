/**
 * The client's side of the Engine API: HTTP over a unix socket (node:http with socketPath), the
 * version negotiation docker/cli does before its first call, and the daemon's errors as the
 * docker CLI prints them.
 * https://github.com/moby/moby/blob/v28.2.2/client/ping.go (HEAD, then GET, /_ping)
 * https://github.com/moby/moby/blob/v28.2.2/client/client.go (NegotiateAPIVersionPing)
 * https://github.com/moby/moby/blob/v28.2.2/client/errors.go (errConnectionFailed)
 * https://github.com/moby/moby/blob/v28.2.2/client/request.go (checkResponseErr)
 */
import http, { type IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/** The newest Engine API this client speaks; a daemon with an older one is spoken to in its own. */
export const CLIENT_API_VERSION = '1.44';
/** What the Go client assumes when `_ping` names no version. */
const FALLBACK_API_VERSION = '1.24';
export const DEFAULT_HOST = 'unix:///run/dockstep/dockstep.sock';

/** A refused or impossible connection; its text is the whole error line. */
export class ConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectError';
  }
}

/** An answer this client cannot read (not JSON, not the shape the endpoint documents). */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** An HTTP error answer: printed as "Error response from daemon: <message>". */
export class DaemonError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DaemonError';
  }
}

/** `--host`/`-H`, else DOCKSTEP_HOST, else the default socket; only unix:// is spoken. */
export function resolveHost(flag: string | undefined, env: Record<string, string | undefined>): string {
  const host = flag ?? (env['DOCKSTEP_HOST'] || undefined) ?? DEFAULT_HOST;
  if (!host.startsWith('unix://') || host.length <= 'unix://'.length) {
    throw new ConnectError(`invalid host "${host}": only unix:///path/to/socket is supported`);
  }
  return host;
}

/** min(ours, theirs), comparing "1.41" and "1.44" as numbers per part (versions.LessThan). */
export function negotiatedVersion(server: string | undefined): string {
  const theirs = server === undefined || server === '' ? FALLBACK_API_VERSION : server;
  const parts = (v: string): number[] => v.split('.').map((n) => Number(n));
  const [a, b] = [parts(theirs), parts(CLIENT_API_VERSION)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? theirs : CLIENT_API_VERSION;
  }
  return CLIENT_API_VERSION;
}

export interface RequestOptions {
  query?: URLSearchParams;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  /** Send the path as it is, without the /v1.NN prefix (dockstep's own endpoints). */
  unversioned?: boolean;
}

/** Reads a whole answer body. */
export async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The daemon's `{"message": …}`, or the body's text, or the status line when it is empty. */
export async function daemonError(res: IncomingMessage): Promise<DaemonError> {
  const status = res.statusCode ?? 0;
  const body = (await readBody(res)).trim();
  let message = body;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: the text as it came
  }
  if (message === '') message = `${status} ${http.STATUS_CODES[status] ?? ''}`.trim();
  return new DaemonError(status, message);
}

export class EngineClient {
  readonly socket: string;
  private version: string | undefined;

  constructor(readonly host: string) {
    this.socket = host.slice('unix://'.length);
  }

  private connectError(error: NodeJS.ErrnoException): Error {
    if (error.code === 'EACCES') {
      return new ConnectError(
        `permission denied while trying to connect to the dockstep engine socket at ${this.host}`,
      );
    }
    if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT' || error.code === 'ENOTSOCK') {
      return new ConnectError(
        `Cannot connect to the dockstep engine at ${this.host}. Is the engine running?`,
      );
    }
    return new ConnectError(`error during connect: ${error.message}`);
  }

  /** One HTTP exchange; resolves at the answer's headers, the body still to be read. */
  raw(method: string, path: string, o: RequestOptions = {}): Promise<IncomingMessage> {
    // Go's url.Values.Encode sorts by key, so docker's queries come in key order.
    const sorted = new URLSearchParams(o.query);
    sorted.sort();
    const query = [...sorted].length > 0 ? `?${sorted.toString()}` : '';
    return new Promise((resolve, reject) => {
      const req = http.request(
        { socketPath: this.socket, method, path: path + query, headers: { host: 'api', ...o.headers } },
        resolve,
      );
      req.on('error', (error: NodeJS.ErrnoException) => reject(this.connectError(error)));
      if (o.body === undefined) req.end();
      else if (Buffer.isBuffer(o.body)) req.end(o.body);
      else o.body.on('error', (e) => req.destroy(e)).pipe(req);
    });
  }

  /** HEAD /_ping (GET when HEAD is not answered), then min(1.44, the daemon's API-Version). */
  async negotiate(): Promise<string> {
    if (this.version !== undefined) return this.version;
    let res = await this.raw('HEAD', '/_ping');
    res.resume();
    // ping.go: a HEAD answered 200 or 500 was handled by the daemon; anything else, ask with GET.
    if (res.statusCode !== 200 && res.statusCode !== 500) {
      res = await this.raw('GET', '/_ping');
      res.resume();
    }
    const header = res.headers['api-version'];
    this.version = negotiatedVersion(Array.isArray(header) ? header[0] : header);
    return this.version;
  }

  /** A versioned call; an HTTP error answer becomes a DaemonError. */
  async request(method: string, path: string, o: RequestOptions = {}): Promise<IncomingMessage> {
    const prefix = o.unversioned === true ? '' : `/v${await this.negotiate()}`;
    const res = await this.raw(method, prefix + path, o);
    if ((res.statusCode ?? 0) >= 400) throw await daemonError(res);
    return res;
  }

  async json<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, o);
    const body = await readBody(res);
    try {
      return JSON.parse(body) as T;
    } catch {
      throw new ProtocolError(`error reading the answer of ${method} ${path}: ${body.slice(0, 200)}`);
    }
  }

  /** A call that answers a JSON array (image lists, history, deletions). */
  async list<T>(method: string, path: string, o: RequestOptions = {}): Promise<T[]> {
    const value = await this.json<unknown>(method, path, o);
    if (!Array.isArray(value)) {
      throw new ProtocolError(
        `unexpected answer to ${method} ${path}: not a list: ${JSON.stringify(value).slice(0, 200)}`,
      );
    }
    return value as T[];
  }
}
