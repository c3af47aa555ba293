// One abort signal serves every registry request of a pull (engine/real/session.ts), so each
// request must take its abort listener away when it ends: a pull of many blobs otherwise piles
// listeners up on the signal until Node warns (MaxListenersExceededWarning past 10).
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody, send } from '../../engine/image/registry/http.ts';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/stall') {
      // Headers and a first chunk, then silence: the body is still streaming when aborted.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write('first chunk');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('registry http: the abort signal shared by a pull', () => {
  it('keeps no abort listener once a request has ended, and Node never warns', async () => {
    const aborter = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 25; i++) {
        const res = await send(
          { method: 'GET', url: new URL(`${base}/blob/${i}`), headers: {}, signal: aborter.signal },
          30_000,
        );
        expect((await readBody(res, 1 << 10)).toString()).toBe('{"ok":true}');
        // The request's 'close' follows the body's end on the next turns of the loop.
        await new Promise((r) => setImmediate(r));
        expect(getEventListeners(aborter.signal, 'abort')).toHaveLength(0);
      }
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('still cancels a body that is streaming when the signal aborts', async () => {
    const aborter = new AbortController();
    const res = await send(
      { method: 'GET', url: new URL(`${base}/stall`), headers: {}, signal: aborter.signal },
      30_000,
    );
    const reading = readBody(res, 1 << 20);
    aborter.abort();
    // Node reports the destroyed response as "aborted".
    await expect(reading).rejects.toThrow();
    expect(getEventListeners(aborter.signal, 'abort')).toHaveLength(0);
  });

  it('does not send a request whose signal is already aborted', async () => {
    const aborter = new AbortController();
    aborter.abort();
    await expect(
      send({ method: 'GET', url: new URL(`${base}/blob/x`), headers: {}, signal: aborter.signal }, 30_000),
    ).rejects.toThrow(/cancelled/);
  });
});
