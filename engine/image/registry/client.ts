// A registry client for the OCI distribution protocol, in the shape of containerd's remotes
// resolver + fetcher (https://github.com/containerd/containerd/tree/main/core/remotes/docker):
// `resolve` turns a name into verified manifest bytes (choosing a platform from an index),
// `openBlob` streams a blob verified on the fly, `roundTrip` is the one door every request goes
// through — ping first, then the Authorization the challenge asks for, a retry with a fresh
// token on 401, redirects followed without Authorization when they leave the host, and one
// RegistryRecord per hop. Push lives in push.ts on top of `roundTrip`.
//
// Lifecycle: `new RegistryClient({host})` → `ping()` (implicit, once) → `resolve()`/`openBlob()`…
// Glossary: *host* — `host[:port]` of the registry API; *repository* — the path on it
// (library/busybox); *reference* — a tag or a digest.
import type { Readable } from 'node:stream';
import { sha256, shortId } from '../digest.ts';
import { ImageError } from '../errors.ts';
import { choosePlatform, hostPlatform, type Platform } from '../platform.ts';
import {
  isIndexType,
  isManifestType,
  MANIFEST_ACCEPT,
  manifestKind,
  parseIndex,
  parseJson,
  type Descriptor,
} from '../oci.ts';
import { repositoryScope } from '../../../src/model/registryAuth.ts';
import { Authorizer, parseChallenge, type Credentials } from './auth.ts';
import { failure } from './errors.ts';
import { header, isLoopbackHost, readBody, send, type HttpRequest, type HttpResponse } from './http.ts';
import type { RecordSink } from './trace.ts';
import { BlobVerifier, verifiedBody, type VerifyMode } from './verify.ts';

export interface RegistryClientOptions {
  /** `host[:port]` of the registry API (registry-1.docker.io for docker.io). */
  host: string;
  /** Defaults to http for loopback hosts, https elsewhere. */
  scheme?: 'http' | 'https';
  credentials?: Credentials;
  /** Connect/first byte and body-silence timeout, ms (default 30 s). */
  timeoutMs?: number;
  onRecord?: RecordSink;
  userAgent?: string;
}

export interface RoundTrip {
  method: HttpRequest['method'];
  /** A path on the registry (`/v2/…`) or an absolute URL (an upload Location). */
  target: string;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  scopes: string[];
  purpose: string;
}

export interface Fetched {
  bytes: Buffer;
  desc: Descriptor;
}

export interface Resolved {
  /** What the name pointed at: an index or a manifest. */
  target: Descriptor;
  index?: Fetched;
  manifest: Fetched;
}

const MAX_MANIFEST = 4 << 20;
const MAX_REDIRECTS = 5;

export function pullScope(repository: string): string {
  return repositoryScope(repository, ['pull']);
}

export class RegistryClient {
  readonly host: string;
  readonly base: string;
  readonly timeoutMs: number;
  private readonly auth: Authorizer;
  private pinged: Promise<void> | undefined;

  constructor(private readonly options: RegistryClientOptions) {
    this.host = options.host;
    const scheme = options.scheme ?? (isLoopbackHost(options.host) ? 'http' : 'https');
    this.base = `${scheme}://${options.host}`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.auth = new Authorizer(options.host, {
      credentials: options.credentials,
      timeoutMs: this.timeoutMs,
      onRecord: options.onRecord,
      userAgent: this.userAgent,
    });
  }

  get userAgent(): string {
    return this.options.userAgent ?? 'dockstep/0.1';
  }

  /** `GET /v2/`: checks the API is there and learns its challenge (done once, before anything else). */
  ping(): Promise<void> {
    this.pinged ??= this.doPing().catch((error: unknown) => {
      this.pinged = undefined;
      throw error;
    });
    return this.pinged;
  }

