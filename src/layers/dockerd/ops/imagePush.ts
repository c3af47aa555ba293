import { payloadFor, replyOf } from '../../catalogue.ts';
import { digestOf, shortId, utf8Encode } from '../../../model/digest.ts';
import {
  familiarName,
  familiarRepository,
  MEDIA_TYPES,
  parseReference,
  type ImageReference,
} from '../../../model/image.ts';
import type { Message } from '../../../model/message.ts';
import { repositoryScope } from '../../../model/registryAuth.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { configDigestOf, type ImageRecord } from '../records.ts';
import {
  challengeOf,
  headerOf,
  ping,
  ProgressLines,
  refusalText,
  registryCall,
  tokenRequest,
} from './authRegistry.ts';
import { pusherCall } from './imagePushContainerd.ts';
import { registryHostOf } from './imagePull.ts';
import { pushBlob, type PushTarget } from './imagePushBlob.ts';
import { listImages } from './imageLookup.ts';
import { apiRequest, asMessage } from './request.ts';
import { taggedRecords } from './imageFilters.ts';

type Gen<T> = Generator<Effect, T, unknown>;

/** dockerd's `max-concurrent-uploads` (5 by default, moby daemon/config): layers past it wait. */
const MAX_CONCURRENT_UPLOADS = 5;

/**
 * `POST /images/{name}/push?tag=…` (`docker push`), as dockerd 20.10 pushes (moby
 * distribution/push.go, push_v2.go; measured against a loopback registry:
 * test/fixtures/real-engine/n-push-login-requests.txt): the answer is a 200
 * progress stream from its first line, "The push refers to repository […]", written before the
 * image is looked for; every failure after it is the stream's error line. Then the ping and the
 * token for `push,pull`, the layers top first ("Preparing", then each "Layer already exists",
 * "Mounted from <repository>", or "Pushing" and "Pushed"), the config, the manifest under the tag, "<tag>: digest: … size: N"
 * and the aux line with Tag, Digest and Size, and the `push` event. Without a tag every tag of
 * the repository is pushed. Each blob is read from the content store and sent by the registry
 * round trip itself: the messages carry its digest, never its bytes.
 */
export function* imagePush(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const named = pushReference(target, query.tag ?? '');
  // A name that does not parse is not an invalid-parameter error in moby's push: 500 (measured).
  if ('error' in named) return d.error(req, 500, named.error);
  const { repo, tag } = named;
  const out = new ProgressLines();
  // The repository's full name (moby: repoInfo.Name.Name()): `docker.io/library/busybox`.
  out.write({ status: `The push refers to repository [${repo.name}]` });
  const all = yield* listImages(d);
  const images = tagsToPush(all, repo, tag);
  if (typeof images === 'string') return failed(d, req, out, images);
  // Engine 29 (containerd's pusher) sends no ping: its first request gets the token on a 401.
  const bearer = d.profile === 'classic' ? yield* pushAuth(d, repo, out) : false;
  if (typeof bearer === 'string') return failed(d, req, out, bearer);
  const where = { host: registryHostOf(repo), path: repo.path, bearer, sources: mountSources(all, repo) };
  for (const image of images) {
    const error = yield* pushTag(d, image, where, out);
    if (error !== undefined) return failed(d, req, out, error);
  }
  d.reply(req, 200, out.lines, { params: { ref: familiarRepository(repo), count: images.length } });
}

