import { digestOf, shortId, utf8Encode } from '../../../model/digest.ts';
import { MEDIA_TYPES } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import { familiarName, parseNormalizedNamed, referenceString } from '../../../model/reference.ts';
import { payloadFor } from '../../catalogue.ts';
import type { ImageLayerRecord } from '../../containerd/imageService.ts';
import type { Effect, OperationProgram, WorkPayload } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { alreadyHave, errorOf, unpackLayer, writeLayer } from './imagePull.ts';
import { buildFromChanges, type ImportConfig } from './importChanges.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * `POST /images/create?fromSrc=-|URL&repo=&tag=&message=&changes=` — `docker import`: one layer
 * from a tar (the request body, or what a URL answers), an image config made of the `-c` changes,
 * the image named `repo`. dockerd reads the tar itself (its `importLayer` work: real mode hashes it
 * as it comes, engine/real/imageImport.ts), writes the layer, the config and a manifest into
 * containerd's content store (Content.Write) and unpacks the layer (Snapshots.Prepare, Diff.Apply,
 * Snapshots.Commit) before it names the image (Images.Create), so a tar that cannot be unpacked
 * leaves no image — the order of dockerd 20.10, which registers the layer first (moby v20.10.24
 * daemon/images/image_import.go ImportImage); Engine 29 writes the same blobs (docker-v29.0.0
 * daemon/containerd/image_import.go). Events: `tag` with the name as given, then `import`, both
 * with the image's labels. The answer is a JSON message stream ending with the image id; a URL is
 * fetched first (`Downloading from URL`, then `Importing` progress). Recorded on 20.10:
 * 0-image-import.txt, g-errors-part1.txt, y-diff-export-import.txt.
 */
type Gen<T> = Generator<Effect | ReturnType<Daemon['call']>, T, unknown>;

/** What `importLayer` read: the layer's blob as stored and its diff id. */
export interface ImportedLayer {
  digest: string;
  size: number;
  diffId: string;
  mediaType: string;
  uncompressedSize: number;
  architecture: string;
}

/** The work's answer as a layer, if it is one. */
function importedOf(v: WorkPayload): ImportedLayer | undefined {
  const { digest, size, diffId, mediaType, uncompressedSize, architecture } = v;
  if (typeof digest !== 'string' || typeof diffId !== 'string' || typeof size !== 'number') return undefined;
  return {
    digest,
    size,
    diffId,
    mediaType: typeof mediaType === 'string' ? mediaType : MEDIA_TYPES.ociLayerUncompressed,
    uncompressedSize: typeof uncompressedSize === 'number' ? uncompressedSize : size,
    architecture: typeof architecture === 'string' ? architecture : 'amd64',
  };
}

/** The name the image gets (full), and as the `tag` event says it; or the refusal (400). */
function importName(repo: string, tag: string): { name?: string; event?: string } | { refused: string } {
  if (repo === '') return {};
  try {
    const ref = parseNormalizedNamed(repo);
    if (ref.digest !== undefined) return { refused: 'cannot import digest reference' };
    const named =
      tag === '' ? ref : parseNormalizedNamed(`${familiarName({ ...ref, tag: undefined })}:${tag}`);
    return { name: referenceString({ ...named, tag: named.tag ?? 'latest' }), event: familiarName(named) };
  } catch (error) {
    return { refused: error instanceof Error ? error.message : String(error) };
  }
}

/** The simulation's tar: the request's `tar` text, one uncompressed layer of its bytes. */
function simLayer(body: JsonObject): ImportedLayer {
  const tar = typeof body.tar === 'string' ? body.tar : '';
  const digest = digestOf(tar);
  return {
    digest,
    size: tar.length,
    diffId: digest,
    mediaType: MEDIA_TYPES.ociLayerUncompressed,
    uncompressedSize: tar.length,
    architecture: 'amd64',
  };
}

/** The image config dockerd writes for an import (one layer, one history entry). */
function configText(layer: ImportedLayer, config: ImportConfig, message: string, created: string): string {
  return JSON.stringify({
    architecture: layer.architecture,
    comment: message,
    config,
    created,
    history: [{ created, comment: message }],
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
  });
}

