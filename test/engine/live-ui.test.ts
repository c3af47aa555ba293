// The engine's live UI (`dockstep engine --ui`, engine/ui/) is a root daemon's window: only a
// page holding the printed token (or the HttpOnly cookie its first page set), served from
// 127.0.0.1 and named by a loopback Host, may watch;
// a read-only page may not touch the gate; a huge frame is refused; with two requests held, the
// stream names both, each with its request, and each release names what it let go; a page that
// stops reading is dropped while the engine keeps serving; thirty pages see the same stream.
import http from 'node:http';
import net from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Hold } from '../../src/wire/gate.ts';
import type { HoldRecord, LiveRecord, ServerFrame } from '../../src/wire/live.ts';
import { realSuite } from './helpers/caps.ts';
import { startEngine, type RunningEngine } from './helpers/engine.ts';
import { get, liveUrl, opened, refusedWith, viewer } from './helpers/live.ts';
import { tempDir } from './helpers/tmp.ts';
import { until } from './helpers/until.ts';
import { teardown } from '../../engine/net/index.ts';
import { engineBridge } from '../../engine/real/world.ts';

const work = tempDir('live-ui');
let engine: RunningEngine;
let url: URL;
const bridge = `dst${Math.random().toString(16).slice(2, 8)}`;

function recordsOf(frames: ServerFrame[]): LiveRecord[] {
  return frames.flatMap((f) => (f.type === 'records' ? f.records : []));
}

/** A client that completes the WebSocket handshake and then never reads again. */
function deafClient(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), '127.0.0.1', () =>
      socket.write(
        `GET /live?token=${url.searchParams.get('token') ?? ''} HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${url.origin}\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    socket.once('data', (head: Buffer) => {
      if (!head.toString().startsWith('HTTP/1.1 101')) reject(new Error(head.toString()));
      socket.pause();
      resolve(socket);
    });
    socket.on('error', () => undefined);
  });
}

/** A GET of the page with chosen headers: its status and the cookie it sets. */
function page(
  base: URL,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; cookie: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: base.port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0] }));
    });
    req.on('error', reject);
  });
}

/** The status of a refused upgrade. */
function upgradeStatus(ws: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error('the upgrade was accepted')));
    ws.once('unexpected-response', (_req, res: http.IncomingMessage) => resolve(res.statusCode ?? 0));
  });
}

realSuite('the engine live UI: who may watch and control', ['root'], () => {
  beforeAll(async () => {
    const site = join(work.path, 'site');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>dockstep</title>');
    writeFileSync(join(site, 'assets', 'app.js'), '');
    engine = await startEngine({
      args: ['--bridge', bridge, '--ui', '--ui-port', '0', '--ui-site', site, '--ui-viewer-buffer', '65536'],
    });
    url = await liveUrl(engine);
  }, 120_000);
  afterAll(async () => {
    if (engine) await teardown(engineBridge(engine.root, bridge));
    await engine?.stop();
    work.remove();
  }, 60_000);

  servesPage();

  cookieReload();

  it('refuses a WebSocket without the token, with a wrong one, from another Origin or Host', async () => {
    expect(await refusedWith(viewer(url, { token: '' }))).toBe(401);
    expect(await refusedWith(viewer(url, { token: 'x'.repeat(32) }))).toBe(401);
    expect(await refusedWith(viewer(url, { origin: 'http://evil.example' }))).toBe(403);
    expect(await refusedWith(viewer(url, { origin: `http://127.0.0.1:${Number(url.port) + 1}` }))).toBe(403);
    expect(await refusedWith(viewer(url, { host: `rebound.example:${url.port}` }))).toBe(403);
  });

  it('refuses control and console lines from a read-only page, visibly, and leaves the gate as it was', async () => {
    const page = viewer(url);
    await opened(page);
    await until(() => page.frames.length > 0, 'the hello');
    expect(page.frames[0]).toMatchObject({ type: 'hello', control: false });
    page.send({ type: 'hold' });
    page.send({ type: 'break', spec: { layer: 'runc', direction: 'to' } });
    page.send({ type: 'command', line: 'docker ps' });
    await until(() => page.frames.filter((f) => f.type === 'refused').length === 3, 'three refusals');
    // No console line ran: no record of a user's command came.
    expect(page.frames.some((f) => f.type === 'command')).toBe(false);
    expect(JSON.parse((await engine.request('GET', '/dockstep/v1/gate')).text)).toMatchObject({
      stepMode: false,
      breakpoints: [],
    });
    page.send({ type: 'evidence' });
    await until(() => page.frames.some((f) => f.type === 'evidence'), 'the evidence answer');
    page.ws.close();
  });

  it('closes the socket of a page that sends a frame over 1 MiB (10 MiB here)', async () => {
    const page = viewer(url);
    await opened(page);
    page.ws.send(Buffer.alloc(10 << 20, 0x20));
    expect((await page.closed).code).toBe(1009);
    // The engine goes on: another page connects and is greeted.
    const next = viewer(url);
    await opened(next);
    next.ws.close();
  });

  twoHeld();

  thirtyPages();

  deafPage();
});

