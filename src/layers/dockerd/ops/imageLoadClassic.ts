import { shortId } from '../../../model/digest.ts';
import { familiarName, type ImageConfig } from '../../../model/image.ts';
import type { ArchiveImage } from '../../../model/imageArchive.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import type { ImageRecord } from '../records.ts';
import { alreadyHave, unpackLayer } from './imagePull.ts';

type Gen<T> = Generator<Effect, T, unknown>;

/**
 * `docker load` in dockerd 20.10 (moby v20.10.24 image/tarexport/load.go Load): no containerd at
 * all. Per image of manifest.json: each layer whose chain is not in the layer store is registered
 * from its `layer.tar` by the graphdriver (the layer is uncompressed: its digest is its diff id),
 * the config goes into the image store (its digest is the image id), each RepoTag is set in the
 * reference store, and a `load` event is logged, also for an image already there. "Loaded image
 * ID" lines are written only when the last image had no tag (imageRefCount). Recorded:
 * y-load-login.txt.
 */
export function* loadClassic(d: Daemon, req: Message, images: ArchiveImage[]): OperationProgram {
  const stream: JsonObject[] = [];
  const ids: string[] = [];
  let tagged = 0;
  for (const image of images) {
    const failed = yield* registerLayers(d, image);
    if (failed !== undefined)
      return d.reply(req, 200, [...stream, { errorDetail: { message: failed }, error: failed }], {
        ok: false,
        narration: 'api.images.load.failed',
        params: { error: failed },
      });
    const id = image.config.digest;
    d.self('dockerd.imageStore.create', `image store: write imagedb/content/sha256/${shortId(id)}`, {
      params: { ref: shortId(id) },
    });
    ids.push(id);
    tagged = 0;
    for (const name of image.names) {
      setLoadedTag(d, recordOf(d, image, name));
      stream.push({ stream: `Loaded image: ${familiarName(name)}\n` });
      tagged++;
    }
    const named = [...d.images.values()].some((r) => r.id === id);
    if (!named) d.untagged.set(id, recordOf(d, image, ''));
    d.emit('image', 'load', id, { name: id });
  }
  if (tagged === 0) stream.push({ stream: ids.map((id) => `Loaded image ID: ${id}\n`).join('') });
  d.reply(req, 200, stream, { params: { count: images.length }, narration: 'api.images.load.classic.reply' });
}

/** The reference store (load.go setLoadedTag): the tag moves; the image it left, without a tag, is `<none>`. */
function setLoadedTag(d: Daemon, record: ImageRecord): void {
  const before = d.images.get(record.name);
  d.images.set(record.name, record);
  d.untagged.delete(record.id);
  if (before && before.id !== record.id && ![...d.images.values()].some((r) => r.id === before.id))
    d.untagged.set(before.id, { ...before, name: '' });
  d.self(
    'dockerd.imageStore.tag',
    `reference store: add ${familiarName(record.name)} → ${shortId(record.id)}`,
    {
      params: { ref: familiarName(record.name) },
    },
  );
}

/** The layer store: each chain not there yet, from the archive's uncompressed layer.tar. */
function* registerLayers(d: Daemon, image: ArchiveImage): Gen<string | undefined> {
  let parent: string | undefined;
  for (const l of image.layers) {
    if (!alreadyHave(d, l.chainId)) {
      const layer = { ...l, digest: l.diffId, uncompressedSize: l.uncompressedSize ?? l.size };
      const failed = yield* unpackLayer(d, layer, parent, true, 'untar');
      if (failed !== undefined) return failed;
    }
    parent = l.chainId;
  }
  return undefined;
}

/** A loaded image as the classic store keeps it: no repository digest, no manifest. */
function recordOf(d: Daemon, image: ArchiveImage, name: string): ImageRecord {
  return {
    name,
    id: image.config.digest,
    repoDigest: '',
    target: { mediaType: '', digest: image.config.digest, size: image.config.size },
    manifestDigest: '',
    config: JSON.parse(image.config.text) as ImageConfig,
    configText: image.config.text,
    layers: image.layers.map((l) => ({ ...l, uncompressedSize: l.uncompressedSize ?? l.size })),
    createdMs: d.now(),
  };
}
