// `dockstep engine --ui`: the site and a live WebSocket on 127.0.0.1 only, inside the engine's
// process, beside its gate and trace hub (engine/real/). The page at `/?token=…` connects to
// `/live?token=…` and receives every record of the engine's trace as it happens; with
// --ui-control it may also hold, step, continue and set breakpoints (control.ts), and run docker
// command lines in the engine (console.ts). Who may
// connect: access.ts. A viewer that stops reading is dropped (viewers.ts). A frame over
// MAX_FRAME bytes closes that page's socket with 1009 (RFC 6455 §7.4.1) before it is read whole.
import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { LIVE_PATH, type ServerFrame } from '../../src/wire/live.ts';
import type { Engine } from '../daemon/context.ts';
import type { TraceRecord } from '../real/traceHub.ts';
import { loopbackHost, newToken, ownOrigin, requestToken, sameToken, setTokenCookie } from './access.ts';
import type { UiArgs } from './args.ts';
import { applyControl, FrameError, isControl, parseFrame } from './control.ts';
import { runLine } from './console.ts';
import { evidenceFor } from './evidence.ts';
import { refuse, serveSite } from './site.ts';
import { Viewers } from './viewers.ts';

/** The largest frame a page may send (control frames are a few dozen bytes). */
export const MAX_FRAME = 1 << 20;
/** Pages watching at once (a class of 30 fits with room). */
export const MAX_VIEWERS = 100;

export interface UiServer {
  url: string;
  port: number;
  viewers: Viewers;
  close(): Promise<void>;
}

/** An HTTP refusal written on the raw socket of an upgrade request. */
function refuseUpgrade(socket: Socket, status: string, text: string): void {
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** Why an upgrade to the live socket is refused, or undefined when it may go on. */
function upgradeRefusal(
  req: http.IncomingMessage,
  url: URL,
  port: number,
  token: string,
): [string, string] | undefined {
  if (!loopbackHost(req.headers.host, port)) return ['403 Forbidden', 'the Host is not this loopback server'];
  if (url.pathname !== LIVE_PATH) return ['404 Not Found', `no WebSocket at ${url.pathname}`];
  if (!sameToken(requestToken(url, req.headers.cookie, port), token))
    return ['401 Unauthorized', 'a valid token is needed'];
  if (!ownOrigin(req.headers.origin, port)) return ['403 Forbidden', 'the Origin is not this page'];
  return undefined;
}

function attach(engine: Engine, viewers: Viewers, ws: WebSocket, control: boolean): void {
  viewers.add(ws);
  // A broken frame (one over MAX_FRAME, bad UTF-8) is the page's error: ws closes the socket with
  // its close code (1009, 1007) itself. Unheard, the event would end the engine.
  ws.on('error', () => undefined);
  viewers.send(ws, { type: 'hello', control, gate: engine.stepping.status });
  // A page that comes while a message is held sees the host at that hold too.
  const held = engine.stepping.status.held ?? undefined;
  if (held !== undefined)
    void evidenceFor(held, engine.world.tasks).then(
      (evidence) => viewers.send(ws, { type: 'evidence', evidence }),
      () => undefined,
    );
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const reply = (frame: ServerFrame): void => viewers.send(ws, frame);
    try {
      if (isBinary) throw new FrameError('frames are JSON text');
      const frame = parseFrame(data.toString());
      if (frame.type === 'evidence') {
        void evidenceFor(engine.stepping.status.held ?? undefined, engine.world.tasks).then((evidence) =>
          reply({ type: 'evidence', evidence }),
        );
        return;
      }
      if (isControl(frame) && !control)
        return reply({
          type: 'refused',
          reason: 'this page is read-only: the engine was started without --ui-control',
        });
      if (frame.type === 'command') return runCommand(engine, ws, viewers, frame.line);
      const released = applyControl(engine.stepping, frame);
      viewers.broadcast({
        type: 'gate',
        gate: engine.stepping.status,
        ...(released.length === 0 ? {} : { released }),
      });
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      reply({ type: 'error', message: error.message });
    }
  });
}