function* write(d: Daemon, what: string, digest: string, text: string): Gen<Message | undefined> {
  return asMessage(
    yield d.call('containerd', 'ctrd.Content.Write', `Content.Write(${what} ${shortId(digest)})`, {
      payload: payloadFor('ctrd.Content.Write', { digest, size: utf8Encode(text).length, text }),
    }),
  );
}

/** The layer, config and manifest written, the layer unpacked, the image named; its id, or the error. */
function* store(
  d: Daemon,
  layer: ImportedLayer,
  config: string,
  name: string | undefined,
): Gen<{ id: string } | { error: string }> {
  const record: ImageLayerRecord = { ...layer, chainId: layer.diffId };
  const put = asMessage(yield writeLayer(d, record));
  if (!put?.ok) return { error: errorOf(put) };
  const configDigest = digestOf(config);
  const size = (t: string) => utf8Encode(t).length;
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: configDigest, size: size(config) },
    layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
  });
  const target = { mediaType: MEDIA_TYPES.ociManifest, digest: digestOf(manifest), size: size(manifest) };
  for (const [what, digest, text] of [
    ['config', configDigest, config],
    ['manifest', target.digest, manifest],
  ] as const) {
    const written = yield* write(d, what, digest, text);
    if (!written?.ok) return { error: errorOf(written) };
  }
  if (!alreadyHave(d, record.chainId)) {
    const failed = yield* unpackLayer(d, record, undefined, true, 'untar');
    if (failed !== undefined) return { error: failed };
  }
  // An image without a name is kept as `moby-dangling@<target>` (daemon/containerd/image.go).
  const recordName = name ?? `moby-dangling@${target.digest}`;
  const payload = payloadFor('ctrd.Images.Create', {
    name: recordName,
    target,
    manifestDigest: target.digest,
    configDigest,
    config,
    layers: [record],
    createdMs: d.now(),
    local: true,
  });
  const created = asMessage(
    yield d.call(
      'containerd',
      'ctrd.Images.Create',
      `Images.Create(${recordName} → ${shortId(target.digest)})`,
      {
        payload,
      },
    ),
  );
  if (!created?.ok) return { error: errorOf(created) };
  return { id: d.namesByConfig ? configDigest : target.digest };
}

export function* imageImport(d: Daemon, req: Message): OperationProgram {
  const { query, body } = apiRequest(req);
  const named = importName(query.repo ?? '', query.tag ?? '');
  if ('refused' in named) return d.error(req, 400, named.refused);
  const asked = ((req.payload ?? {}) as JsonObject).changes;
  const changes = Array.isArray(asked) ? asked.filter((c) => typeof c === 'string') : [];
  const config = buildFromChanges(changes);
  if ('refused' in config) return d.error(req, 400, config.refused);
  const src = query.fromSrc ?? '-';
  const from = src === '-' || src.includes('://') ? src : `http://${src}`;
  const message = query.message || `Imported from ${from}`;
  d.self('dockerd.import', `read the layer from ${from === '-' ? 'the request body' : from}; hash it`, {
    params: { src: from },
  });
  const read = yield* d.work('importLayer', { src: from }, () => ({ ...simLayer(body) }));
  if (!read.ok) return d.error(req, 500, read.error);
  const { refused, code } = read.output;
  if (typeof refused === 'string') return d.error(req, typeof code === 'number' ? code : 500, refused);
  const layer = importedOf(read.output);
  if (layer === undefined) return d.error(req, 500, 'the import read no layer');
  const created = new Date(d.now()).toISOString();
  const stored = yield* store(d, layer, configText(layer, config, message, created), named.name);
  if ('error' in stored) return d.error(req, 500, stored.error);
  const labels = config.Labels ?? {};
  if (named.event !== undefined) d.emit('image', 'tag', stored.id, { ...labels, name: named.event });
  d.emit('image', 'import', stored.id, { ...labels, name: stored.id });
  const downloading = from === '-' ? [] : [{ status: `Downloading from ${from}` }];
  d.reply(req, 200, [...downloading, { status: stored.id }], { params: { id: stored.id } });
}
