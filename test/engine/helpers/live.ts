// Clients of the engine's live UI (engine/ui/) for the suites: the printed URL, a WebSocket with
// chosen headers that collects frames, and the answer to an upgrade the server refuses.
import http from 'node:http';
import WebSocket from 'ws';
import type { ServerFrame } from '../../../src/wire/live.ts';
import type { RunningEngine } from './engine.ts';
import { until } from './until.ts';

/** The URL the engine printed: `http://127.0.0.1:PORT/?token=…`. */
export async function liveUrl(engine: RunningEngine): Promise<URL> {
  const seen = (): RegExpExecArray | null => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(engine.log());
  await until(() => seen() !== null, 'the engine to print its live URL');
  return new URL(seen()?.[0] ?? '');
}

export interface Viewer {
  ws: WebSocket;
  frames: ServerFrame[];
  closed: Promise<{ code: number; reason: string }>;
  send(frame: object): void;
}

/** A viewer as a page would be: the right token, Origin and Host unless told otherwise. */
export function viewer(url: URL, options: { token?: string; origin?: string; host?: string } = {}): Viewer {
  const token = options.token ?? url.searchParams.get('token') ?? '';
  const ws = new WebSocket(`ws://${url.host}/live?token=${encodeURIComponent(token)}`, {
    origin: options.origin ?? url.origin,
    headers: options.host === undefined ? {} : { Host: options.host },
    perMessageDeflate: false,
  });
  const frames: ServerFrame[] = [];
  ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as ServerFrame));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('error', () => undefined);
  return { ws, frames, closed, send: (frame) => ws.send(JSON.stringify(frame)) };
}

export function opened(v: Viewer): Promise<void> {
  return new Promise((resolve, reject) => {
    v.ws.once('open', () => resolve());
    v.ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode ?? 0}`)));
    v.ws.once('error', reject);
  });
}

/** The HTTP status a refused upgrade answered with. */
export function refusedWith(v: Viewer): Promise<number> {
  return new Promise((resolve, reject) => {
    v.ws.once('open', () => reject(new Error('the upgrade was accepted')));
    v.ws.once('unexpected-response', (_req, res: http.IncomingMessage) => resolve(res.statusCode ?? 0));
  });
}

/** A GET on the UI server with an optional Host header. */
export function get(url: URL, path: string, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port: url.port, path, headers: host === undefined ? {} : { Host: host } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
  });
}