/** A console line: the page hears its request id at once, and its exit status at the end. */
function runCommand(engine: Engine, ws: WebSocket, viewers: Viewers, line: string): void {
  const run = runLine(engine.world, line);
  viewers.send(ws, { type: 'command', id: run.id, line });
  void run.exit.then((code) => viewers.send(ws, { type: 'exit', id: run.id, code }));
}

/**
 * Every record of the trace to every page; on every hold, the gate's state to every page, then
 * the evidence read for the held message. The layers' states are not followed: no page draws
 * them, and reading them at every step (on the delivery path) costs more than the step itself
 * (traceHub.ts).
 */
function followTrace(engine: Engine, viewers: Viewers): () => void {
  const follow = (record: TraceRecord): void => {
    viewers.record(record);
    if (!('hold' in record)) return;
    viewers.broadcast({ type: 'gate', gate: engine.stepping.status });
    if (record.hold === null || viewers.count === 0) return;
    void evidenceFor(record.hold, engine.world.tasks).then(
      (evidence) => viewers.broadcast({ type: 'evidence', evidence }),
      () => undefined,
    );
  };
  return engine.world.trace.follow(follow, { states: false });
}

/** A plain HTTP request: the site's files, the page itself with the token only. */
function servePage(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  port: number,
  token: string,
  siteDir: string,
): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!loopbackHost(req.headers.host, port)) return refuse(res, 403, 'the Host is not this loopback server');
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return refuse(res, 405, `method ${req.method ?? ''} not allowed`);
  if (url.pathname === LIVE_PATH) return refuse(res, 426, 'the live stream is a WebSocket');
  const given = url.searchParams.get('token');
  const allowed = sameToken(requestToken(url, req.headers.cookie, port), token);
  // The token in the address is kept as a cookie: the page takes it out of the address bar.
  const headers: Record<string, string> =
    allowed && given !== null ? { 'Set-Cookie': setTokenCookie(token, port) } : {};
  serveSite(siteDir, url.pathname, allowed, req, res, headers).catch(() =>
    refuse(res, 500, 'cannot read the site'),
  );
}

export async function startUi(engine: Engine, args: UiArgs): Promise<UiServer> {
  if (!existsSync(join(args.siteDir, 'index.html')))
    throw new Error(`no built site in ${args.siteDir} (npm run build makes it)`);
  const token = newToken();
  const viewers = new Viewers(args.viewerBuffer, (unsent) =>
    process.stderr.write(
      `dockstep engine: a page that stopped reading was dropped (${unsent} bytes unsent)\n`,
    ),
  );
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME, perMessageDeflate: false });
  let port = args.port;
  const server = http.createServer((req, res) => servePage(req, res, port, token, args.siteDir));
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refusal = upgradeRefusal(req, url, port, token);
    if (refusal !== undefined) return refuseUpgrade(socket, ...refusal);
    if (viewers.count >= MAX_VIEWERS)
      return refuseUpgrade(socket, '503 Service Unavailable', 'too many viewers');
    wss.handleUpgrade(req, socket, head, (ws) => {
      attach(engine, viewers, ws, args.control);
      wss.emit('connection', ws, req);
    });
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(args.port, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  // The trace is followed only while someone watches: with no page open, the engine does no more
  // than without --ui (the layers' states are made for followers only, traceHub.ts).
  let unfollow: (() => void) | undefined;
  wss.on('connection', (ws: WebSocket) => {
    unfollow ??= followTrace(engine, viewers);
    ws.on('close', () => {
      if (viewers.count > 0) return;
      unfollow?.();
      unfollow = undefined;
    });
  });
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    viewers,
    async close() {
      unfollow?.();
      viewers.closeAll();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