/** The repository and the tag asked for (none: every tag), as moby's PushImage parses them. */
function pushReference(
  name: string,
  tag: string,
): { repo: ImageReference; tag: string | undefined } | { error: string } {
  try {
    const given = parseReference(name);
    const explicit = /:[^/]*$/.test(name.replace(/@.*$/, '')) ? given.tag : undefined;
    const repo = parseReference(given.name);
    return { repo, tag: tag !== '' ? tag : explicit };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The images to push, in dockerd's order of checks: nothing of the repository here, the asked
 * tag not here, or no tag in the repository at all — each an error after the stream's first line.
 */
function tagsToPush(
  all: ImageRecord[],
  repo: ImageReference,
  tag: string | undefined,
): ImageRecord[] | string {
  const inRepo = all.filter((r) => parseReference(r.name).name === repo.name);
  if (inRepo.length === 0) return `An image does not exist locally with the tag: ${familiarRepository(repo)}`;
  if (tag !== undefined) {
    const image = inRepo.find((r) => parseReference(r.name).tag === tag);
    return image === undefined ? `tag does not exist: ${familiarRepository(repo)}:${tag}` : [image];
  }
  const tagged = taggedRecords(inRepo);
  return tagged.length === 0 ? `no tags to push for ${familiarRepository(repo)}` : tagged;
}

/**
 * The ping and, on a Bearer challenge, a token for `repository:<path>:push,pull` (measured: the
 * token server is asked for both). True when a token is held; a refusal's text otherwise.
 */
function* pushAuth(d: Daemon, repo: ImageReference, out: ProgressLines): Gen<boolean | string> {
  const probe = yield* ping(d, registryHostOf(repo), out);
  if (probe.error !== undefined) return probe.error;
  const challenge = probe.status === 401 ? challengeOf(probe) : undefined;
  // A Basic challenge has no token server: the transport sends the credentials itself.
  if (challenge === undefined || challenge.scheme === 'basic') return false;
  const token = tokenRequest(challenge, [['scope', repositoryScope(repo.path, ['push', 'pull'])]]);
  if (token === undefined) return `bad token realm ${JSON.stringify(challenge.params['realm'] ?? '')}`;
  const answer = yield* registryCall(d, { method: 'GET', ...token, headers: {} }, out);
  return answer.status === 200 ? true : refusalText(answer);
}

/**
 * The images of other repositories of the same registry that came from it (they have a
 * repository digest): a blob of theirs can be mounted rather than sent again. dockerd keeps
 * where each layer came from (moby distribution/metadata v2_metadata_service.go); these are
 * the names of that knowledge here.
 */
function mountSources(all: ImageRecord[], repo: ImageReference): ImageRecord[] {
  return all.filter((r) => {
    const ref = parseReference(r.name);
    return r.repoDigest !== '' && ref.domain === repo.domain && ref.path !== repo.path;
  });
}

/** The repository a blob can be mounted from, if any. */
function mountFrom(sources: readonly ImageRecord[], digest: string): string | undefined {
  const source = sources.find((r) => r.layers.some((l) => l.digest === digest));
  return source === undefined ? undefined : parseReference(source.name).path;
}

/** The id a layer's progress lines carry: dockerd ≤ 28 names it by diff id, Engine 29 by its blob. */
function layerId(d: Daemon, layer: ImageRecord['layers'][number]): string {
  return shortId(d.namesByConfig ? layer.diffId : layer.digest);
}

/** One tag: its layers top first (moby builds the descriptors walking down from the top layer). */
function* pushTag(
  d: Daemon,
  image: ImageRecord,
  where: PushTarget & { sources: readonly ImageRecord[] },
  out: ProgressLines,
): Gen<string | undefined> {
  const layers = [...image.layers].reverse();
  const ids = layers.map((l) => layerId(d, l));
  for (const id of ids) out.write({ status: 'Preparing', progressDetail: {}, id });
  for (const id of ids.slice(MAX_CONCURRENT_UPLOADS))
    out.write({ status: 'Waiting', progressDetail: {}, id });
  for (const [i, layer] of layers.entries()) {
    const failedLayer = yield* pushBlob(
      d,
      where,
      {
        digest: layer.digest,
        size: layer.size,
        id: ids[i] ?? '',
        ...optional(mountFrom(where.sources, layer.digest)),
      },
      out,
    );
    if (failedLayer !== undefined) return failedLayer;
  }
  const failedConfig = yield* pushBlob(
    d,
    where,
    { digest: configDigestOf(image), size: utf8Encode(image.configText).length },
    out,
  );
  if (failedConfig !== undefined) return failedConfig;
  return yield* pushManifest(d, image, where, out);
}

/** The manifest's bytes, as they are stored: `Content.ReaderAt` (the push sends exactly these). */
function* manifestText(d: Daemon, image: ImageRecord): Gen<{ text: string } | { error: string }> {
  const digest = image.manifestDigest;
  if (d.profile === 'classic') {
    d.self('dockerd.imageStore.get', `image store: manifest ${shortId(digest)}`);
    const text = d.ports.content.read?.(digest);
    return text === undefined ? { error: `content digest ${digest}: not found` } : { text };
  }
  const read = replyOf(
    asMessage(
      yield d.call('containerd', 'ctrd.Content.ReaderAt', `Content.ReaderAt(${shortId(digest)})`, {
        payload: payloadFor('ctrd.Content.ReaderAt', { digest }),
      }),
    ),
    'ctrd.Content.ReaderAt',
  );
  return read.ok ? { text: read.payload.text } : { error: read.error };
}

/**
 * The manifest under the tag, then the lines that close the tag's push, the name's new
 * repository digest (the registry names the manifest now) and the `push` event (moby
 * LogImageEvent(FamiliarString(ref), FamiliarName(ref), "push"), measured on dockerd 20.10).
 */
function* pushManifest(
  d: Daemon,
  image: ImageRecord,
  where: PushTarget,
  out: ProgressLines,
): Gen<string | undefined> {
  const read = yield* manifestText(d, image);
  if ('error' in read) return read.error;
  const tag = parseReference(image.name).tag ?? 'latest';
  const mediaType = mediaTypeOf(read.text);
  const digest = digestOf(read.text);
  const path = `/v2/${where.path}/manifests/${tag}`;
  const sent =
    d.profile === 'classic'
      ? yield* putManifestClassic(d, where, { path, mediaType, text: read.text }, out)
      : yield* putManifestContainerd(d, where, { path, mediaType, text: read.text, digest }, out);
  if (sent !== undefined) return sent;
  const size = utf8Encode(read.text).length;
  out.write({ status: `${tag}: digest: ${digest} size: ${size}` });
  out.write({ progressDetail: {}, aux: { Tag: tag, Digest: digest, Size: size } });
  yield* namePushed(d, image, { mediaType, digest, size });
  const ref = parseReference(image.name);
  d.emit('image', 'push', familiarName(ref), { name: familiarRepository(ref) });
  return undefined;
}

/** 20.10's client PUTs the manifest under the tag (moby distribution/push_v2.go pushV2Tag). */
function* putManifestClassic(
  d: Daemon,
  where: PushTarget,
  m: { path: string; mediaType: string; text: string },
  out: ProgressLines,
): Gen<string | undefined> {
  const headers: Record<string, string> = where.bearer
    ? { Authorization: 'Bearer …', 'Content-Type': m.mediaType }
    : { 'Content-Type': m.mediaType };
  const put = yield* registryCall(
    d,
    {
      method: 'PUT',
      host: where.host,
      path: m.path,
      headers,
      body: { text: m.text, mediaType: m.mediaType },
    },
    out,
  );
  return put.status === 201 ? undefined : refusalText(put);
}

/**
 * containerd's pusher checks the manifest as it checks a blob: `HEAD …/manifests/<tag>`, and a
 * 200 whose Docker-Content-Digest is this manifest's digest means it is there already; else the
 * PUT under the tag (containerd v2.1.5 core/remotes/docker/pusher.go push, getManifestPath).
 */
function* putManifestContainerd(
  d: Daemon,
  where: PushTarget,
  m: { path: string; mediaType: string; text: string; digest: string },
  out: ProgressLines,
): Gen<string | undefined> {
  const accept = { Accept: `${m.mediaType}, */*` };
  const head = yield* pusherCall(
    d,
    where,
    { method: 'HEAD', host: where.host, path: m.path, headers: accept },
    out,
    'registry.head.manifest',
  );
  if (head.error !== undefined) return head.error;
  if (head.status === 200 && headerOf(head, 'docker-content-digest') === m.digest) return undefined;
  if (head.status !== 200 && head.status !== 404) return refusalText(head);
  const put = yield* pusherCall(
    d,
    where,
    {
      method: 'PUT',
      host: where.host,
      path: m.path,
      headers: { 'Content-Type': m.mediaType },
      body: { text: m.text, mediaType: m.mediaType },
    },
    out,
  );
  return [200, 201, 202, 204].includes(put.status) ? undefined : refusalText(put);
}

function optional(from: string | undefined): { mountFrom?: string } {
  return from === undefined ? {} : { mountFrom: from };
}

function mediaTypeOf(text: string): string {
  try {
    const doc = JSON.parse(text) as { mediaType?: unknown };
    return typeof doc.mediaType === 'string' ? doc.mediaType : MEDIA_TYPES.ociManifest;
  } catch {
    return MEDIA_TYPES.ociManifest;
  }
}

/**
 * The name points at what the registry now holds: dockerd ≤ 28 names the pushed manifest as the
 * name's repository digest from here on (a name made here had none). Engine 29's image store
 * names an image by its target, which the push leaves as it is.
 */
function* namePushed(d: Daemon, image: ImageRecord, target: ImageRecord['target']): Gen<void> {
  if (!d.namesByConfig) return;
  if (d.profile === 'classic') {
    d.images.set(image.name, { ...image, repoDigest: target.digest });
    d.self(
      'dockerd.imageStore.tag',
      `reference store: add ${familiarName(image.name)}@${shortId(target.digest)}`,
      { params: { ref: familiarName(image.name) } },
    );
    return;
  }
  const payload = {
    name: image.name,
    target,
    manifestDigest: target.digest,
    configDigest: configDigestOf(image),
    config: image.configText,
    layers: image.layers,
    createdMs: image.createdMs,
  };
  yield d.call(
    'containerd',
    'ctrd.Images.Create',
    `Images.Create(${image.name} → ${target.digest.slice(0, 19)}…)`,
    { payload: payloadFor('ctrd.Images.Create', payload) },
  );
}

function failed(d: Daemon, req: Message, out: ProgressLines, error: string): void {
  d.reply(req, 200, [...out.lines, { errorDetail: { message: error }, error }], {
    ok: false,
    narration: 'api.images.push.failed',
    params: { error },
  });
}
