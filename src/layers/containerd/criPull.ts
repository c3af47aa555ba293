import { digestOf, shortId } from '../../model/digest.ts';
import {
  chainIds,
  isIndexMediaType,
  MANIFEST_ACCEPT,
  selectPlatform,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type ImageReference,
} from '../../model/image.ts';
import type { JsonObject } from '../../model/json.ts';
import { manifestReference, registryHost } from '../../model/reference.ts';
import { pullTokenRequest, tokenOfAnswer } from '../../model/registryAuth.ts';
import type { Effect } from '../operation.ts';
import { loopOpen } from '../post.ts';
import type { ImageLayerRecord } from './imageService.ts';
import { asReply, K8S_NAMESPACE, type Cri, type CriImage } from './criState.ts';

/**
 * A pull by the CRI plugin: containerd's transfer service (the default in containerd 2.x,
 * internal/cri/server/images/image_pull.go) with its docker resolver, fetcher and unpacker, all
 * inside containerd. Unlike docker, containerd sends no `GET /v2/` probe: it resolves the tag
 * with `HEAD …/manifests/TAG`, answers a 401 by fetching a token from the challenge's realm,
 * and follows redirects as Go's HTTP client does (registry.k8s.io redirects every request).
 * Each layer is fetched into the content store and unpacked at once into an overlayfs snapshot
 * of the k8s.io namespace (snapshot keys are namespaced in containerd's metadata store).
 * https://github.com/containerd/containerd/blob/v2.2.0/core/remotes/docker/resolver.go
 */
type Gen<T> = Generator<Effect, T, unknown>;

interface Fetched {
  status: number;
  body: string;
  headers: Record<string, string>;
  ok: boolean;
}

const url = (host: string, path: string): string =>
  host === 'registry-1.docker.io' ? path : `https://${host}${path}`;

function* request(
  cri: Cri,
  method: 'GET' | 'HEAD',
  host: string,
  path: string,
  token: string | undefined,
  o: { block?: ReturnType<typeof loopOpen>; label?: string } = {},
): Gen<Fetched> {
  const headers: Record<string, string> = path.includes('/manifests/')
    ? { Accept: MANIFEST_ACCEPT.join(', ') }
    : {};
  if (token) headers.Authorization = 'Bearer …';
  const label = o.label ?? url(host, path);
  const reply = asReply(
    yield cri.call('Registry', 'registry.get', `${method} ${label}`, {
      payload: { method, host, path, headers },
      narration: 'cri.registry.get',
      ...(o.block ? { block: o.block } : {}),
    }),
  );
  const p = (reply.payload ?? {}) as JsonObject;
  const got: Fetched = {
    status: Number(p.status ?? 0),
    body: typeof p.body === 'string' ? p.body : '',
    headers: (p.headers ?? {}) as Record<string, string>,
    ok: reply.ok,
  };
  const location = got.headers.Location;
  if (got.status !== 307 || location === undefined) return got;
  // net/http follows the redirect, and drops Authorization for another host.
  const [, toHost = '', toPath = '/'] = /^https:\/\/([^/]+)(\/.*)$/.exec(location) ?? [];
  return yield* request(cri, method, toHost, toPath, undefined, {});
}

/** docker/authorizer: the challenge's realm, service and scope give the token URL (anonymous: GET). */
function* fetchToken(cri: Cri, challenge: string, repository: string): Gen<string | undefined> {
  const where = pullTokenRequest(challenge, repository);
  const got = yield* request(cri, 'GET', where.host, where.path, undefined);
  if (!got.ok) return undefined;
  return tokenOfAnswer(got.body)?.token;
}

/** Resolve the tag to a descriptor: HEAD, and on 401 a token and HEAD again. */
function* resolve(
  cri: Cri,
  ref: ImageReference,
  host: string,
): Gen<{ digest: string; token: string | undefined } | string> {
  const path = `/v2/${ref.path}/manifests/${manifestReference(ref)}`;
  let got = yield* request(cri, 'HEAD', host, path, undefined);
  let token: string | undefined;
  if (got.status === 401) {
    token = yield* fetchToken(cri, got.headers['WWW-Authenticate'] ?? '', ref.path);
    got = yield* request(cri, 'HEAD', host, path, token);
  }
  const digest = got.headers['Docker-Content-Digest'];
  if (!got.ok || digest === undefined)
    return `failed to resolve reference "${ref.string}": ${got.status === 404 ? `${ref.string}: not found` : `pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`}`;
  return { digest, token };
}

interface Documents {
  topDigest: string;
  topMediaType: string;
  topSize: number;
  manifest: ImageManifest;
  config: ImageConfig;
  configText: string;
}

function* documents(
  cri: Cri,
  ref: ImageReference,
  host: string,
  digest: string,
  token: string | undefined,
): Gen<Documents | string> {
  const top = yield* request(cri, 'GET', host, `/v2/${ref.path}/manifests/${digest}`, token);
  if (!top.ok || digestOf(top.body) !== digest) return `failed to fetch ${digest}`;
  const topJson = JSON.parse(top.body) as ImageIndex | ImageManifest;
  let manifestText = top.body;
  if (isIndexMediaType(topJson.mediaType)) {
    const chosen = selectPlatform(topJson as ImageIndex, { os: 'linux', architecture: 'amd64' });
    if (!chosen) return `no match for platform in manifest: not found`;
    const m = yield* request(cri, 'GET', host, `/v2/${ref.path}/manifests/${chosen.digest}`, token);
    if (!m.ok || digestOf(m.body) !== chosen.digest) return `failed to fetch ${chosen.digest}`;
    manifestText = m.body;
  }
  const manifest = JSON.parse(manifestText) as ImageManifest;
  const config = yield* request(cri, 'GET', host, `/v2/${ref.path}/blobs/${manifest.config.digest}`, token);
  if (!config.ok || digestOf(config.body) !== manifest.config.digest)
    return `failed to fetch ${manifest.config.digest}`;
  cri.ports.content.commit(manifest.config.digest, config.body.length, {});
  return {
    topDigest: digest,
    topMediaType: topJson.mediaType,
    topSize: top.body.length,
    manifest,
    config: JSON.parse(config.body) as ImageConfig,
    configText: config.body,
  };
}

