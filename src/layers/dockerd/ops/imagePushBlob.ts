import { payloadFor, replyOf } from '../../catalogue.ts';
import { shortId } from '../../../model/digest.ts';
import type { Effect } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { headerOf, refusalText, registryCall, type Answer, type ProgressLines } from './authRegistry.ts';
import { pushBlobContainerd } from './imagePushContainerd.ts';
import { asMessage } from './request.ts';

type Gen<T> = Generator<Effect, T, unknown>;

/** Where a push goes: the registry's host, the repository's path there, and whether a token is held. */
export interface PushTarget {
  host: string;
  path: string;
  /** A token is held (Engine 29's pusher gets it on the first 401 and keeps it for the push). */
  bearer: boolean;
}

/** A blob to push: a layer (shown by `id` on the progress stream) or the config (not shown). */
export interface PushBlob {
  digest: string;
  /** Its size as the image record knows it (the manifest's descriptor). */
  size: number;
  id?: string;
  /** Another repository of the same registry that has the blob: asked to mount it first. */
  mountFrom?: string;
}

function headers(target: PushTarget): Record<string, string> {
  return target.bearer ? { Authorization: 'Bearer …' } : {};
}

/** An upload session's `Location`, absolute or relative to the registry (distribution spec). */
function locationOf(answer: Answer, host: string): { host: string; path: string } | undefined {
  const location = headerOf(answer, 'location');
  if (location === undefined) return undefined;
  const absolute = /^https?:\/\/([^/?#]+)(.*)$/.exec(location);
  if (absolute) return { host: absolute[1] ?? host, path: absolute[2] || '/' };
  return { host, path: location.startsWith('/') ? location : `/${location}` };
}

/** `?digest=` added to the session's URL as Go's url.Values encodes it. */
function withDigest(path: string, digest: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

/**
 * The blob's size, from the store the push reads it from: containerd's content store
 * (`Content.Info`, the image store of Engine 29 and of this engine), or dockerd's own layer
 * store in the classic profile.
 */
function* blobSize(d: Daemon, { digest, size }: PushBlob): Gen<number | string> {
  if (d.profile === 'classic') {
    d.self('dockerd.layerStore.open', `layer store: open ${shortId(digest)} for upload`);
    return size;
  }
  const info = replyOf(
    asMessage(
      yield d.call('containerd', 'ctrd.Content.Info', `Content.Info(${shortId(digest)})`, {
        payload: payloadFor('ctrd.Content.Info', { digest }),
      }),
    ),
    'ctrd.Content.Info',
  );
  return info.ok ? info.payload.size : info.error;
}

/**
 * The upload itself (docker/distribution blob_writer.go): `POST` opens a session, `PATCH`
 * streams the bytes (the transport reads them from the content store), `PUT ?digest=` commits.
 */
function* upload(
  d: Daemon,
  target: PushTarget,
  blob: PushBlob,
  size: number,
  out: ProgressLines,
): Gen<string | 'mounted' | undefined> {
  // Go's url.Values encodes its keys sorted: `from` before `mount` (measured).
  const mount =
    blob.mountFrom === undefined
      ? ''
      : `?from=${encodeURIComponent(blob.mountFrom)}&mount=${encodeURIComponent(blob.digest)}`;
  const post = yield* registryCall(
    d,
    {
      method: 'POST',
      host: target.host,
      path: `/v2/${target.path}/blobs/uploads/${mount}`,
      headers: headers(target),
    },
    out,
    undefined,
    mount === '' ? undefined : 'registry.post.mount',
  );
  if (post.status === 201 && mount !== '') return 'mounted';
  // A mount the registry declines opens an upload session instead (202), which the bytes go into.
  const session = post.status === 202 ? locationOf(post, target.host) : undefined;
  if (session === undefined) return refusalText(post);
  const body =
    blob.id === undefined ? { digest: blob.digest, size } : { digest: blob.digest, size, id: blob.id };
  const patch = yield* registryCall(
    d,
    {
      method: 'PATCH',
      host: session.host,
      path: session.path,
      headers: headers(target),
      upload: body,
      size,
      ...(blob.id === undefined ? {} : { layer: true }),
    },
    out,
  );
  if (patch.status !== 202 && patch.status !== 204) return refusalText(patch);
  const next = locationOf(patch, session.host) ?? session;
  const put = yield* registryCall(
    d,
    { method: 'PUT', host: next.host, path: withDigest(next.path, blob.digest), headers: headers(target) },
    out,
  );
  return put.status === 201 ? undefined : refusalText(put);
}

/**
 * One blob to the registry, as dockerd's pusher does it (moby distribution/push_v2.go Upload,
 * docker/distribution registry/client blob_writer.go; measured against a loopback registry with
 * dockerd 20.10): `HEAD` the blob in the target repository ("Layer already exists" on 200), else
 * ask to mount it from another repository of the registry that has it ("Mounted from …" on 201),
 * else `POST` an upload session, `PATCH` the bytes into it, `PUT ?digest=` to commit; then `HEAD`
 * it again (the client's Stat after Commit). Returns the error text, or undefined when it is there.
 */
export function* pushBlob(
  d: Daemon,
  target: PushTarget,
  blob: PushBlob,
  out: ProgressLines,
): Gen<string | undefined> {
  const size = yield* blobSize(d, blob);
  if (typeof size === 'string') return size;
  if (d.profile !== 'classic')
    return told(yield* pushBlobContainerd(d, target, blob, size, out), blob, size, out);
  const blobPath = `/v2/${target.path}/blobs/${blob.digest}`;
  const head = yield* registryCall(
    d,
    { method: 'HEAD', host: target.host, path: blobPath, headers: headers(target) },
    out,
  );
  if (head.error !== undefined) return head.error;
  if (head.status === 200) return told('exists', blob, size, out);
  const sent = yield* upload(d, target, blob, size, out);
  if (sent !== undefined && sent !== 'mounted') return sent;
  const stat = yield* registryCall(
    d,
    { method: 'HEAD', host: target.host, path: blobPath, headers: headers(target) },
    out,
  );
  if (stat.status !== 200) return refusalText(stat);
  return told(sent === 'mounted' ? 'mounted' : 'pushed', blob, size, out);
}

/** A layer's closing lines ("Layer already exists", "Mounted from …", "Pushed"); the config has none. */
function told(
  outcome: 'exists' | 'mounted' | 'pushed' | { error: string },
  blob: PushBlob,
  size: number,
  out: ProgressLines,
): string | undefined {
  if (typeof outcome === 'object') return outcome.error;
  if (blob.id === undefined) return undefined;
  if (outcome === 'exists') {
    out.write({ status: 'Layer already exists', progressDetail: {}, id: blob.id });
  } else if (outcome === 'mounted') {
    out.write({ status: `Mounted from ${blob.mountFrom ?? ''}`, progressDetail: {}, id: blob.id });
  } else {
    out.write({ status: 'Pushing', progressDetail: { current: size, total: size }, id: blob.id });
    out.write({ status: 'Pushed', progressDetail: {}, id: blob.id });
  }
  return undefined;
}
