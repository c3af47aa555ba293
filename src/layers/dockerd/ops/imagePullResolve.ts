import { registryAnswer } from '../../catalogue.ts';
import { familiarName, MANIFEST_ACCEPT, type ImageReference } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import { manifestReference, registryHost } from '../../../model/reference.ts';
import { pullTokenRequest, tokenOfAnswer } from '../../../model/registryAuth.ts';
import type { Message } from '../../../model/message.ts';
import type { Effect } from '../../operation.ts';
import { REGISTRY_PING_TIMEOUT_MS } from '../../../model/faults.ts';
import type { Daemon } from '../daemon.ts';
import type { PullHost } from './imagePull.ts';
import { asMessage } from './request.ts';

/**
 * How a pull turns a name into a manifest digest, as each engine's registry client does it.
 *
 * Classic (dockerd 20.10's own distribution client): `GET /v2/` first — the ping, with a 15 s
 * deadline, whose 401 names the token service (moby v20.10.24 distribution/registry.go
 * NewV2Repository → registry.PingV2Registry); dockerd builds the token's scope itself
 * (auth.RepositoryScope). The tag is then resolved with `HEAD /v2/NAME/manifests/TAG`, the
 * digest read from `Docker-Content-Digest`; a HEAD that fails is sent again as a GET to read the
 * registry's error (vendor/github.com/docker/distribution/registry/client/repository.go
 * tags.Get). The manifest is then fetched by digest (distribution/pull_v2.go pullV2Tag).
 * Recorded on dockerd 20.10 against a loopback registry: `GET /v2/`, `HEAD …/manifests/latest`,
 * `GET …/manifests/sha256:…`, then the blobs (test/fixtures/real-engine/pull-streams/registry-access.log).
 *
 * Engine 29 (containerd image store): containerd's docker resolver, linked into dockerd, sends
 * no ping at all. Its first request is the HEAD, which gets the 401; the authorizer reads that
 * challenge, fetches a token and the HEAD is sent again (moby docker-v29.0.0
 * daemon/containerd/resolver.go newResolverFromAuthConfig; containerd v2.1.5
 * core/remotes/docker/resolver.go dockerResolver.Resolve, request.doWithRetries,
 * authorizer.go AddResponses). A name pinned by digest is resolved with a HEAD too.
 */
type Call = ReturnType<Daemon['call']>;
type Gen<T> = Generator<Call | Effect, T, unknown>;

/** A registry's answer as the client reads it (the pull's, the push's, the login's). */
export interface Fetched {
  status: number;
  /** The reason phrase (`Internal Server Error`), or `timeout` when no answer came in time. */
  statusText: string;
  body: string;
  headers: Record<string, string>;
  ok: boolean;
  /** The exchange failed below HTTP (ports/registry.ts `error`): the client's text. */
  error?: string;
}

/** A pull that failed before any progress: dockerd still answers with an HTTP error (404 unless `code`). */
export interface EarlyFailure {
  notFound: string;
  code?: number;
}

/** The tag resolved: the manifest's digest, and the token every later request carries. */
export interface Resolved {
  digest: string;
  token: string | undefined;
}

/**
 * The host a reference's registry answers on: Docker Hub's API lives on registry-1.docker.io
 * (moby registry.IndexHostname → DefaultV2Registry).
 */
export function registryHostOf(ref: ImageReference): string {
  return registryHost(ref.domain);
}

/**
 * The URL prefix a request line shows: none for Docker Hub (the lesson's usual registry), else
 * the scheme dockerd uses, plain HTTP for the loopback registries it treats as insecure
 * (moby registry config: 127.0.0.0/8 is insecure by default).
 */
export function urlPrefix(host: string): string {
  if (host === 'registry-1.docker.io') return '';
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127\./.test(name) ? `http://${host}` : `https://${host}`;
}

/** The full URL as Go's errors print it: Docker Hub's host spelled out. */
function fullUrl(host: string, path: string): string {
  return `${urlPrefix(host) || 'https://registry-1.docker.io'}${path}`;
}

/** The Registry participant's reply as the client reads it: the reason phrase from its call. */
export function fetchedOf(reply: Message | undefined): Fetched {
  const p = registryAnswer(reply);
  const fetched: Fetched = {
    status: p.status,
    statusText: reply?.call.replace(/^\d+ /, '') ?? '',
    body: p.body ?? '',
    headers: p.headers,
    ok: Boolean(reply?.ok),
  };
  if (p.error !== undefined) fetched.error = p.error;
  return fetched;
}