function servesPage(): void {
  it('serves the page with its token only, and answers no foreign Host', async () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect(await get(url, `/?token=${url.searchParams.get('token') ?? ''}`)).toBe(200);
    expect(await get(url, '/')).toBe(403);
    expect(await get(url, '/?token=wrong')).toBe(403);
    expect(await get(url, '/index.html?token=')).toBe(403);
    expect(await get(url, '/assets/app.js')).toBe(200);
    expect(await get(url, '/../../etc/passwd')).toBe(404);
    expect(await get(url, `/?token=${url.searchParams.get('token') ?? ''}`, `evil.example:${url.port}`)).toBe(
      403,
    );
  });
}

function cookieReload(): void {
  it('keeps the token in an HttpOnly SameSite=Strict cookie: a reload without it in the address still opens the page and its socket', async () => {
    const token = url.searchParams.get('token') ?? '';
    const first = await page(url, `/?token=${token}`);
    expect(first.status).toBe(200);
    const cookie = first.cookie ?? '';
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    const pair = cookie.split(';')[0] ?? '';
    expect(pair).toBe(`dockstep-token-${url.port}=${token}`);
    // Reloaded at the address the page shows: the cookie opens it, and sets nothing new.
    const again = await page(url, '/?live', { Cookie: pair });
    expect(again).toEqual({ status: 200, cookie: undefined });
    expect((await page(url, '/?live')).status).toBe(403);
    expect(
      (await page(url, '/?live', { Cookie: `dockstep-token-${url.port}=${'x'.repeat(32)}` })).status,
    ).toBe(403);
    // Another port's cookie is another engine's: it opens nothing here.
    expect((await page(url, '/?live', { Cookie: `dockstep-token-1=${token}` })).status).toBe(403);
    const socket = (headers: Record<string, string>, origin = url.origin): WebSocket =>
      new WebSocket(`ws://${url.host}/live`, { origin, headers, perMessageDeflate: false });
    const byCookie = socket({ Cookie: pair });
    await new Promise((resolve, reject) => (byCookie.once('open', resolve), byCookie.once('error', reject)));
    byCookie.close();
    // The cookie does not lift the Origin check: another site's script is refused with it.
    expect(await upgradeStatus(socket({ Cookie: pair }, 'http://evil.example'))).toBe(403);
    expect(await upgradeStatus(socket({}))).toBe(401);
  });
}

