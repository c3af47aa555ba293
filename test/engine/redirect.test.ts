// Blob redirects, as registries backed by object storage answer them: the client follows a 307
// to another host and must not carry the registry's Authorization there; a redirect on the same
// host keeps it. Every hop is recorded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../engine/image/digest.ts';
import { RegistryClient } from '../../engine/image/registry/client.ts';
import type { RegistryRecord } from '../../engine/image/registry/trace.ts';

const blob = Buffer.from('a blob behind a redirect\n');
const digest = sha256(blob);
const auth = `Basic ${Buffer.from('ann:secret').toString('base64')}`;
const seen: { server: string; path: string; authorization: string | undefined }[] = [];
let registry: http.Server;
let storage: http.Server;

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

describe('blob redirects', () => {
  let registryHost = '';
  beforeAll(async () => {
    storage = http.createServer((req, res) => {
      seen.push({ server: 'storage', path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'content-length': String(blob.length) }).end(blob);
    });
    const storageHost = await listen(storage);
    registry = http.createServer((req, res) => {
      seen.push({ server: 'registry', path: req.url ?? '', authorization: req.headers.authorization });
      if (req.headers.authorization !== auth)
        return void res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
      if (req.url === '/v2/') return void res.writeHead(200).end();
      if (req.url?.startsWith('/v2/app/blobs/'))
        return void res.writeHead(307, { location: `/local/${digest}` }).end();
      if (req.url?.startsWith('/local/'))
        return void res.writeHead(307, { location: `http://${storageHost}/bucket/${digest}?sig=x` }).end();
      res.writeHead(404).end();
    });
    registryHost = await listen(registry);
  });
  afterAll(async () => {
    await new Promise((r) => registry.close(r));
    await new Promise((r) => storage.close(r));
  });

  it('follows redirects, keeps Authorization on the host and drops it elsewhere, records each hop', async () => {
    const records: RegistryRecord[] = [];
    const client = new RegistryClient({
      host: registryHost,
      credentials: { username: 'ann', password: 'secret' },
      onRecord: (r) => records.push(r),
    });
    const bytes = await client.getBlob('app', {
      mediaType: 'application/octet-stream',
      digest,
      size: blob.length,
    });
    expect(bytes.equals(blob)).toBe(true);
    expect(seen.find((s) => s.path.startsWith('/local/'))?.authorization).toBe(auth);
    expect(seen.filter((s) => s.server === 'storage')).toEqual([
      { server: 'storage', path: `/bucket/${digest}?sig=x`, authorization: undefined },
    ]);
    expect(records.map((r) => `${r.purpose} ${r.status}`)).toEqual([
      'ping 401',
      'blob-redirect 307',
      'blob-redirect 307',
      'blob 200',
    ]);
    expect(records.at(-1)).toMatchObject({ digest, size: blob.length });
    expect(records.at(-1)?.url).toMatch(/\/bucket\//);
  });
});
