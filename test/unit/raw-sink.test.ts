// A streamed answer (`docker export`, `docker cp` out of a container) that fails after its first
// bytes can no longer change its status: RawSink cuts the connection, so the client reads a
// broken stream instead of a short answer that looks whole.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { RawSink } from '../../engine/real/session.ts';

let server: http.Server | undefined;

afterEach(async () => {
  const open = server;
  server = undefined;
  open?.closeAllConnections();
  if (open !== undefined) await new Promise((resolve) => open.close(resolve));
});

/** The body a client reads from a server whose answer ends with `ok`, or the client's error. */
async function answer(ok: boolean): Promise<{ status: number; body: string } | { error: string }> {
  server = http.createServer((_req, res) => {
    const sink = new RawSink(res, 'application/x-tar');
    void sink.write(Buffer.from('first bytes')).then(() => sink.end(ok));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', (e) => resolve({ error: e.message }));
      })
      .on('error', (e) => resolve({ error: e.message }));
  });
}

it('ends a whole answer normally', async () => {
  expect(await answer(true)).toEqual({ status: 200, body: 'first bytes' });
});

it('cuts the connection when the work failed after the first bytes', async () => {
  expect(await answer(false)).toEqual({ error: 'aborted' });
});