function thirtyPages(): void {
  it('gives thirty pages the same stream', async () => {
    const pages = Array.from({ length: 30 }, () => viewer(url));
    await Promise.all(pages.map(opened));
    for (let i = 0; i < 5; i++) expect((await engine.request('GET', '/containers/json')).status).toBe(200);
    const messages = (p: (typeof pages)[number]): string[] =>
      recordsOf(p.frames).flatMap((r) =>
        'entry' in r && r.entry.type === 'message' ? [`${r.n} ${r.entry.message.call}`] : [],
      );
    const listed = (p: (typeof pages)[number]): number =>
      messages(p).filter((m) => m.endsWith(' GET /containers/json')).length;
    await until(() => pages.every((p) => listed(p) === 5), 'every page to see the five requests');
    // What came before the first request depends on when each page connected (the engine may
    // still be telling an earlier test's work): compare from the first request on, when all were.
    const since = (p: (typeof pages)[number]): string[] => {
      const all = messages(p);
      return all.slice(all.findIndex((m) => m.endsWith(' GET /containers/json')));
    };
    // Their replies may still be on the way: wait until every page has as many as the most.
    const most = (): number => Math.max(...pages.map((p) => since(p).length));
    await until(() => pages.every((p) => since(p).length === most()), 'the same count');
    const [first] = pages.map(since);
    for (const p of pages) expect(since(p)).toEqual(first);
    for (const p of pages) p.ws.close();
  }, 120_000);
}

function deafPage(): void {
  it('drops a page that never reads, and goes on serving', async () => {
    const deaf = await deafClient();
    const ended = new Promise((resolve) => deaf.once('close', resolve));
    const watching = viewer(url);
    await opened(watching);
    // Each request puts a few KiB into the stream: the deaf page's share piles up unsent.
    for (let i = 0; i < 4000 && !engine.log().includes('stopped reading was dropped'); i++) {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => engine.request('GET', '/containers/json')),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
    }
    expect(engine.log()).toMatch(/a page that stopped reading was dropped \(\d+ bytes unsent\)/);
    deaf.resume();
    await ended;
    expect(watching.ws.readyState).toBe(watching.ws.OPEN);
    watching.ws.close();
  }, 180_000);
}

/** The stream's hold records a page received. */
function holdRecords(frames: ServerFrame[]): HoldRecord[] {
  return recordsOf(frames).flatMap((r) => ('holds' in r ? [r] : []));
}

function twoHeld(): void {
  it('names every held message on the stream, each with its request, and what a release lets go', async () => {
    const page = viewer(url);
    await opened(page);
    await until(() => page.frames.length > 0, 'the hello');
    expect((await engine.request('POST', '/dockstep/v1/gate/step?on=1')).status).toBe(204);
    const answers = Promise.all([
      engine.request('GET', '/containers/json'),
      engine.request('GET', '/images/json'),
    ]);
    await until(() => holdRecords(page.frames).some((r) => r.holds.length === 2), 'two held messages');
    const both = holdRecords(page.frames).find((r) => r.holds.length === 2);
    const calls = (both?.holds ?? []).map((h) => h.next.call).sort();
    expect(calls).toEqual([
      expect.stringMatching(/^GET \/.*containers\/json/),
      expect.stringMatching(/^GET \/.*images\/json/),
    ]);
    // Two requests, each named; the oldest is the one a step lets go.
    expect(new Set(both?.holds.map((h) => h.root)).size).toBe(2);
    expect(both?.hold).toEqual(both?.holds[0]);
    await until(
      () => page.frames.some((f) => f.type === 'gate' && f.gate.holds.length === 2),
      'the gate frame with both',
    );
    // A release answers with the message it let go; the stream names it as released.
    const released = JSON.parse((await engine.request('POST', '/dockstep/v1/gate/release')).text) as Hold;
    expect(released.next.id).toBe(both?.holds[0]?.next.id);
    await until(
      () => holdRecords(page.frames).some((r) => r.released.some((h) => h.next.id === released.next.id)),
      'the release on the stream',
    );
    // Step mode off: every message still held goes, named; both requests are answered.
    expect((await engine.request('POST', '/dockstep/v1/gate/step?on=0')).status).toBe(204);
    expect((await answers).map((a) => a.status)).toEqual([200, 200]);
    await until(() => holdRecords(page.frames).at(-1)?.holds.length === 0, 'nothing held on the stream');
    expect(holdRecords(page.frames).at(-1)?.hold).toBeNull();
    page.ws.close();
  }, 120_000);
}