/** A committed snapshot in the k8s.io namespace, named by its chain id. */
export const k8sSnapshot = (key: string): string => `${K8S_NAMESPACE}/${key}`;

function* unpack(cri: Cri, layer: ImageLayerRecord, parent: string | undefined): Gen<void> {
  const key = k8sSnapshot(`extract-${layer.chainId.slice(7, 19)}`);
  const base: JsonObject = {
    driver: 'overlayfs',
    key,
    ...(parent === undefined ? {} : { parent: k8sSnapshot(parent) }),
  };
  cri.ports.content.commit(layer.digest, layer.size, { 'containerd.io/uncompressed': layer.diffId });
  cri.self(
    'cri.content.write',
    `content store: commit ${shortId(layer.digest)} (${layer.size} bytes, sha256 verified)`,
    { params: { size: layer.size } },
  );
  yield cri.call('Storage', 'storage.prepare', `overlayfs Prepare(${key.slice(0, 31)}…)`, { payload: base });
  const l = { digest: layer.digest, diffId: layer.diffId, size: layer.size };
  yield cri.call('Storage', 'storage.apply', `walking differ: apply ${shortId(layer.digest)} onto mounts`, {
    payload: { driver: 'overlayfs', key, layer: l },
  });
  yield cri.call(
    'Storage',
    'storage.commit',
    `overlayfs Commit(${K8S_NAMESPACE}/${layer.chainId.slice(0, 19)}…)`,
    { payload: { driver: 'overlayfs', key, name: k8sSnapshot(layer.chainId) } },
  );
}

function* layers(
  cri: Cri,
  ref: ImageReference,
  host: string,
  docs: Documents,
  token: string | undefined,
): Gen<{ records: ImageLayerRecord[]; opened: boolean } | string> {
  const chains = chainIds(docs.config.rootfs.diff_ids);
  const out: ImageLayerRecord[] = [];
  let opened = false;
  for (const [i, layer] of docs.manifest.layers.entries()) {
    const record: ImageLayerRecord = {
      digest: layer.digest,
      diffId: docs.config.rootfs.diff_ids[i] ?? '',
      chainId: chains[i] ?? '',
      size: layer.size,
      uncompressedSize: layer.size,
    };
    out.push(record);
    // The unpacker skips a layer whose snapshot the namespace already has.
    if (cri.ports.snapshotter.stat(k8sSnapshot(record.chainId)) !== undefined) continue;
    const block = opened ? undefined : loopOpen('block.eachLayer', { count: docs.manifest.layers.length });
    opened = true;
    const got = yield* request(cri, 'GET', host, `/v2/${ref.path}/blobs/${layer.digest}`, token, {
      label: `${url(host, `/v2/${ref.path}/blobs/`)}${layer.digest.slice(0, 19)}…`,
      ...(block ? { block } : {}),
    });
    if (!got.ok) return `failed to fetch ${layer.digest}`;
    yield* unpack(cri, record, i === 0 ? undefined : chains[i - 1]);
  }
  return { records: out, opened };
}

/** The whole pull; the image record it stores, or containerd's error text. */
export function* pullImage(cri: Cri, ref: ImageReference): Gen<CriImage | string> {
  cri.self('cri.transfer', `Transfer(registry ${ref.string} → image store, unpack overlayfs linux/amd64)`, {
    params: { ref: ref.string },
  });
  const host = registryHost(ref.domain);
  const resolved = yield* resolve(cri, ref, host);
  if (typeof resolved === 'string') return resolved;
  const docs = yield* documents(cri, ref, host, resolved.digest, resolved.token);
  if (typeof docs === 'string') return docs;
  const fetched = yield* layers(cri, ref, host, docs, resolved.token);
  if (typeof fetched === 'string') return fetched;
  const image: CriImage = {
    id: docs.manifest.config.digest,
    repoTags: ref.tag === undefined ? [] : [ref.string.replace(/@.*$/, '')],
    repoDigests: [`${ref.name}@${docs.topDigest}`],
    size: fetched.records.reduce((n, l) => n + l.size, 0) + docs.configText.length,
    config: docs.config,
    layers: fetched.records,
    target: { mediaType: docs.topMediaType, digest: docs.topDigest, size: docs.topSize },
  };
  storeImage(cri, image, fetched.opened);
  return image;
}

/**
 * The transfer's image store creates the tag's record; the CRI plugin then adds references by
 * image id and by repo digest (createOrUpdateImageReference; the tag's own is already there).
 */
function storeImage(cri: Cri, image: CriImage, closeLoop: boolean): void {
  const names = [...image.repoTags, image.id, ...image.repoDigests];
  names.forEach((name, i) => {
    cri.state.images.set(name, image);
    cri.wire.containerdEvent({
      timestamp: cri.now(),
      namespace: K8S_NAMESPACE,
      topic: '/images/create',
      event: { name },
    });
    const block = i === 0 && closeLoop ? { block: { close: 1 } } : {};
    cri.self('cri.images.create', `Images.Create(${name.length > 60 ? `${name.slice(0, 59)}…` : name})`, {
      params: { name },
      ...block,
    });
  });
}
