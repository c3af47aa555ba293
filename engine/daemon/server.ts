// The Engine API server: node:http on a unix socket, one route table built from the endpoint
// files in api/. Node's own limits answer the worst malformed requests before any handler runs
// (a header block over maxHeaderSize → 431, a broken request line → 400); a handler's failure
// becomes a `{"message"}` answer and the server goes on.
import http from 'node:http';
import type { Socket } from 'node:net';
import { ImagePuller, type Puller } from './backend.ts';
import { machinePull } from '../real/puller.ts';
import { RealWorld } from '../real/world.ts';
import type { TraceRecord } from '../real/traceHub.ts';
import { Stepping } from '../real/stepping.ts';
import type { Engine, Route } from './context.ts';
import { EventLog } from './events.ts';
import { Router } from './router.ts';
import type { ImageRoot } from '../image/root.ts';
import { routes as ping } from './api/ping.ts';
import { routes as containers } from './api/containers.ts';
import { routes as attach } from './api/attach.ts';
import { routes as exec } from './api/exec.ts';
import { routes as version } from './api/version.ts';
import { routes as info } from './api/info.ts';
import { routes as auth } from './api/auth.ts';
import { routes as imagesCreate } from './api/imagesCreate.ts';
import { routes as imagesList } from './api/imagesList.ts';
import { routes as imagesSave } from './api/imagesSave.ts';
import { routes as imagesLoad } from './api/imagesLoad.ts';
import { routes as imagesPrune } from './api/imagesPrune.ts';
import { routes as imageInspect } from './api/imageInspect.ts';
import { routes as imageHistory } from './api/imageHistory.ts';
import { routes as imageTag } from './api/imageTag.ts';
import { routes as imagePush } from './api/imagePush.ts';
import { routes as imageDelete } from './api/imageDelete.ts';
import { routes as imageTree } from './api/imageTree.ts';
import { routes as events } from './api/events.ts';
import { routes as traceStream } from './api/traceStream.ts';
import { routes as gate } from './api/gate.ts';
import { routes as volumes } from './api/volumes.ts';
import { routes as networks } from './api/networks.ts';
import { routes as archive } from './api/archive.ts';
import { routes as containerUpdate } from './api/containerUpdate.ts';
import { routes as containerChanges } from './api/containerChanges.ts';
import { routes as containerExport } from './api/containerExport.ts';

// Fixed paths before the `{name*}` ones, so /images/json is never an image called "json".
export const ROUTES: readonly Route[] = [
  ...ping,
  ...version,
  ...info,
  ...auth,
  ...events,
  ...imagesCreate,
  ...imagesList,
  ...imagesSave,
  ...imagesLoad,
  ...imagesPrune,
  ...imageInspect,
  ...imageHistory,
  ...imageTag,
  ...imagePush,
  ...imageTree,
  ...imageDelete,
  ...traceStream,
  ...gate,
  ...containers,
  ...attach,
  ...volumes,
  ...networks,
  ...archive,
  ...containerUpdate,
  ...containerChanges,
  ...containerExport,
  ...exec,
];

export interface ServerOptions {
  root: ImageRoot;
  runDir: string;
  tmpDir: string;
  puller?: Puller;
  /** dockerd's max-concurrent-downloads for the machines' pulls (3 when absent). */
  maxConcurrentDownloads?: number;
  /** The containers' bridge (dockstep0 when absent). */
  bridge?: string | undefined;
  /** dockerd's --live-restore. */
  liveRestore?: boolean | undefined;
  maxHeaderSize?: number;
}

export interface EngineServer {
  server: http.Server;
  engine: Engine;
  /** The engine's one world of layer machines, built once and kept for its life. */
  world: RealWorld;
  /** Stops taking requests, ends streams, waits for running pulls, closes connections. */
  close(): Promise<void>;
}

function eventOf(engine: Engine, record: TraceRecord): void {
  if ('entry' in record && record.entry.type === 'docker-event') engine.events.fromTrace(record.entry.event);
}

export function createEngineServer(options: ServerOptions): EngineServer {
  const closing = new AbortController();
  const world = new RealWorld(options.root, {
    maxConcurrentDownloads: options.maxConcurrentDownloads,
    runDir: options.runDir,
    bridge: options.bridge,
    liveRestore: options.liveRestore,
  });
  const puller = options.puller ?? new ImagePuller(machinePull(world));
  const engine: Engine = {
    world,
    stepping: new Stepping(world.scheduler),
    tmpDir: options.tmpDir,
    root: options.root,
    puller,
    events: new EventLog(),
    runDir: options.runDir,
    closing: closing.signal,
  };
  // `docker events` shows what the machines did: every docker event of the trace.
  world.trace.follow((record) => eventOf(engine, record), { states: false });
  const router = new Router(ROUTES);
  const server = http.createServer({ maxHeaderSize: options.maxHeaderSize ?? 16 * 1024 }, (req, res) => {
    void router.handle(engine, req, res);
  });
  // An attach asks to upgrade the connection (Connection: Upgrade, Upgrade: tcp): it is served as
  // any request, and the route that hijacks the connection answers on the socket itself.
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    if (head.length > 0) socket.unshift(head);
    const res = new http.ServerResponse(req);
    res.assignSocket(socket);
    res.shouldKeepAlive = false;
    void router.handle(engine, req, res);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = JSON.stringify({
      message: tooLarge ? 'request header fields too large' : `bad request: ${error.message}`,
    });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return {
    server,
    engine,
    world,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Nothing is held at the gate any more: held work goes on and can end (or be cancelled).
      engine.stepping.stepMode(false);
      engine.stepping.clearBreakpoints();
      // dockerd stops its containers before it exits (no live-restore): their waits are answered,
      // and the event streams still open get their kill, die and stop events (dockerd closes only
      // its listeners first: moby api/server HTTPServer.Close; k-daemon-and-faults.txt part 4,
      // o-restart-policies.txt), then end with the process.
      await world.shutdown();
      closing.abort();
      if (puller instanceof ImagePuller)
        await Promise.race([Promise.all(puller.running()), new Promise((r) => setTimeout(r, 10_000))]);
      server.closeIdleConnections();
      setTimeout(() => sockets.forEach((s) => s.destroy()), 2_000).unref();
      await stopped;
      world.stop();
    },
  };
}