  private async doPing(): Promise<void> {
    const url = new URL('/v2/', this.base);
    const started = Date.now();
    const res = await send({ method: 'GET', url, headers: { 'user-agent': this.userAgent } }, this.timeoutMs);
    const body = await readBody(res, 1 << 20).catch(() => Buffer.alloc(0));
    this.record(res, 'ping', started, { size: body.length });
    if (res.status === 401) {
      const challenge = parseChallenge(header(res, 'www-authenticate') ?? '');
      if (challenge === undefined)
        throw new ImageError(
          'unauthorized',
          `unauthorized: ${this.host} answered 401 without a challenge it could meet`,
        );
      this.auth.setChallenge(challenge);
      return;
    }
    if (res.status !== 200)
      throw failure(res.status, body, {
        method: 'GET',
        url,
        what: 'registry api /v2/',
        repository: this.host,
        withCredentials: false,
      });
  }

  record(
    res: HttpResponse,
    purpose: string,
    started: number,
    extra: { size?: number; digest?: string; error?: string; redirectedFrom?: string; method?: string } = {},
  ): void {
    this.options.onRecord?.({
      method: extra.method ?? res.method,
      url: res.url.href,
      status: res.status,
      ...((extra.digest ?? header(res, 'docker-content-digest'))
        ? { digest: extra.digest ?? header(res, 'docker-content-digest') }
        : {}),
      ...(extra.size === undefined ? {} : { size: extra.size }),
      ...(header(res, 'content-type') === undefined ? {} : { mediaType: header(res, 'content-type') }),
      purpose,
      ms: Date.now() - started,
      ...(extra.redirectedFrom === undefined ? {} : { redirectedFrom: extra.redirectedFrom }),
      ...(extra.error === undefined ? {} : { error: extra.error }),
    });
  }

