import { shortId } from '../../../model/digest.ts';
import { payloadFor } from '../../catalogue.ts';
import { familiarName } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { ImageLayerRecord } from '../../containerd/imageService.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { alreadyHave, errorOf, unpackLayer, writeLayer } from './imagePull.ts';
import { normalise } from './imageLookup.ts';
import { asMessage } from './request.ts';

/**
 * `POST /images/load` — `docker load`, as Engine 29's containerd image store does it (moby
 * daemon/containerd/image_exporter.go LoadImage → containerd client Import, then unpack): dockerd
 * reads the archive (a docker-archive's manifest.json or an OCI layout's index.json; its own work,
 * the `readArchive` effect), writes each blob into containerd's content store (`Content.Write`,
 * digest checked), unpacks the layers that are not there yet (Snapshots.Prepare, Diff.Apply,
 * Snapshots.Commit, as a pull does), and names the image (`Images.Create`). A loaded name is made
 * here: it has no repository digest. The answer is a JSON message stream, 200 before the archive
 * is read, so a broken archive is an error line in it (measured on dockerd 20.10); one `load`
 * event per image, named by its id (moby image/tarexport/load.go).
 * https://docs.docker.com/reference/api/engine/version/v1.44/#tag/Image/operation/ImageLoad
 */
export interface ArchiveImage {
  names: string[];
  manifest: { mediaType: string; digest: string; size: number };
  config: { digest: string; size: number; text: string };
  layers: { digest: string; size: number; diffId: string; chainId: string }[];
}

export interface ArchiveIndex {
  images: ArchiveImage[];
}

type Gen<T> = Generator<Effect, T, unknown>;

function isIndex(value: {
  [key: string]: unknown;
}): value is { images: ArchiveImage[] } & { [key: string]: unknown } {
  return Array.isArray(value.images);
}

const errorLine = (message: string): JsonObject => ({ errorDetail: { message }, error: message });

/** Blobs into the content store, missing layers unpacked, then each name; an error's words, or nothing. */
function* loadOne(d: Daemon, image: ArchiveImage): Gen<string | undefined> {
  const { config } = image;
  const written = asMessage(
    yield d.call('containerd', 'ctrd.Content.Write', `Content.Write(config ${shortId(config.digest)})`, {
      payload: payloadFor('ctrd.Content.Write', {
        digest: config.digest,
        size: config.size,
        text: config.text,
      }),
    }),
  );
  if (!written?.ok) return errorOf(written);
  const layers: ImageLayerRecord[] = image.layers.map((l) => ({ ...l, uncompressedSize: 0 }));
  let parent: string | undefined;
  for (const layer of layers) {
    const put = asMessage(yield writeLayer(d, layer));
    if (!put?.ok) return errorOf(put);
    if (!alreadyHave(d, layer.chainId)) {
      const failed = yield* unpackLayer(d, layer, parent, true);
      if (failed !== undefined) return failed;
    }
    parent = layer.chainId;
  }
  for (const name of image.names.map(normalise)) {
    const payload = payloadFor('ctrd.Images.Create', {
      name,
      target: image.manifest,
      manifestDigest: image.manifest.digest,
      configDigest: config.digest,
      config: config.text,
      layers,
      createdMs: d.ports.clock.now(),
      local: true,
    });
    const created = asMessage(
      yield d.call(
        'containerd',
        'ctrd.Images.Create',
        `Images.Create(${name} → ${image.manifest.digest.slice(0, 19)}…)`,
        { payload },
      ),
    );
    if (!created?.ok) return errorOf(created);
  }
  return undefined;
}

export function* imageLoad(d: Daemon, req: Message): OperationProgram {
  const read = yield* d.work('readArchive', {}, () => {
    throw new Error('no archive: the simulation has no file to load');
  });
  if (!read.ok || !isIndex(read.output)) {
    const message = read.ok ? 'invalid archive' : read.error;
    return d.reply(req, 200, [errorLine(message)], {
      ok: false,
      narration: 'api.images.load.failed',
      params: { error: message },
    });
  }
  const { images } = read.output;
  d.self(
    'dockerd.load.read',
    `read the archive: ${images.length} image(s), ${images.reduce((n, i) => n + i.layers.length, 0)} layer(s)`,
    { params: { count: images.length } },
  );
  const stream: JsonObject[] = [];
  for (const image of images) {
    const failed = yield* loadOne(d, image);
    if (failed !== undefined)
      return d.reply(req, 200, [...stream, errorLine(failed)], {
        ok: false,
        narration: 'api.images.load.failed',
        params: { error: failed },
      });
    if (image.names.length === 0) stream.push({ stream: `Loaded image ID: ${image.config.digest}\n` });
    for (const name of image.names) stream.push({ stream: `Loaded image: ${familiarName(name)}\n` });
    d.emit('image', 'load', image.config.digest, { name: image.config.digest });
  }
  d.reply(req, 200, stream, { params: { count: images.length } });
}
