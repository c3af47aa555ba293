import { digestOf, shortId } from '../../../model/digest.ts';
import { errorOf as replyError, registryAnswer } from '../../catalogue.ts';
import { payloadFor } from '../../catalogue.ts';
import {
  chainIds,
  familiarName,
  isIndexMediaType,
  MAX_DEPTH_EXCEEDED,
  MAX_LAYER_DEPTH,
  parseReference,
  selectPlatform,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type ImageReference,
} from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { BlockMark, Message } from '../../../model/message.ts';
import type { ImageLayerRecord } from '../../containerd/imageService.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import type { Participant } from '../../../model/participants.ts';
import type { DockerEvent, Profile } from '../../../model/trace.ts';
import type { Ports } from '../../ports.ts';
import { loopOpen, type PostOptions } from '../../post.ts';
import { parsePlatformSpecifier } from '../../../model/platformSpec.ts';
import type { Daemon } from '../daemon.ts';
import { configDigestOf, type ImageRecord } from '../records.ts';
import { apiRequest, asMessage } from './request.ts';
import {
  pullError,
  registryHostOf,
  registryRequest,
  resolveClassic,
  resolveContainerd,
  urlPrefix,
  type EarlyFailure,
} from './imagePullResolve.ts';

export { fetchedOf, registryHostOf, urlPrefix, type EarlyFailure, type Fetched } from './imagePullResolve.ts';
import { parallelLayers } from './imagePullParallel.ts';
import { configKnown, previousImage } from './imagePullKnown.ts';
import { imageImport } from './imageImport.ts';

/**
 * `POST /images/create?fromImage=…&tag=…` — a pull. The resolver and fetcher run inside dockerd
 * in both profiles; what differs is where the result goes: profile v29 writes blobs into
 * containerd's content store and unpacks them with containerd's snapshotter (Snapshots.Prepare,
 * Diff.Apply, Snapshots.Commit), profile classic unpacks them with dockerd's overlay2 driver.
 * Registry exchange: distribution spec (token, manifest index, manifest, config, blobs), each
 * digest checked against the bytes received.
 */
type Call = ReturnType<Daemon['call']>;
type Gen<T> = Generator<Call | Effect, T, unknown>;

/**
 * Who pulls: dockerd for `docker pull` and the legacy builder's FROM, or BuildKit for its own
 * FROM (profile v29), which fetches into containerd's content store and snapshotter the same way
 * but keeps no image record of the base (`keepsImage: false`) and logs no `pull` event.
 */
export interface PullHost {
  readonly profile: Profile;
  /** Images named by their config digest (classic, and the engine measured against 20.10; Daemon.namesByConfig). */
  readonly namesByConfig?: boolean;
  readonly ports: Ports;
  readonly images: Map<string, ImageRecord>;
  readonly keepsImage?: false;
  /** Unpack layers side by side and commit them in order (imagePullParallel.ts); off by default. */
  readonly parallelUnpack?: boolean;
  /** dockerd's `max-concurrent-downloads`; 3 when absent. */
  readonly maxConcurrentDownloads?: number;
  /** Told the image that was fetched (BuildKit builds on it without an image record). */
  pulled?(record: ImageRecord): void;
  call(to: Participant, op: string, call: string, o?: PostOptions): Call;
  self(op: string, call: string, o?: PostOptions): void;
  emit(type: DockerEvent['Type'], action: string, id: string, attributes: Record<string, string>): void;
  now(): number;
}