/** A header by name, whatever its case (RFC 9110 §5.1): Go spells this one Www-Authenticate. */
function header(f: Fetched, name: string): string | undefined {
  return Object.entries(f.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

/** One request to a registry or its token service; `HEAD` asks for the headers only. */
export function* registryRequest(
  d: PullHost,
  method: 'GET' | 'HEAD',
  path: string,
  token: string | undefined,
  host: string,
  o: { timeoutMs?: number; size?: number } = {},
): Gen<Fetched> {
  const headers: Record<string, string> = path.includes('/manifests/')
    ? { Accept: MANIFEST_ACCEPT.join(', ') }
    : {};
  if (token) headers.Authorization = 'Bearer …';
  const payload: JsonObject = { method, host, path, headers };
  if (o.size !== undefined) payload.size = o.size;
  const op = method === 'HEAD' ? 'registry.head' : 'registry.get';
  const call = d.call('Registry', op, `${method} ${urlPrefix(host)}${path}`, { payload });
  const answer = yield o.timeoutMs === undefined ? call : { ...call, timeoutMs: o.timeoutMs };
  if (answer === 'timeout') return { status: 0, body: '', headers: {}, ok: false, statusText: 'timeout' };
  return fetchedOf(asMessage(answer));
}

/** The token service named by a challenge, asked for a pull token of the repository. */
function* fetchToken(d: PullHost, challenge: string, ref: ImageReference): Gen<Fetched> {
  const where = pullTokenRequest(challenge, ref.path);
  return yield* registryRequest(d, 'GET', where.path, undefined, where.host);
}

function tokenOf(reply: Fetched): string | undefined {
  return tokenOfAnswer(reply.body)?.token;
}

/** The reference's manifest path: by digest when pinned, else by tag. */
export function manifestPath(ref: ImageReference): string {
  return `/v2/${ref.path}/manifests/${manifestReference(ref)}`;
}

/**
 * The ping (`GET /v2/`) and, when it answers 401, the token. The ping is the one request with a
 * deadline (moby v20.10.24 registry.PingV2Registry: an http.Client with a 15 s Timeout); any
 * other answer than 401 is not an error by itself: the manifest's answer decides. The challenge
 * names no scope: dockerd asks for `repository:NAME:pull` itself.
 */
function* authenticate(d: PullHost, ref: ImageReference): Gen<string | undefined | EarlyFailure> {
  const registry = registryHostOf(ref);
  const probe = yield* registryRequest(d, 'GET', '/v2/', undefined, registry, {
    timeoutMs: REGISTRY_PING_TIMEOUT_MS,
  });
  if (probe.statusText === 'timeout') {
    d.self(
      'dockerd.registry.timeout',
      `GET /v2/: no answer in ${REGISTRY_PING_TIMEOUT_MS / 1000} s — Client.Timeout exceeded`,
      { params: { seconds: REGISTRY_PING_TIMEOUT_MS / 1000 } },
    );
    return {
      notFound: `Get "${fullUrl(registry, '/v2/')}": net/http: request canceled (Client.Timeout exceeded while awaiting headers)`,
      code: 500,
    };
  }
  if (probe.error !== undefined) return { notFound: probe.error, code: 500 };
  if (probe.status !== 401) return undefined;
  const challenge = header(probe, 'www-authenticate') ?? '';
  // A Basic challenge has no token server: the transport sends the credentials itself.
  if (/^basic/i.test(challenge)) return undefined;
  const tokenReply = yield* fetchToken(d, challenge, ref);
  // The token server refused the credentials: the pull stops there, as an authorization error.
  if (tokenReply.status === 401 || tokenReply.status === 403) {
    const why =
      registryErrorOf(tokenReply.body)?.message ?? detailsOf(tokenReply.body) ?? 'authentication required';
    return { notFound: `Get "${fullUrl(registry, manifestPath(ref))}": unauthorized: ${why}`, code: 401 };
  }
  return tokenReply.ok ? tokenOf(tokenReply) : undefined;
}

/**
 * dockerd 20.10: ping and token, then the tag's digest from a HEAD (a GET when the HEAD fails,
 * to read the registry's error). A name pinned by digest needs no HEAD.
 */
export function* resolveClassic(d: PullHost, ref: ImageReference): Gen<Resolved | EarlyFailure> {
  const auth = yield* authenticate(d, ref);
  if (typeof auth === 'object') return auth;
  if (ref.digest !== undefined) return { digest: ref.digest, token: auth };
  const host = registryHostOf(ref);
  const headed = yield* registryRequest(d, 'HEAD', manifestPath(ref), auth, host);
  const digest = header(headed, 'docker-content-digest');
  if (headed.status >= 200 && headed.status < 400 && digest !== undefined) return { digest, token: auth };
  if (headed.error !== undefined) return { notFound: headed.error, code: 500 };
  const got = yield* registryRequest(d, 'GET', manifestPath(ref), auth, host);
  if (got.error !== undefined) return { notFound: got.error, code: 500 };
  const gotDigest = header(got, 'docker-content-digest');
  if (got.ok && gotDigest !== undefined) return { digest: gotDigest, token: auth };
  return { notFound: pullError(ref, got) };
}

/**
 * Engine 29: containerd's resolver. HEAD without credentials; a 401 hands its challenge to the
 * authorizer, which fetches a token, and the HEAD goes again. A second 401 whose challenge
 * carries `error=` is the authorizer's ErrInvalidAuthorization, which dockerd words as "pull
 * access denied" (moby docker-v29.0.0 daemon/containerd/image_pull.go pullTag). A digest that no
 * manifest has is looked for among the blobs (resolver.go: "fallback to blobs on not found").
 */
export function* resolveContainerd(d: PullHost, ref: ImageReference): Gen<Resolved | EarlyFailure> {
  const host = registryHostOf(ref);
  const paths = [manifestPath(ref)];
  if (ref.digest !== undefined) paths.push(`/v2/${ref.path}/blobs/${ref.digest}`);
  let token: string | undefined;
  let failure: EarlyFailure | undefined;
  for (const path of paths) {
    let headed = yield* registryRequest(d, 'HEAD', path, token, host);
    if (headed.status === 401 && token === undefined) {
      const challenge = header(headed, 'www-authenticate') ?? '';
      // Basic: no token server; the authorizer sends the credentials itself, when it has some.
      if (/^basic/i.test(challenge)) {
        headed = yield* registryRequest(d, 'HEAD', path, undefined, host);
        if (headed.status === 401) return { notFound: resolveText(ref, NO_BASIC), code: 500 };
      } else {
        const tokenReply = yield* fetchToken(d, challenge, ref);
        if (!tokenReply.ok) return tokenFailure(ref, tokenReply);
        token = tokenOf(tokenReply);
        headed = yield* registryRequest(d, 'HEAD', path, token, host);
      }
    }
    if (headed.error !== undefined) return { notFound: resolveText(ref, headed.error), code: 500 };
    const digest = ref.digest ?? header(headed, 'docker-content-digest');
    if (headed.ok && digest !== undefined) return { digest, token };
    if (headed.status === 401 || headed.status === 403)
      return {
        notFound: `pull access denied for ${repositoryName(ref)}, repository does not exist or may require 'docker login'`,
      };
    if (headed.status === 404) failure ??= { notFound: resolveText(ref, `${ref.string}: not found`) };
    else failure = unexpected(ref, 'HEAD', fullUrl(host, path), headed);
  }
  return failure ?? { notFound: resolveText(ref, `${ref.string}: not found`) };
}

/**
 * A Basic challenge without credentials: containerd's authorizer says so (authorizer.go
 * AddResponses), the resolver calls it a denied pull, and dockerd passes it on as it is (moby
 * docker-v29.0.0 daemon/containerd/image_pull.go: "no basic auth credentials").
 */
const NO_BASIC =
  'pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials';

/** containerd client.Pull's wrapping of a resolver error (client/pull.go). */
function resolveText(ref: ImageReference, why: string): string {
  return `failed to resolve reference "${ref.string}": ${why}`;
}

/**
 * An unexpected status (containerd core/remotes/errors ErrUnexpectedStatus). A HEAD has no body
 * for dockerd to read a registry error from, so translateRegistryError words it as "unknown"
 * (moby docker-v29.0.0 daemon/containerd/registry_errors.go), answered with HTTP 500.
 */
function unexpected(ref: ImageReference, method: string, url: string, r: Fetched): EarlyFailure {
  return {
    notFound: `unknown: ${resolveText(ref, `unexpected status from ${method} request to ${url}: ${r.status} ${r.statusText}`)}`,
    code: 500,
  };
}

/** The authorizer could not get an anonymous token (containerd authorizer.go fetchToken). */
function tokenFailure(ref: ImageReference, r: Fetched): EarlyFailure {
  if (r.error !== undefined) return { notFound: resolveText(ref, r.error), code: 500 };
  const why = registryErrorOf(r.body)?.message ?? detailsOf(r.body) ?? 'authentication required';
  return { notFound: `unauthorized: ${why}`, code: 401 };
}

function repositoryName(ref: ImageReference): string {
  return familiarName(ref)
    .replace(/@.*$/, '')
    .replace(/:[^:/]*$/, '');
}

/**
 * The pull's error as dockerd 20.10 words it (moby distribution/errors.go): access denied and
 * unknown manifests are "not found"; a rate limit's registry error is printed as `code: message`
 * (errcode.Error), any other status as `received unexpected HTTP status`.
 */
export function pullError(ref: ImageReference, r: Fetched): string {
  if (r.status === 401 || r.status === 403)
    return `pull access denied for ${repositoryName(ref)}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`;
  if (r.status === 404)
    return `manifest for ${familiarName(ref)} not found: manifest unknown: manifest unknown`;
  const error = registryErrorOf(r.body);
  if (error && r.status === 429) return `${error.code.toLowerCase()}: ${error.message}`;
  return `received unexpected HTTP status: ${r.status} ${r.statusText}`.trim();
}

/** Docker Hub's token server words a refusal as `{"details": "…"}`. */
function detailsOf(body: string): string | undefined {
  try {
    const details = (JSON.parse(body) as { details?: unknown }).details;
    return typeof details === 'string' ? details : undefined;
  } catch {
    return undefined;
  }
}

function registryErrorOf(body: string): { code: string; message: string } | undefined {
  try {
    const first = (JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] }).errors?.[0];
    return typeof first?.code === 'string' && typeof first.message === 'string'
      ? { code: first.code, message: first.message }
      : undefined;
  } catch {
    return undefined;
  }
}
