import type { JsonObject } from '../../../model/json.ts';
import { REGISTRY_PING_TIMEOUT_MS } from '../../../model/faults.ts';
import {
  parseChallenge,
  tokenRequest as tokenRequestOf,
  type Challenge,
} from '../../../model/registryAuth.ts';
import type { RegistryRequest } from '../../../ports/registry.ts';
import type { Effect } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { fetchedOf, urlPrefix, type Fetched } from './imagePull.ts';
import { asMessage } from './request.ts';

/**
 * dockerd's registry client for a push and a login, as moby's distribution client and its
 * authorizer send the requests (moby registry/auth.go, distribution/registry.go; docker/
 * distribution registry/client): each request is a message to the Registry participant, whose
 * answer comes back as it was given. A Bearer token is shown as `Bearer …` and Basic
 * credentials as `Basic …`: the messages never carry a secret (the real transport holds them).
 */
type Gen<T> = Generator<Effect, T, unknown>;

export type Answer = Fetched;

/**
 * What dockerd has written on its client's progress stream (moby pkg/progress): every line, and
 * which of them the next registry request hands on, so a real client sees them as they happen.
 */
export class ProgressLines {
  readonly lines: JsonObject[] = [];
  private handed = 0;

  write(line: JsonObject): void {
    this.lines.push(line);
  }

  /**
   * The lines written since the last request went out. "Pushing" is not handed on: the
   * transport counts the bytes itself as they go.
   */
  take(): JsonObject[] {
    const fresh = this.lines.slice(this.handed).filter((l) => l.status !== 'Pushing');
    this.handed = this.lines.length;
    return fresh;
  }
}

/** The request as a wire payload (ports/registry.ts RegistryRequest). */
function payloadOf(r: RegistryRequest, stream: ProgressLines | undefined): JsonObject {
  const p: JsonObject = { method: r.method, host: r.host, path: r.path, headers: { ...r.headers } };
  if (r.size !== undefined) p.size = r.size;
  if (r.layer === true) p.layer = true;
  if (r.upload !== undefined)
    p.upload =
      r.upload.id === undefined
        ? { digest: r.upload.digest, size: r.upload.size }
        : { digest: r.upload.digest, size: r.upload.size, id: r.upload.id };
  if (r.body !== undefined) p.body = { text: r.body.text, mediaType: r.body.mediaType };
  const lines = stream?.take() ?? [];
  if (lines.length > 0) p.stream = lines;
  return p;
}

/** A path as a request line shows it: digests shortened, an upload session's state left out. */
function shownPath(path: string): string {
  const digest = /digest=sha256(?:%3A|:)([0-9a-f]{12})[0-9a-f]{52}/.exec(path);
  const mount = /[?&]from=([^&]*)&mount=sha256(?:%3A|:)([0-9a-f]{12})/.exec(path);
  if (mount)
    return `${path.replace(/\?.*$/, '')}?from=${decodeURIComponent(mount[1] ?? '')}&mount=sha256:${mount[2] ?? ''}…`;
  // containerd's pusher names the digest first (requestWithMountFrom).
  const mountFirst = /[?&]mount=sha256(?:%3A|:)([0-9a-f]{12})[0-9a-f]*&from=([^&]*)/.exec(path);
  if (mountFirst)
    return `${path.replace(/\?.*$/, '')}?mount=sha256:${mountFirst[1] ?? ''}…&from=${mountFirst[2] ?? ''}`;
  // An upload session's query is its state (opaque, long); any other query is shown.
  const bare = (path.includes('/blobs/uploads/') ? path.replace(/\?.*$/, '') : path)
    .replace(/sha256:([0-9a-f]{12})[0-9a-f]{52}/g, 'sha256:$1…')
    .replace(/\/uploads\/([0-9a-f-]{8})[0-9a-f-]+$/, '/uploads/$1…');
  return digest ? `${bare}?digest=sha256:${digest[1] ?? ''}…` : bare;
}

/**
 * One request and its answer (`timeoutMs`: the client gives up, as the ping's 15 s do;
 * `narration`: the request's own sentence where the op's would mislead).
 */
export function* registryCall(
  d: Daemon,
  request: RegistryRequest,
  stream?: ProgressLines,
  timeoutMs?: number,
  narration?: string,
): Gen<Answer> {
  const op = `registry.${request.method.toLowerCase()}`;
  const call = d.call(
    'Registry',
    op,
    `${request.method} ${urlPrefix(request.host)}${shownPath(request.path)}`,
    { payload: payloadOf(request, stream), ...(narration === undefined ? {} : { narration }) },
  );
  const answer = yield timeoutMs === undefined ? call : { ...call, timeoutMs };
  if (answer === 'timeout') {
    const url = `${urlPrefix(request.host) || 'https://registry-1.docker.io'}${request.path}`;
    return {
      status: 0,
      statusText: 'timeout',
      body: '',
      headers: {},
      ok: false,
      error: `Get "${url}": net/http: request canceled (Client.Timeout exceeded while awaiting headers)`,
    };
  }
  return fetchedOf(asMessage(answer));
}

/** A header by name, whatever its case (RFC 9110 §5.1: Go spells them Www-Authenticate). */
export function headerOf(answer: Answer, name: string): string | undefined {
  return Object.entries(answer.headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

export type { Challenge } from '../../../model/registryAuth.ts';

/** The `WWW-Authenticate` challenge of a 401 (RFC 9110 §11.6.1), Bearer or Basic. */
export function challengeOf(answer: Answer): Challenge | undefined {
  return parseChallenge(headerOf(answer, 'www-authenticate') ?? '');
}

/** The token server's request for a challenge: its host, and its path with the query. */
export function tokenRequest(
  challenge: Challenge,
  query: [string, string][],
): { host: string; path: string } | undefined {
  const service = challenge.params['service'];
  return tokenRequestOf(challenge.params['realm'] ?? '', [
    ...query,
    ...(service === undefined ? [] : [['service', service] as const]),
  ]);
}

/** The ping, `GET /v2/` without credentials, with its deadline (moby registry.PingV2Registry). */
export function* ping(d: Daemon, host: string, stream?: ProgressLines): Gen<Answer> {
  return yield* registryCall(
    d,
    { method: 'GET', host, path: '/v2/', headers: {} },
    stream,
    REGISTRY_PING_TIMEOUT_MS,
  );
}

/**
 * A refusal in dockerd's words, as docker/distribution's HandleErrorResponse puts them
 * (registry/client/errors.go): a token server's `{"details"}` is `unauthorized: …` on a 401; a
 * distribution error body its first errcode as `<code in lowercase words>: <message>`; a 401
 * without either `unauthorized: authentication required`; anything else an unexpected status.
 */
export function refusalText(answer: Answer): string {
  if (answer.error !== undefined) return answer.error;
  let doc: { details?: unknown; errors?: { code?: unknown; message?: unknown }[] } = {};
  try {
    doc = JSON.parse(answer.body) as typeof doc;
  } catch {
    // Not JSON: the status speaks.
  }
  if (answer.status >= 400 && answer.status < 500 && typeof doc.details === 'string')
    return `${answer.status === 401 ? 'unauthorized' : 'unknown'}: ${doc.details}`;
  const first = Array.isArray(doc.errors) ? doc.errors[0] : undefined;
  if (answer.status >= 400 && answer.status < 500 && typeof first?.code === 'string')
    return `${first.code.toLowerCase().replace(/_/g, ' ')}: ${String(first.message ?? '')}`;
  if (answer.status === 401) return 'unauthorized: authentication required';
  return `received unexpected HTTP status: ${answer.status} ${answer.statusText}`.trim();
}
