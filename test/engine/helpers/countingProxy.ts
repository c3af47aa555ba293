// A counting HTTP proxy in front of a registry: forwards every request unchanged and counts
// the blob GETs per digest, so a test can see how many times a layer was downloaded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  host: string;
  blobGets: Map<string, number>;
  stop(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const blobGets = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const m = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '');
    if (req.method === 'GET' && m?.[1] !== undefined) blobGets.set(m[1], (blobGets.get(m[1]) ?? 0) + 1);
    const [hostname, port] = target.split(':');
    const upstream = http.request(
      {
        hostname,
        port: Number(port),
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target },
      },
      (up) => {
        const headers = { ...up.headers };
        // A redirect to the registry itself must come back through here to be counted.
        if (typeof headers.location === 'string')
          headers.location = headers.location.replace(
            target,
            `127.0.0.1:${(server.address() as AddressInfo).port}`,
          );
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    blobGets,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
