// The Registry participant's real answer: the request the dockerd machine asked for, sent for
// real (distribution spec, https://github.com/opencontainers/distribution-spec/blob/main/spec.md).
// The machine does the protocol (ping, token, manifests, blobs); this transport does only what a
// Go http.RoundTripper with docker's authorizer would: it puts the real token where the machine
// wrote `Bearer …`, adds Basic credentials for hosts that asked for them, and streams a blob's
// body into the content store while checking its size and digest, so a half-written or lying
// blob is never visible.
import { STATUS_CODES } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { RegistryRequest, RegistryResponse } from '../../src/ports/registry.ts';
import type { RoundTripInput } from '../../src/layers/registry/registryMachine.ts';
import { isDigest, sha256, shortId } from '../image/digest.ts';
import { send, readBody, isLoopbackHost, type HttpResponse } from '../image/registry/http.ts';
import { goErrorText } from '../image/registry/errors.ts';
import { verifiedBody } from '../image/registry/verify.ts';
import { sessionEffect, type RealSession, type SessionFinder } from './session.ts';

/** Small JSON bodies the machines read (tokens, manifests, configs, errors); blobs stream to disk. */
const MAX_DOCUMENT = 4 << 20;
const BLOB_PATH = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]{64})$/;

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    // Go's http.Header canonical form, as the machines read `WWW-Authenticate`.
    const canonical = name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
    out[canonical] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function headersFor(session: RealSession, request: RegistryRequest): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': 'dockstep' };
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() !== 'authorization') headers[name] = value;
  }
  const token = session.tokens.get(request.host);
  const creds = session.options.credentials;
  const asked = request.headers.Authorization;
  // The machines write `Bearer …` (they never hold a token); a caller with a real one sends it.
  if (asked !== undefined && asked !== 'Bearer …') headers.Authorization = asked;
  else if (asked !== undefined && token !== undefined) headers.Authorization = `Bearer ${token}`;
  // Credentials go to a token server, and to a registry that asked for Basic auth itself.
  else if (creds !== undefined && (session.basicHosts.has(request.host) || !request.path.startsWith('/v2/')))
    headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  return headers;
}

function urlOf(request: RegistryRequest): URL {
  const scheme = isLoopbackHost(request.host) ? 'http' : 'https';
  return new URL(`${scheme}://${request.host}${request.path}`);
}

/** The token server's answer names the registry it is for: keep its token for the next requests. */
function learn(session: RealSession, request: RegistryRequest, res: HttpResponse, body: Buffer): void {
  if (res.status === 401 && /^basic/i.test(String(res.headers['www-authenticate'] ?? ''))) session.basicHosts.add(request.host);
  if (res.status !== 200) return;
  if (request.path.startsWith('/v2/') && request.path.includes('/manifests/')) {
    const mediaType = String(res.headers['content-type'] ?? '').split(';')[0] ?? '';
    session.manifests.set(sha256(body), { bytes: body, mediaType });
    return;
  }
  if (request.path.startsWith('/v2/')) return;
  try {
    const doc = JSON.parse(body.toString('utf8')) as { token?: unknown; access_token?: unknown };
    const token = typeof doc.token === 'string' ? doc.token : doc.access_token;
    // The token is for the registries whose challenge pointed here.
    if (typeof token === 'string') for (const host of session.challenged) session.tokens.set(host, token);
  } catch {
    // Not JSON: the machine shows the answer and decides.
  }
}

async function fetchBlob(session: RealSession, request: RegistryRequest, res: HttpResponse, digest: string): Promise<RegistryResponse> {
  const size = request.size ?? Number(res.headers['content-length'] ?? NaN);
  const desc = { mediaType: 'application/octet-stream', digest, size };
  const id = shortId(digest);
  session.holdBlob(digest);
  let moved = 0;
  let told = 0;
  await session.root.content.ingest(desc, async (writer) => {
    const verifier = verifiedBody(res, desc, `${request.host}${request.path}`, 'size', `blob ${digest} from ${request.host}`);
    for await (const chunk of verifier as AsyncIterable<Buffer>) {
      if (!writer.write(chunk)) await writer.drained();
      moved += chunk.length;
      // A line every half megabyte, as the library's pull tells it (layer.ts), and the last one.
      if (request.layer === true && (moved - told >= 1 << 19 || moved === size)) {
        told = moved;
        session.progress({ kind: 'layer', id, status: 'Downloading', current: moved, total: size });
      }
    }
  });
  // Already in the store: the answer is not needed again.
  if (!res.body.readableEnded) res.body.destroy();
  if (request.layer === true) session.progress({ kind: 'layer', id, status: 'Download complete' });
  const response: RegistryResponse = { status: res.status, statusText: STATUS_CODES[res.status] ?? '', headers: flatHeaders(res.headers), bodySize: size };
  // A config is a document the machine reads; a layer is only bytes on disk, never read back here.
  if (request.layer !== true && size <= MAX_DOCUMENT) {
    const bytes = await session.root.content.readBytes(digest, MAX_DOCUMENT);
    if (bytes[0] === 0x7b) response.body = bytes.toString('utf8');
  }
  return response;
}

export async function realRoundTrip(session: RealSession, request: RegistryRequest): Promise<RegistryResponse> {
  const url = urlOf(request);
  let res: HttpResponse;
  try {
    res = await send({ method: request.method, url, headers: headersFor(session, request), signal: session.aborter.signal }, session.timeoutMs);
  } catch (error) {
    return { status: 0, statusText: '', headers: {}, bodySize: 0, error: `Get "${url.href}": ${goErrorText(url, error)}` };
  }
  const blob = BLOB_PATH.exec(request.path);
  if (blob && res.status === 200 && request.method === 'GET' && isDigest(blob[2] ?? '')) {
    try {
      return await fetchBlob(session, request, res, blob[2] ?? '');
    } catch (error) {
      res.body.destroy();
      return { status: 0, statusText: '', headers: {}, bodySize: 0, error: (error as Error).message };
    }
  }
  const body = request.method === 'HEAD' ? Buffer.alloc(0) : await readBody(res, MAX_DOCUMENT);
  if (res.status === 401 && request.path === '/v2/') session.challenged.add(request.host);
  learn(session, request, res, body);
  // A HEAD answers with the length a GET's body would have.
  const bodySize = request.method === 'HEAD' ? Number(res.headers['content-length'] ?? 0) : body.length;
  const response: RegistryResponse = { status: res.status, statusText: STATUS_CODES[res.status] ?? '', headers: flatHeaders(res.headers), bodySize };
  if (body.length > 0) response.body = body.toString('utf8');
  return response;
}

/** The Registry machine's `roundTrip` effect, real: done when the network has answered. */
export function realRegistryEffects(sessionOf: SessionFinder) {
  return {
    roundTrip: sessionEffect(sessionOf, (session, input: RoundTripInput) => realRoundTrip(session, input.request)),
  };
}
