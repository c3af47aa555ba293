import { MEDIA_TYPES, familiarName, familiarRepository, tryParseReference } from '../../../model/image.ts';
import { payloadFor, replyOf } from '../../catalogue.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { configDigestOf, type ImageRecord } from '../records.ts';
import { notFoundRef } from './imageDelete.ts';
import { taggedRecords } from './imageFilters.ts';
import { findRecords, listImages } from './imageLookup.ts';
import { apiRequest, asMessage } from './request.ts';
import { archiveText, type SimArchive } from '../../../model/imageArchive.ts';
import { saveClassic } from './imageSaveClassic.ts';

/**
 * `GET /images/get?names=…` and `GET /images/{name}/get` — `docker save`, as Docker 25+ writes
 * it (moby image/tarexport/save.go; Engine 29's containerd store, daemon/containerd/
 * image_exporter.go, reads the blobs through containerd's content service): one tar that is an
 * OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/…`) and a docker-archive
 * (`manifest.json`, `repositories`) at once. Every name is resolved before anything is written,
 * so an unknown one is a 404 and no tarball. Each blob is read with `Content.Read` (its bytes go
 * into the archive, never into a message); the answer carries the archive's small documents,
 * written after the blobs. One `save` event per image, named by its id.
 * https://docs.docker.com/reference/api/engine/version/v1.44/#tag/Image/operation/ImageGetAll
 */
export interface SaveImage {
  id: string;
  records: ImageRecord[];
}

/** The names asked for: `names` (repeatable) or the path's one name. */
function namesOf(req: Message): string[] {
  const { target } = apiRequest(req);
  const listed = ((req.payload ?? {}) as JsonObject).names;
  const names = Array.isArray(listed) ? listed.filter((n): n is string => typeof n === 'string') : [];
  return target !== '' ? [target] : names;
}

/** The manifest's media type: the target's, or the single-platform kind of the target's index. */
function manifestType(r: ImageRecord): string {
  if (r.manifestDigest === r.target.digest) return r.target.mediaType;
  return r.target.mediaType === MEDIA_TYPES.dockerManifestList
    ? MEDIA_TYPES.dockerManifest
    : MEDIA_TYPES.ociManifest;
}

const hexOf = (digest: string): string => digest.slice(digest.indexOf(':') + 1);
const top = (r: ImageRecord) => ({ mediaType: manifestType(r), digest: r.manifestDigest });

/** index.json, manifest.json and repositories, from the images and the manifests' sizes. */
export function saveDocuments(
  images: readonly SaveImage[],
  sizes: ReadonlyMap<string, number>,
  whole = false,
): Record<string, JsonObject | JsonObject[]> {
  const manifests: JsonObject[] = [];
  const manifest: JsonObject[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const image of images) {
    const first = image.records[0];
    if (first === undefined) continue;
    const names = taggedRecords(image.records);
    for (const r of names.length > 0 ? names : [first]) {
      const ref = tryParseReference(r.name);
      const annotations: Record<string, string> = { 'io.containerd.image.name': r.name };
      if (ref?.tag !== undefined) annotations['org.opencontainers.image.ref.name'] = ref.tag;
      manifests.push({
        ...(whole ? { mediaType: r.target.mediaType, digest: r.target.digest } : top(r)),
        size: sizes.get(whole ? r.target.digest : r.manifestDigest) ?? 0,
        annotations,
      });
      if (ref?.tag !== undefined && names.length > 0)
        (repositories[familiarRepository(ref)] ??= {})[ref.tag] = hexOf(
          first.layers.at(-1)?.digest ?? image.id,
        );
    }
    manifest.push({
      Config: `blobs/sha256/${hexOf(configDigestOf(first))}`,
      RepoTags: names.length > 0 ? names.map((r) => familiarName(r.name)) : null,
      Layers: first.layers.map((l) => `blobs/sha256/${hexOf(l.digest)}`),
    });
  }
  return {
    'index.json': { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests },
    'manifest.json': manifest,
    'oci-layout': { imageLayoutVersion: '1.0.0' },
    repositories,
  };
}

/** By id: every name of the image; by name: that name. Unknown: the name as it was given. */
export function* chosenImages(
  d: Daemon,
  names: readonly string[],
): Generator<ReturnType<Daemon['call']>, SaveImage[] | string, unknown> {
  const all = yield* listImages(d);
  const images = new Map<string, SaveImage>();
  for (const name of names) {
    const found = findRecords(all, name);
    if (found === undefined) return name;
    const image = images.get(found.id) ?? { id: found.id, records: [] };
    for (const r of found.named === undefined ? found.records : [found.named])
      if (!image.records.includes(r)) image.records.push(r);
    images.set(found.id, image);
  }
  return [...images.values()];
}

export function* imageSave(d: Daemon, req: Message): OperationProgram {
  const names = namesOf(req);
  if (names.length === 0) return d.error(req, 400, 'no image names given');
  const images = yield* chosenImages(d, names);
  // 20.10 names the image as it was given (image/tarexport/save.go parseNames).
  if (typeof images === 'string')
    return d.error(req, 404, `No such image: ${d.profile === 'classic' ? images : notFoundRef(images)}`);
  if (d.profile === 'classic') return yield* saveClassic(d, req, images);
  // Engine 29 exports each image's target, a whole index with the platforms it has (moby
  // docker-v29.0.0 daemon/containerd/image_exporter.go ExportImage, WithSkipMissing); the engine
  // measured against 20.10 (Daemon.namesByConfig) writes the platform's manifest as the target.
  const whole = !d.namesByConfig;
  const blobs = new Set<string>();
  for (const r of images.flatMap((i) => i.records))
    for (const digest of [
      ...(whole ? [r.target.digest] : []),
      r.manifestDigest,
      configDigestOf(r),
      ...r.layers.map((l) => l.digest),
    ])
      blobs.add(digest);
  const sizes = new Map<string, number>();
  for (const digest of [...blobs].sort()) {
    const reply = asMessage(
      yield d.call('containerd', 'ctrd.Content.Read', `Content.Read(${digest.slice(0, 19)}…) → archive`, {
        payload: payloadFor('ctrd.Content.Read', { digest }),
      }),
    );
    const read = replyOf(reply, 'ctrd.Content.Read');
    if (!read.ok) return d.error(req, 500, read.error);
    sizes.set(digest, read.payload.size);
  }
  for (const image of images) d.emit('image', 'save', image.id, { name: image.id });
  const archive = saveDocuments(images, sizes, whole);
  d.reply(
    req,
    200,
    { archive, tar: archiveText(tarOf(images, sizes, archive)) },
    { params: { count: images.length } },
  );
}

/** The whole tar as the simulation keeps it: the blobs (configs as text), then the documents. */
function tarOf(
  images: readonly SaveImage[],
  sizes: ReadonlyMap<string, number>,
  archive: Record<string, JsonObject | JsonObject[]>,
): SimArchive {
  const configs = new Map(images.flatMap((i) => i.records).map((r) => [configDigestOf(r), r.configText]));
  const unpacked = new Map(
    images.flatMap((i) => i.records.flatMap((r) => r.layers)).map((l) => [l.digest, l]),
  );
  const entries: SimArchive = {};
  for (const [digest, size] of sizes) {
    const layer = unpacked.get(digest);
    const blob = layer === undefined ? { digest, size } : { digest, size, unpacked: layer.uncompressedSize };
    entries[`blobs/sha256/${hexOf(digest)}`] = configs.get(digest) ?? { blob };
  }
  for (const [path, doc] of Object.entries(archive)) entries[path] = JSON.stringify(doc);
  return entries;
}