  /** One request with auth, a token retry on 401 and redirects; the caller reads the body. */
  async roundTrip(rt: RoundTrip): Promise<{ res: HttpResponse; started: number }> {
    await this.ping();
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      const headers: Record<string, string> = { 'user-agent': this.userAgent, ...rt.headers };
      const authorization = await this.auth.authorization(rt.scopes);
      if (authorization !== undefined) headers['authorization'] = authorization;
      const res = await this.follow(
        { method: rt.method, url: new URL(rt.target, this.base), headers, body: rt.body },
        rt.purpose,
      );
      const replayable = rt.body === undefined || Buffer.isBuffer(rt.body);
      if (res.status === 401 && attempt === 0 && replayable && this.auth.scheme === 'bearer') {
        // An expired or too narrow token: take the new challenge, fetch a fresh token, retry once.
        res.body.resume();
        this.record(res, rt.purpose, started, { method: rt.method });
        const challenge = parseChallenge(header(res, 'www-authenticate') ?? '');
        if (challenge !== undefined) this.auth.setChallenge(challenge);
        this.auth.invalidate(rt.scopes);
        continue;
      }
      return { res, started };
    }
  }

  private async follow(req: HttpRequest, purpose: string): Promise<HttpResponse> {
    let current = req;
    for (let hop = 0; ; hop++) {
      const started = Date.now();
      const res = await send(current, this.timeoutMs);
      const location = header(res, 'location');
      const redirect =
        [301, 302, 303, 307, 308].includes(res.status) &&
        location !== undefined &&
        (current.method === 'GET' || current.method === 'HEAD');
      if (!redirect) return res;
      if (hop >= MAX_REDIRECTS) throw new ImageError('server', `too many redirects from ${req.url.href}`);
      res.body.resume();
      this.record(res, `${purpose}-redirect`, started, { method: current.method });
      const next = new URL(location, current.url);
      const headers = { ...current.headers };
      // Never hand the registry's credentials to another host (a blob store, a CDN).
      if (next.host !== current.url.host) delete headers['authorization'];
      current = { method: current.method, url: next, headers };
    }
  }

  fail(res: HttpResponse, body: Buffer, what: string, repository: string): ImageError {
    return failure(res.status, body, {
      method: res.method,
      url: res.url,
      what,
      repository: `${this.host}/${repository}`,
      withCredentials: this.options.credentials !== undefined,
    });
  }

  /** Fetches manifest bytes by tag or digest and checks them against every digest on hand. */
  async getManifest(repository: string, reference: string, expected?: Descriptor): Promise<Fetched> {
    const what = `manifest for ${this.host}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
    const { res, started } = await this.roundTrip({
      method: 'GET',
      target: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT.join(', ') },
      scopes: [pullScope(repository)],
      purpose: 'manifest',
    });
    const bytes = await readBody(res, MAX_MANIFEST);
    const digest = sha256(bytes);
    this.record(res, 'manifest', started, { size: bytes.length, digest });
    if (res.status !== 200) throw this.fail(res, bytes, what, repository);
    const claimed = header(res, 'docker-content-digest');
    const want = expected?.digest ?? (reference.startsWith('sha256:') ? reference : claimed);
    if (want !== undefined && want !== digest)
      throw new ImageError('digest-mismatch', `${what} has digest ${digest}, expected ${want}: refused`);
    if (claimed !== undefined && claimed.startsWith('sha256:') && claimed !== digest)
      throw new ImageError(
        'digest-mismatch',
        `${what} has digest ${digest} but the registry says ${claimed}: refused`,
      );
    if (expected !== undefined && expected.size !== bytes.length)
      throw new ImageError(
        'size-mismatch',
        `${what} is ${bytes.length} bytes, its descriptor says ${expected.size}`,
      );
    const doc = parseJson(bytes, what);
    const mediaType = manifestKind(doc, header(res, 'content-type'));
    if (!isIndexType(mediaType) && !isManifestType(mediaType))
      throw new ImageError('unsupported', `${what}: unsupported manifest media type ${mediaType}`);
    return { bytes, desc: { mediaType, digest, size: bytes.length } };
  }

  /** Name → manifest for `platform`, through an index when the name points at one. */
  async resolve(
    repository: string,
    reference: string,
    platform: Platform = hostPlatform(),
  ): Promise<Resolved> {
    const top = await this.getManifest(repository, reference);
    if (!isIndexType(top.desc.mediaType)) return { target: top.desc, manifest: top };
    const where = `${this.host}/${repository}:${reference}`;
    const index = parseIndex(parseJson(top.bytes, where), top.desc.mediaType, where);
    const chosen = choosePlatform(index.manifests, platform, where);
    if (!isManifestType(chosen.mediaType))
      throw new ImageError(
        'unsupported',
        `${where}: the ${chosen.platform?.architecture ?? ''} entry is a ${chosen.mediaType}, not a manifest`,
      );
    const manifest = await this.getManifest(repository, chosen.digest, chosen);
    return {
      target: top.desc,
      index: top,
      manifest: {
        bytes: manifest.bytes,
        desc: { ...manifest.desc, ...(chosen.platform ? { platform: chosen.platform } : {}) },
      },
    };
  }

  /** Streams a blob; the stream errors on a size or digest mismatch or a cut body. */
  async openBlob(repository: string, desc: Descriptor, mode: VerifyMode = 'digest'): Promise<BlobVerifier> {
    const what = `blob ${desc.digest} in ${this.host}/${repository}`;
    const { res, started } = await this.roundTrip({
      method: 'GET',
      target: `/v2/${repository}/blobs/${desc.digest}`,
      scopes: [pullScope(repository)],
      purpose: 'blob',
    });
    if (res.status !== 200) {
      const body = await readBody(res, 1 << 20).catch(() => Buffer.alloc(0));
      this.record(res, 'blob', started, { size: body.length });
      throw this.fail(res, body, what, repository);
    }
    let verifier: BlobVerifier;
    try {
      verifier = verifiedBody(res, desc, `${this.host}/${repository}`, mode, what);
    } catch (error) {
      this.record(res, 'blob', started, { size: 0, error: 'size mismatch' });
      throw error;
    }
    verifier.on('end', () =>
      this.record(res, 'blob', started, { size: verifier.bytes, digest: verifier.digest ?? desc.digest }),
    );
    verifier.on('error', (error) => {
      res.body.destroy();
      this.record(res, 'blob', started, { size: verifier.bytes, error: error.message });
    });
    return verifier;
  }

  /** A small blob (a config) read whole and verified. */
  async getBlob(repository: string, desc: Descriptor, max = 16 << 20): Promise<Buffer> {
    if (desc.size > max)
      throw new ImageError(
        'size-mismatch',
        `blob ${shortId(desc.digest)} is ${desc.size} bytes, more than ${max} allowed for it`,
      );
    const stream = await this.openBlob(repository, desc, 'digest');
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
}
