// The Registry participant's real answer: the request the dockerd machine asked for, sent for
// real (distribution spec, https://github.com/opencontainers/distribution-spec/blob/main/spec.md).
// The machine does the protocol (ping, token, manifests, blobs); this transport does only what a
// Go http.RoundTripper with docker's authorizer would: it puts the real token where the machine
// wrote `Bearer …`, adds Basic credentials for hosts that asked for them, and streams a blob's
// body into the content store while checking its size and digest, so a half-written or lying
// blob is never visible. A push's blob goes the other way: its PATCH (20.10) or PUT (Engine 29)
// body is streamed from the content store (the machine names it by digest), and the bytes sent
// are counted for the client's "Pushing" lines; the lines dockerd wrote before a request are
// handed on with it.
import { STATUS_CODES } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import type { RegistryRequest, RegistryResponse } from '../../src/ports/registry.ts';
import type { RoundTripInput } from '../../src/layers/registry/registryMachine.ts';
import { tokenOfAnswer } from '../../src/model/registryAuth.ts';
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
  // The machines write `Bearer …` and `Basic …` (they never hold a secret); Go's clients send
  // Basic credentials only when both parts are there.
  if (asked === 'Basic …') {
    if (creds !== undefined && creds.username !== '' && creds.password !== '')
      headers.Authorization = basicOf(creds);
  } else if (asked !== undefined && asked !== 'Bearer …') headers.Authorization = asked;
  else if (asked !== undefined && token !== undefined) headers.Authorization = `Bearer ${token}`;
  // Credentials go to a token server, and to a registry that asked for Basic auth itself.
  else if (creds !== undefined && (session.basicHosts.has(request.host) || !request.path.startsWith('/v2/')))
    headers.Authorization = basicOf(creds);
  return headers;
}

