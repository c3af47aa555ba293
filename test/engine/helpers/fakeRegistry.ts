// A small registry of the test's own, for what a real one will not do on demand: lie (a blob
// whose bytes are not its digest, a body cut short, a manifest that is not what its digest
// says), fail (500), hang, stream slowly, or ask for Basic credentials. It serves blobs and
// manifests from memory under /v2/<name>/…, the distribution spec's paths.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { sha256 } from '../../../engine/image/digest.ts';

export type Fault =
  'corrupt' | 'truncate' | 'longer' | 'server-error' | 'hang' | 'slow' | 'wrong-length' | 'held' | undefined;

export interface FakeRegistry {
  host: string;
  /** Requests seen, as `METHOD path`. */
  seen: string[];
  addManifest(name: string, tag: string, bytes: Buffer, mediaType: string): string;
  addBlob(bytes: Buffer): string;
  /** Decides a fault per request path (blob or manifest). */
  fault: (path: string) => Fault;
  /** Answers the requests held so far (fault `held`: an answer that waits for the test). */
  release(): void;
  stop(): Promise<void>;
}

export interface FakeOptions {
  basic?: { username: string; password: string };
}

function authorized(req: http.IncomingMessage, basic: FakeOptions['basic']): boolean {
  if (basic === undefined) return true;
  const expected = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
  return req.headers.authorization === expected;
}

function serve(res: http.ServerResponse, bytes: Buffer, type: string, digest: string, fault: Fault): void {
  if (fault === 'hang') return;
  if (fault === 'server-error') {
    res
      .writeHead(500, { 'content-type': 'application/json' })
      .end('{"errors":[{"code":"UNKNOWN","message":"boom"}]}');
    return;
  }
  let body = bytes;
  if (fault === 'corrupt') body = Buffer.from(bytes.map((b, i) => (i === bytes.length >> 1 ? b ^ 0xff : b)));
  if (fault === 'longer') body = Buffer.concat([bytes, Buffer.from('extra')]);
  const length =
    fault === 'wrong-length' ? bytes.length + 7 : fault === 'longer' ? body.length : bytes.length;
  res.writeHead(200, {
    'content-type': type,
    'content-length': String(length),
    'docker-content-digest': digest,
  });
  if (fault === 'truncate') {
    res.write(body.subarray(0, body.length >> 1), () => res.destroy());
    return;
  }
  if (fault === 'slow') {
    let at = 0;
    const step = (): void => {
      if (res.destroyed) return;
      if (at >= body.length) {
        res.end();
        return;
      }
      res.write(body.subarray(at, at + 16384));
      at += 16384;
      setTimeout(step, 20);
    };
    step();
    return;
  }
  res.end(body);
}

/** A blob's answer, now or (fault `held`) when the test releases it. */
function serveBlob(
  res: http.ServerResponse,
  bytes: Buffer,
  digest: string,
  fault: Fault,
  held: (() => void)[],
): void {
  const answer = (): void =>
    serve(res, bytes, 'application/octet-stream', digest, fault === 'held' ? undefined : fault);
  if (fault === 'held') held.push(answer);
  else answer();
}

export async function startFakeRegistry(options: FakeOptions = {}): Promise<FakeRegistry> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { bytes: Buffer; type: string; digest: string }>();
  const seen: string[] = [];
  const fake = { fault: (() => undefined) as FakeRegistry['fault'] };
  const held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push(`${req.method} ${path}`);
    if (!authorized(req, options.basic)) {
      res
        .writeHead(401, { 'www-authenticate': 'Basic realm="fake"', 'content-type': 'application/json' })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    // The API probe can hang too (a registry that takes the connection and never answers).
    if (path === '/v2/') return fake.fault(path) === 'hang' ? undefined : void res.writeHead(200).end('{}');
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(path);
    const fault = fake.fault(path);
    if (m !== null && m[2] === 'manifests') {
      const found =
        manifests.get(`${m[1]}:${m[3]}`) ?? [...manifests.values()].find((x) => x.digest === m[3]);
      if (found !== undefined) return serve(res, found.bytes, found.type, found.digest, fault);
      return void res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
    }
    if (m !== null && m[2] === 'blobs' && blobs.has(m[3] ?? ''))
      return serveBlob(res, blobs.get(m[3] ?? '') as Buffer, m[3] ?? '', fault, held);
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end('{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    seen,
    get fault() {
      return fake.fault;
    },
    set fault(f) {
      fake.fault = f;
    },
    addManifest(name, tag, bytes, type) {
      const digest = sha256(bytes);
      manifests.set(`${name}:${tag}`, { bytes, type, digest });
      return digest;
    },
    release: () => held.splice(0).forEach((answer) => answer()),
    addBlob(bytes) {
      const digest = sha256(bytes);
      blobs.set(digest, bytes);
      return digest;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves a built image (helpers/images.ts) under name:tag. */
export function serveImage(
  fake: FakeRegistry,
  name: string,
  tag: string,
  image: { layers: { blob: Buffer }[]; config: { bytes: Buffer }; manifest: { bytes: Buffer } },
): void {
  for (const l of image.layers) fake.addBlob(l.blob);
  fake.addBlob(image.config.bytes);
  fake.addManifest(name, tag, image.manifest.bytes, 'application/vnd.oci.image.manifest.v1+json');
}

/** The one account of useBasicRegistry. */
export const ANN = { username: 'ann', password: 'secret' };

/**
 * A registry that asks for Basic credentials (ANN) and serves `image()` as app:v1, up for the
 * enclosing describe: registers its beforeAll and afterAll, gives the registry once up.
 */
export function useBasicRegistry(image: () => Parameters<typeof serveImage>[3]): () => FakeRegistry {
  let basic: FakeRegistry | undefined;
  beforeAll(async () => {
    basic = await startFakeRegistry({ basic: ANN });
    serveImage(basic, 'app', 'v1', image());
  });
  afterAll(async () => basic?.stop());
  return () => {
    if (basic === undefined) throw new Error('the basic-auth registry is not up');
    return basic;
  };
}