export function* imagePull(d: Daemon, req: Message): OperationProgram {
  const { query } = apiRequest(req);
  // The same endpoint imports a tar when it names no image (image_routes.go postImagesCreate).
  if ((query.fromImage ?? '') === '' && (query.fromSrc ?? '') !== '') return yield* imageImport(d, req);
  const from = query.fromImage ?? '';
  let ref: ImageReference;
  try {
    // A tag that is a digest pins the manifest (moby's postImagesCreate: digest.Parse(tag)).
    const pinned = query.tag?.startsWith('sha256:') ? `${from}@${query.tag}` : undefined;
    ref = parseReference(pinned ?? (query.tag ? `${from}:${query.tag}` : from));
  } catch (error) {
    return d.error(req, 400, error instanceof Error ? error.message : String(error));
  }
  const platform = platformOf(query.platform);
  if (typeof platform === 'string') return d.error(req, 400, platform);
  const result = yield* pull(d, ref, platform);
  // Resolving the reference fails before any progress is written, so dockerd still answers
  // with an HTTP error (moby's distribution errors map to 404); later failures arrive inside
  // the 200 progress stream.
  if (typeof result === 'object' && 'notFound' in result)
    return d.error(req, result.code ?? 404, result.notFound);
  if (typeof result === 'string')
    return d.reply(req, 200, [{ errorDetail: { message: result }, error: result }], {
      ok: false,
      narration: 'api.images.create.failed',
      params: { error: result },
    });
  if ('error' in result)
    return d.reply(
      req,
      200,
      [...result.stream, { errorDetail: { message: result.error }, error: result.error }],
      { ok: false, narration: 'api.images.create.failed', params: { error: result.error } },
    );
  d.reply(req, 200, result, { params: { ref: familiarName(ref) } });
}

/** A pull that failed after progress was written: the stream so far, then the error. */
export interface PartialPull {
  error: string;
  stream: JsonObject[];
}