function basicOf(creds: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

function urlOf(request: RegistryRequest): URL {
  const scheme = isLoopbackHost(request.host) ? 'http' : 'https';
  return new URL(`${scheme}://${request.host}${request.path}`);
}

/** The token server's answer names the registry it is for: keep its token for the next requests. */
function learn(session: RealSession, request: RegistryRequest, res: HttpResponse, body: Buffer): void {
  if (res.status === 401 && /^basic/i.test(String(res.headers['www-authenticate'] ?? '')))
    session.basicHosts.add(request.host);
  if (res.status !== 200) return;
  if (request.method !== 'HEAD' && request.path.startsWith('/v2/') && request.path.includes('/manifests/')) {
    const mediaType = String(res.headers['content-type'] ?? '').split(';')[0] ?? '';
    session.manifests.set(sha256(body), { bytes: body, mediaType });
    return;
  }
  if (request.path.startsWith('/v2/')) return;
  // Not JSON or no token: the machine shows the answer and decides.
  const token = tokenOfAnswer(body.toString('utf8'))?.token;
  // The token is for the registries whose challenge pointed here.
  if (token !== undefined) for (const host of session.challenged) session.tokens.set(host, token);
}

async function fetchBlob(
  session: RealSession,
  request: RegistryRequest,
  res: HttpResponse,
  digest: string,
): Promise<RegistryResponse> {
  const size = request.size ?? Number(res.headers['content-length'] ?? NaN);
  const desc = { mediaType: 'application/octet-stream', digest, size };
  const id = shortId(digest);
  session.holdBlob(digest);
  let moved = 0;
  let told = 0;
  await session.root.content.ingest(desc, async (writer) => {
    const verifier = verifiedBody(
      res,
      desc,
      `${request.host}${request.path}`,
      'size',
      `blob ${digest} from ${request.host}`,
    );
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
  const response: RegistryResponse = {
    status: res.status,
    statusText: STATUS_CODES[res.status] ?? '',
    headers: flatHeaders(res.headers),
    bodySize: size,
  };
  // A config is a document the machine reads; a layer is only bytes on disk, never read back here.
  if (request.layer !== true && size <= MAX_DOCUMENT) {
    const bytes = await session.root.content.readBytes(digest, MAX_DOCUMENT);
    if (bytes[0] === 0x7b) response.body = bytes.toString('utf8');
  }
  return response;
}

/**
 * What a request sends: a blob streamed from the content store (chunked, as Go's client sends a
 * PATCH body of unknown length; a PUT of the whole blob, as containerd's pusher sends it, with
 * the descriptor's size as its Content-Length: pusher.go sets req.size), a manifest's exact
 * bytes, or nothing (Content-Length: 0).
 */
function bodyOf(
  session: RealSession,
  request: RegistryRequest,
  headers: Record<string, string>,
): Readable | Buffer | undefined {
  if (request.upload !== undefined) {
    if (request.method === 'PUT') headers['Content-Length'] = String(request.upload.size);
    return countedUpload(session, request, request.upload);
  }
  if (request.body !== undefined) {
    const bytes = Buffer.from(request.body.text, 'utf8');
    headers['Content-Length'] = String(bytes.length);
    return bytes;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') headers['Content-Length'] = '0';
  return undefined;
}

/** The blob from the store, its bytes counted as they go: a layer's "Pushing" lines (moby progress.NewProgressReader). */
function countedUpload(
  session: RealSession,
  request: RegistryRequest,
  upload: NonNullable<RegistryRequest['upload']>,
): Readable {
  const id = upload.id ?? shortId(upload.digest);
  let moved = 0;
  let told = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      moved += chunk.length;
      if (request.layer === true && (moved - told >= 1 << 19 || moved === upload.size)) {
        told = moved;
        session.progress({ kind: 'layer', id, status: 'Pushing', current: moved, total: upload.size });
      }
      done(null, chunk);
    },
  });
  return session.root.content.readStream(upload.digest).pipe(counter);
}

/** The lines dockerd wrote before this request: the client sees them now. */
function handOn(session: RealSession, request: RegistryRequest): void {
  for (const line of request.stream ?? []) session.progress({ kind: 'line', message: line });
}

/** A manifest the registry took is the one it names from now on: the image record is made from it. */
function learnPushed(session: RealSession, request: RegistryRequest, res: HttpResponse): void {
  if (request.method !== 'PUT' || request.body === undefined || res.status !== 201) return;
  const bytes = Buffer.from(request.body.text, 'utf8');
  session.manifests.set(sha256(bytes), { bytes, mediaType: request.body.mediaType });
}

export async function realRoundTrip(
  session: RealSession,
  request: RegistryRequest,
): Promise<RegistryResponse> {
  const url = urlOf(request);
  handOn(session, request);
  let res: HttpResponse;
  try {
    const headers = headersFor(session, request);
    const body = bodyOf(session, request, headers);
    res = await send(
      {
        method: request.method,
        url,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: session.aborter.signal,
      },
      session.timeoutMs,
    );
  } catch (error) {
    return {
      status: 0,
      statusText: '',
      headers: {},
      bodySize: 0,
      error: `${goMethod(request.method)} "${url.href}": ${goErrorText(url, error)}`,
    };
  }
  learnPushed(session, request, res);
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
  // Engine 29's resolver gets its challenge on the first HEAD of a manifest, not on a /v2/ ping.
  if (res.status === 401 && request.path.startsWith('/v2/')) session.challenged.add(request.host);
  learn(session, request, res, body);
  // A HEAD answers with the length a GET's body would have.
  const bodySize = request.method === 'HEAD' ? Number(res.headers['content-length'] ?? 0) : body.length;
  const response: RegistryResponse = {
    status: res.status,
    statusText: STATUS_CODES[res.status] ?? '',
    headers: flatHeaders(res.headers),
    bodySize,
  };
  if (body.length > 0) response.body = body.toString('utf8');
  return response;
}

/** Go's url.Error names the method as net/http spells it: `Get`, `Head`, `Post`, `Patch`, `Put`. */
function goMethod(method: RegistryRequest['method']): string {
  return `${method.charAt(0)}${method.slice(1).toLowerCase()}`;
}

/** The Registry machine's `roundTrip` effect, real: done when the network has answered. */
export function realRegistryEffects(sessionOf: SessionFinder) {
  return {
    roundTrip: sessionEffect(sessionOf, (session, input: RoundTripInput) =>
      realRoundTrip(session, input.request),
    ),
  };
}
