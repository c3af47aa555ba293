import { repositoryScope } from '../../../model/registryAuth.ts';
import type { Effect } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import {
  challengeOf,
  headerOf,
  refusalText,
  registryCall,
  tokenRequest,
  type Answer,
  type ProgressLines,
} from './authRegistry.ts';
import type { PushBlob, PushTarget } from './imagePushBlob.ts';
import type { RegistryRequest } from '../../../ports/registry.ts';

type Gen<T> = Generator<Effect, T, unknown>;

/**
 * Engine 29's push goes through containerd's pusher (containerd v2.1.5
 * core/remotes/docker/pusher.go dockerPusher.push, driven by moby docker-v29.0.0
 * daemon/containerd/image_push.go): no ping. Its first request gets the 401 when the registry
 * wants a token; the authorizer reads that challenge, asks the token server for
 * `repository:<path>:pull,push` (core/remotes/docker/scope.go repositoryScope) and the request
 * is sent again (request.doWithRetries, authorizer.go AddResponses). The token is then held for
 * the rest of the push.
 */
export function* pusherCall(
  d: Daemon,
  target: PushTarget,
  request: Omit<RegistryRequest, 'headers'> & { headers?: Record<string, string> },
  out: ProgressLines,
  narration?: string,
): Gen<Answer> {
  const send = (): RegistryRequest => ({
    ...request,
    headers: { ...(target.bearer ? { Authorization: 'Bearer …' } : {}), ...request.headers },
  });
  const answer = yield* registryCall(d, send(), out, undefined, narration);
  if (answer.status !== 401 || target.bearer) return answer;
  const challenge = challengeOf(answer);
  // A Basic challenge has no token server: the transport sends the credentials itself.
  if (challenge === undefined || challenge.scheme === 'basic') return answer;
  const token = tokenRequest(challenge, [['scope', repositoryScope(target.path, ['pull', 'push'])]]);
  if (token === undefined) return answer;
  const granted = yield* registryCall(d, { method: 'GET', ...token, headers: {} }, out);
  if (granted.status !== 200) return granted;
  target.bearer = true;
  return yield* registryCall(d, send(), out, undefined, narration);
}

/**
 * containerd's ErrInvalidAuthorization as the authorizer words it for a token that is refused
 * again: the challenge's `error` parameter as the server's message (authorizer.go AddResponses).
 */
function invalid(answer: Answer): string {
  const error = challengeOf(answer)?.params['error'];
  return error === undefined ? 'authorization failed' : `server message: ${error}: authorization failed`;
}

/**
 * The session's `Location` (absolute, or a path on the registry) with `?digest=` added as Go's
 * url.Values encodes it (pusher.go: q.Add, then q.Encode).
 */
function putTarget(location: string, host: string, digest: string): { host: string; path: string } {
  const absolute = /^https?:\/\/([^/?#]+)(.*)$/.exec(location);
  const path = absolute ? absolute[2] || '/' : location.startsWith('/') ? location : `/${location}`;
  return {
    host: absolute?.[1] ?? host,
    path: `${path}${path.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`,
  };
}

/**
 * One blob as containerd's pusher sends it: `HEAD …/blobs/<digest>` (200: it is there), then
 * `POST …/blobs/uploads/`, with `?mount=<digest>&from=<repository>` when another repository of
 * the registry has it (201: mounted; a 401 to the mount is sent again without it), then one
 * `PUT <Location>?digest=` carrying the whole blob (no PATCH: "TODO: Support chunked upload"),
 * whose 201 and Docker-Content-Digest commit it (pushWriter.Commit). No HEAD follows.
 * Returns 'exists', 'mounted', 'pushed' or the error text.
 */
export function* pushBlobContainerd(
  d: Daemon,
  target: PushTarget,
  blob: PushBlob,
  size: number,
  out: ProgressLines,
): Gen<'exists' | 'mounted' | 'pushed' | { error: string }> {
  const head = yield* pusherCall(
    d,
    target,
    { method: 'HEAD', host: target.host, path: `/v2/${target.path}/blobs/${blob.digest}` },
    out,
  );
  if (head.error !== undefined) return { error: head.error };
  if (head.status === 200) return 'exists';
  // A token that still gets a 401 is ErrInvalidAuthorization: "continuing with push".
  const denied = head.status === 401 && target.bearer;
  if (head.status !== 404 && !denied) return { error: refusalText(head) };
  const uploads = `/v2/${target.path}/blobs/uploads/`;
  let post: Answer | undefined;
  if (blob.mountFrom !== undefined) {
    post = yield* pusherCall(
      d,
      target,
      { method: 'POST', host: target.host, path: `${uploads}?mount=${blob.digest}&from=${blob.mountFrom}` },
      out,
      'registry.post.mount',
    );
    if (post.status === 201) return 'mounted';
    if (post.status === 401) post = undefined;
  }
  post ??= yield* pusherCall(d, target, { method: 'POST', host: target.host, path: uploads }, out);
  if (post.status === 401 && target.bearer)
    return {
      error: `push access denied, repository does not exist or may require authorization: ${invalid(post)}`,
    };
  if (post.status === 201) return 'exists';
  const location = headerOf(post, 'location');
  if (![200, 202, 204].includes(post.status) || location === undefined) return { error: refusalText(post) };
  const body =
    blob.id === undefined ? { digest: blob.digest, size } : { digest: blob.digest, size, id: blob.id };
  const put = yield* pusherCall(
    d,
    target,
    {
      method: 'PUT',
      ...putTarget(location, target.host, blob.digest),
      headers: { 'Content-Type': 'application/octet-stream' },
      upload: body,
      size,
      ...(blob.id === undefined ? {} : { layer: true }),
    },
    out,
    'registry.put.whole',
  );
  if (![200, 201, 202, 204].includes(put.status)) return { error: refusalText(put) };
  return 'pushed';
}