/** The `platform` query as containerd parses it; the host's, linux/amd64, when absent. */
function platformOf(text: string | undefined): { os: string; architecture: string } | string {
  const host = { os: 'linux', architecture: 'amd64' };
  if (text === undefined || text === '') return host;
  try {
    const { os, architecture } = parsePlatformSpecifier(text, host);
    return { os, architecture };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function* pull(
  d: PullHost,
  ref: ImageReference,
  platform = { os: 'linux', architecture: 'amd64' },
): Gen<JsonObject[] | string | EarlyFailure | PartialPull> {
  const stream: JsonObject[] = [{ status: `Pulling from ${ref.path}`, id: ref.tag ?? 'latest' }];
  const previous = yield* previousImage(d, ref);
  const resolved = d.profile === 'classic' ? yield* resolveClassic(d, ref) : yield* resolveContainerd(d, ref);
  if ('notFound' in resolved) return resolved;
  const { token } = resolved;
  const host = registryHostOf(ref);
  // The manifest by the digest the HEAD gave (20.10 manifestStore.Get, containerd's fetcher).
  const top = yield* registryRequest(d, 'GET', `/v2/${ref.path}/manifests/${resolved.digest}`, token, host);
  if (!top.ok)
    return top.error !== undefined ? { notFound: top.error, code: 500 } : { notFound: pullError(ref, top) };
  let manifestText = top.body;
  const topDigest = digestOf(top.body);
  // A name pinned by digest must get exactly those bytes (moby distribution/pull_v2.go).
  if (ref.digest !== undefined && topDigest !== ref.digest)
    return `manifest verification failed for digest ${ref.digest}`;
  const topJson = JSON.parse(top.body) as ImageIndex | ImageManifest;
  if (isIndexMediaType(topJson.mediaType)) {
    const chosen = selectPlatform(topJson as ImageIndex, platform);
    if (!chosen)
      return `no matching manifest for ${platform.os}/${platform.architecture} in the manifest list entries`;
    const m = yield* registryRequest(d, 'GET', `/v2/${ref.path}/manifests/${chosen.digest}`, token, host, {
      size: chosen.size,
    });
    if (!m.ok) return m.error ?? pullError(ref, m);
    if (digestOf(m.body) !== chosen.digest) return `digest mismatch for manifest ${chosen.digest}`;
    manifestText = m.body;
  }
  const manifest = JSON.parse(manifestText) as ImageManifest;
  // dockerd's layer store takes at most 125 layers (MAX_LAYER_DEPTH): refused before any download.
  if (manifest.layers.length > MAX_LAYER_DEPTH) return `failed to register layer: ${MAX_DEPTH_EXCEEDED}`;
  const configReply = yield* registryRequest(
    d,
    'GET',
    `/v2/${ref.path}/blobs/${manifest.config.digest}`,
    token,
    host,
    {
      size: manifest.config.size,
    },
  );
  if (configReply.error !== undefined) return configReply.error;
  if (!configReply.ok || digestOf(configReply.body) !== manifest.config.digest)
    return `failed to verify config ${manifest.config.digest}`;
  const config = JSON.parse(configReply.body) as ImageConfig;
  const layers = yield* fetchLayers(d, ref, manifest, config, token, stream);
  if (typeof layers === 'string') return layers;
  if ('error' in layers) return layers;
  // The loop over layers (opened on the first layer fetched) ends before the image is stored.
  const fetchedAny = stream.some((m) => m.status === 'Pull complete');
  const record: ImageRecord = {
    name: ref.string,
    id: d.profile === 'classic' || d.namesByConfig === true ? manifest.config.digest : topDigest,
    repoDigest: topDigest,
    target: { mediaType: topJson.mediaType, digest: topDigest, size: top.body.length },
    manifestDigest: digestOf(manifestText),
    config,
    configText: configReply.body,
    layers,
    createdMs: d.now(),
  };
  d.pulled?.(record);
  if (d.keepsImage !== false) yield* storeImage(d, record, fetchedAny ? { close: 1 } : undefined);
  // "Image is up to date" only when the name already pointed at this image; a new name for
  // layers that are all here is still a "newer image" (moby writeStatus; measured on dockerd
  // 20.10: test/fixtures/real-engine/pull-streams/dockerd-newtag.jsonl).
  const newer = previous !== (d.profile === 'classic' ? record.id : topDigest);
  stream.push(
    { status: `Digest: ${topDigest}` },
    {
      status: `Status: ${newer ? 'Downloaded newer image' : 'Image is up to date'} for ${familiarName(ref)}`,
    },
  );
  return stream;
}

/**
 * How many layers download at once: dockerd's `max-concurrent-downloads`, 3 by default (moby
 * daemon/config), which bounds containerd's fetch handlers in the containerd image store too.
 */
export const MAX_CONCURRENT_DOWNLOADS = 3;

export function downloadsAtOnce(d: PullHost): number {
  return d.maxConcurrentDownloads ?? MAX_CONCURRENT_DOWNLOADS;
}

export interface LayerJob {
  index: number;
  record: ImageLayerRecord;
}

/**
 * The image's layers as records (diff id and chain id from the config), and those to fetch: a
 * layer whose chain id is already unpacked "Already exists" in the stream and is skipped.
 */
export function layersToFetch(
  d: PullHost,
  manifest: ImageManifest,
  config: ImageConfig,
  stream: JsonObject[],
): { records: ImageLayerRecord[]; missing: LayerJob[] } {
  const chains = chainIds(config.rootfs.diff_ids);
  const records = manifest.layers.map((layer, i): ImageLayerRecord => ({
    digest: layer.digest,
    diffId: config.rootfs.diff_ids[i] ?? '',
    chainId: chains[i] ?? '',
    size: layer.size,
    uncompressedSize: layer.size,
  }));
  const missing: LayerJob[] = [];
  const whole = records.every((r) => alreadyHave(d, r.chainId)) && configKnown(d, manifest.config.digest);
  for (const [index, record] of records.entries()) {
    if (!alreadyHave(d, record.chainId)) missing.push({ index, record });
    // An image that is all here already gets no layer lines at all, as dockerd sends it
    // (test/fixtures/real-engine/pull-streams/dockerd-newtag.jsonl).
    else if (!whole) stream.push({ status: 'Already exists', id: shortId(record.digest) });
  }
  return { records, missing };
}

/** The snapshot a layer is unpacked into before it is committed under its chain id. */
export function extractKey(layer: ImageLayerRecord): string {
  return `extract-${layer.chainId.slice(7, 19)}`;
}

/**
 * The layers: those already unpacked are skipped; the others download up to three at once
 * (`post`: the request goes out, its answer is collected later) and unpack in order as each
 * download completes, each on the layer below it, as Docker's pull does (the "Waiting" lines).
 */
function* fetchLayers(
  d: PullHost,
  ref: ImageReference,
  manifest: ImageManifest,
  config: ImageConfig,
  token: string | undefined,
  stream: JsonObject[],
): Gen<ImageLayerRecord[] | string | PartialPull> {
  if (d.parallelUnpack === true && d.profile === 'v29')
    return yield* parallelLayers(d, ref, manifest, config, token, stream);
  const { records, missing } = layersToFetch(d, manifest, config, stream);
  for (const [n, job] of missing.entries())
    stream.push({
      status: n < downloadsAtOnce(d) ? 'Pulling fs layer' : 'Waiting',
      id: shortId(job.record.digest),
    });
  const inFlight = new Map<number, number>();
  let next = 0;
  const block = loopOpen('block.eachLayer', { count: manifest.layers.length });
  for (const job of missing) {
    while (next < missing.length && inFlight.size < downloadsAtOnce(d)) {
      const queued = missing[next++];
      if (queued)
        inFlight.set(
          queued.index,
          (yield blobRequest(d, ref, queued.record, token, next === 1 ? block : undefined)) as number,
        );
    }
    const fetched = asMessage(yield { kind: 'collect', id: inFlight.get(job.index) ?? -1 });
    inFlight.delete(job.index);
    if (!fetched?.ok) return { error: blobError(fetched, job.record), stream };
    const id = shortId(job.record.digest);
    stream.push(...downloadDone(d, id));
    const failed = yield* unpackLayer(d, job.record, records[job.index - 1]?.chainId);
    if (failed) return { error: failed, stream };
    stream.push({ status: 'Pull complete', id });
  }
  return records;
}

/**
 * The lines of a finished download: dockerd 20.10's puller says "Verifying Checksum" then
 * "Download complete" (distribution/pull_v2.go); Engine 29's progress, read from containerd's
 * content store, has no "Verifying Checksum" (moby docker-v29.0.0 daemon/containerd/progress.go).
 */
export function downloadDone(d: PullHost, id: string): JsonObject[] {
  const complete = { status: 'Download complete', id };
  return d.profile === 'classic' ? [{ status: 'Verifying Checksum', id }, complete] : [complete];
}

/**
 * Why a layer's download failed, in dockerd's words: a blob the registry does not have is
 * "unknown blob" (measured on dockerd 20.10), a transport failure its client's text.
 */
export function blobError(reply: Message | undefined, layer: ImageLayerRecord): string {
  const p = registryAnswer(reply);
  if (p.error !== undefined) return p.error;
  if (p.status === 404) return 'unknown blob';
  return `failed to fetch layer ${layer.digest}`;
}

/** A layer's download, posted without waiting: the operation goes on while it runs. */
export function blobRequest(
  d: PullHost,
  ref: ImageReference,
  layer: ImageLayerRecord,
  token: string | undefined,
  block: BlockMark | undefined,
): Effect {
  const host = registryHostOf(ref);
  const call = d.call(
    'Registry',
    'registry.get',
    `GET ${urlPrefix(host)}/v2/${ref.path}/blobs/${layer.digest.slice(0, 19)}…`,
    {
      payload: {
        method: 'GET',
        host,
        path: `/v2/${ref.path}/blobs/${layer.digest}`,
        headers: token ? { Authorization: 'Bearer …' } : {},
        size: layer.size,
        layer: true,
      },
      params: { size: layer.size },
      ...(block ? { block } : {}),
    },
  );
  return { kind: 'post', draft: call.draft };
}

export function alreadyHave(d: PullHost, chainId: string): boolean {
  if (d.profile === 'classic') return d.ports.graphdriver.stat(chainId) !== undefined;
  return d.ports.snapshotter.stat(chainId) !== undefined;
}

/** containerd's `Content.Write` of a layer's blob, its diff id as the `uncompressed` label. */
export function writeLayer(d: PullHost, layer: ImageLayerRecord): Call {
  return d.call(
    'containerd',
    'ctrd.Content.Write',
    `Content.Write(${shortId(layer.digest)}, ${layer.size} bytes, verify sha256)`,
    {
      payload: payloadFor('ctrd.Content.Write', {
        digest: layer.digest,
        size: layer.size,
        labels: { 'containerd.io/uncompressed': layer.diffId },
      }),
    },
  );
}

/**
 * Unpack one layer into a new snapshot on its parent. When the apply fails (a full disk), the
 * half-written snapshot is removed, as dockerd's layer store and containerd's unpacker do, and
 * the error is returned in the wording of each (moby layer/layer_store.go "failed to register
 * layer", containerd's unpacker "failed to extract layer").
 */
export function* unpackLayer(
  d: PullHost,
  layer: ImageLayerRecord,
  parent: string | undefined,
  written = false,
  /** How the driver reads the blob: gzipped from a registry, a plain tar from `docker load`'s archive. */
  untar = 'gunzip | untar',
): Gen<string | undefined> {
  const key = extractKey(layer);
  const base: JsonObject = parent === undefined ? { key } : { key, parent };
  const l = { digest: layer.digest, diffId: layer.diffId, size: layer.size };
  if (d.profile === 'classic') {
    yield d.call('Storage', 'storage.prepare', `overlay2 Create(${layer.chainId.slice(7, 19)}…)`, {
      payload: { ...base, driver: 'overlay2' },
    });
    const applied = asMessage(
      yield d.call('Storage', 'storage.apply', `overlay2 ApplyDiff(${untar} ${shortId(layer.digest)})`, {
        payload: { driver: 'overlay2', key, layer: l },
      }),
    );
    if (!applied?.ok) {
      yield d.call('Storage', 'storage.remove', `overlay2 Remove(${layer.chainId.slice(7, 19)}…)`, {
        payload: { driver: 'overlay2', key },
      });
      return `failed to register layer: Error processing tar file(exit status 1): ${errorOf(applied)}`;
    }
    yield d.call('Storage', 'storage.commit', `layer store: register chain ${layer.chainId.slice(7, 19)}…`, {
      payload: { driver: 'overlay2', key, name: layer.chainId },
    });
    return undefined;
  }
  if (!written) yield writeLayer(d, layer);
  yield d.call(
    'containerd',
    'ctrd.Snapshots.Prepare',
    `Snapshots.Prepare(${key}, parent=${parent?.slice(7, 19) ?? '-'})`,
    { payload: base },
  );
  const applied = asMessage(
    yield d.call('containerd', 'ctrd.Diff.Apply', `Diff.Apply(${shortId(layer.digest)} → ${key})`, {
      payload: { key, layer: l },
    }),
  );
  if (!applied?.ok) {
    yield d.call('containerd', 'ctrd.Snapshots.Remove', `Snapshots.Remove(${key})`, { payload: { key } });
    return `failed to extract layer ${layer.diffId}: ${errorOf(applied)}: unknown`;
  }
  yield d.call(
    'containerd',
    'ctrd.Snapshots.Commit',
    `Snapshots.Commit(${layer.chainId.slice(7, 19)}…, ${key})`,
    { payload: { key, name: layer.chainId } },
  );
  return undefined;
}

export function errorOf(reply: Message | undefined): string {
  return reply === undefined ? 'unknown error' : replyError(reply);
}

function* storeImage(d: PullHost, r: ImageRecord, block: BlockMark | undefined): Gen<void> {
  const b = block ? { block } : {};
  if (d.profile === 'classic') {
    d.images.set(r.name, r);
    d.self(
      'dockerd.imageStore.create',
      `image store: write imagedb/content/sha256/${shortId(r.id)}; tag ${familiarName(r.name)}`,
      { params: { ref: familiarName(r.name) }, ...b },
    );
    pulled(d, r);
    return;
  }
  const configDigest = configDigestOf(r);
  yield d.call('containerd', 'ctrd.Content.Write', `Content.Write(config ${shortId(configDigest)})`, {
    payload: { digest: configDigest, size: r.configText.length, text: r.configText },
    ...b,
  });
  const payload = payloadFor('ctrd.Images.Create', {
    name: r.name,
    target: r.target,
    manifestDigest: r.manifestDigest,
    configDigest,
    config: r.configText,
    layers: r.layers,
    createdMs: r.createdMs,
  });
  yield d.call(
    'containerd',
    'ctrd.Images.Create',
    `Images.Create(${r.name} → ${r.target.digest.slice(0, 19)}…)`,
    { payload },
  );
  pulled(d, r);
}

/**
 * The `pull` event: the reference as pulled for its actor, the repository for its `name`
 * (moby daemon/images LogImageEvent(FamiliarString(ref), FamiliarName(ref), "pull"); measured on
 * dockerd 20.10: `image pull 127.0.0.1:5000/busybox` for `busybox:v1`).
 */
function pulled(d: PullHost, r: ImageRecord): void {
  const ref = familiarName(r.name);
  d.emit('image', 'pull', ref, { name: ref.replace(/@.*$/, '').replace(/:[^:/]*$/, '') });
}

/** The words of a failed pull, whichever way it failed. */
export function pullFailure(result: string | EarlyFailure | PartialPull): string {
  return typeof result === 'string' ? result : 'error' in result ? result.error : result.notFound;
}
