import { shortId } from '../../../model/digest.ts';
import { payloadFor } from '../../catalogue.ts';
import { familiarName } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { ImageLayerRecord } from '../../containerd/imageService.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { readArchive, type ArchiveImage } from '../../../model/imageArchive.ts';
import { alreadyHave, errorOf, unpackLayer, writeLayer } from './imagePull.ts';
import { loadClassic } from './imageLoadClassic.ts';
import { normalise } from './imageLookup.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * `POST /images/load` — `docker load`, as Engine 29's containerd image store does it (moby
 * daemon/containerd/image_exporter.go LoadImage → containerd client Import, then unpack): dockerd
 * reads the archive (a docker-archive's manifest.json or an OCI layout's index.json; its own work,
 * the `readArchive` effect), writes each blob into containerd's content store (`Content.Write`,
 * digest checked), unpacks the layers that are not there yet (Snapshots.Prepare, Diff.Apply,
 * Snapshots.Commit, as a pull does), and names the image (`Images.Create`). A loaded name is made
 * here: it has no repository digest. The answer is a JSON message stream, 200 before the archive
 * is read, so a broken archive is an error line in it (measured on dockerd 20.10); one `load`
 * event per image, named by its id (moby image/tarexport/load.go). Profile classic is dockerd
 * 20.10's own load (imageLoadClassic.ts): no containerd at all.
 * In the simulation the tar is the request body's `tar` (model/imageArchive.ts), read at once;
 * real mode's `readArchive` reads the HTTP body (engine/real/archive.ts).
 * https://docs.docker.com/reference/api/engine/version/v1.44/#tag/Image/operation/ImageLoad
 */
export type { ArchiveImage } from '../../../model/imageArchive.ts';

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

/**
 * What the load says of a tar it cannot read. 20.10 untars into a temporary directory first
 * (image/tarexport/load.go Load, chrootarchive.Untar) and, with no manifest.json, falls back to
 * the legacy layout's `repositories`; Engine 29's containerd importer (containerd v2.1.5
 * core/images/archive/importer.go ImportIndex) gives the tar reader's error, or finds neither
 * layout. Recorded on 20.10: y-load-login.txt.
 */
function faultText(d: Daemon, fault: ReturnType<typeof readArchive>): string {
  if (Array.isArray(fault)) return '';
  if (typeof fault === 'object') return fault.invalid;
  if (d.profile !== 'classic') return fault === 'empty' ? 'unrecognized image format' : 'unexpected EOF';
  if (fault === 'not-tar') return 'Error processing tar file(exit status 1): unexpected EOF';
  // os.MkdirTemp's random suffix: a decimal number.
  const tmp = `/var/lib/docker/tmp/docker-import-${parseInt(d.ports.ids.hex(7), 16)}`;
  return `open ${tmp}/repositories: no such file or directory`;
}

/** The simulation's reading of the tar in the request body: its images, or the load's error. */
function simRead(d: Daemon, req: Message): { images: ArchiveImage[] } {
  const { body } = apiRequest(req);
  const read = readArchive(typeof body.tar === 'string' ? body.tar : '');
  if (!Array.isArray(read)) throw new Error(faultText(d, read));
  return { images: read };
}

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
  const layers: ImageLayerRecord[] = image.layers.map((l) => ({
    ...l,
    uncompressedSize: l.uncompressedSize ?? 0,
  }));
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
  // An image without a name is kept as `moby-dangling@<target>` (moby daemon/containerd
  // image_exporter.go LoadImage, WithDigestRef).
  const names =
    image.names.length > 0 ? image.names.map(normalise) : [`moby-dangling@${image.manifest.digest}`];
  for (const name of names) {
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
  const read = yield* d.work('readArchive', {}, () => simRead(d, req));
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
    {
      params: { count: images.length },
      ...(d.profile === 'classic' ? { narration: 'dockerd.load.read.classic' } : {}),
    },
  );
  if (d.profile === 'classic') return yield* loadClassic(d, req, images);
  const stream: JsonObject[] = [];
  for (const image of images) {
    const failed = yield* loadOne(d, image);
    if (failed !== undefined)
      return d.reply(req, 200, [...stream, errorLine(failed)], {
        ok: false,
        narration: 'api.images.load.failed',
        params: { error: failed },
      });
    // Engine 29 names an image by its target's digest, index.json's descriptor (moby LoadImage);
    // the engine measured against 20.10 keeps the config's (Daemon.namesByConfig).
    const id = d.namesByConfig === true ? image.config.digest : image.manifest.digest;
    if (image.names.length === 0) stream.push({ stream: `Loaded image ID: ${id}\n` });
    for (const name of image.names) stream.push({ stream: `Loaded image: ${familiarName(name)}\n` });
    d.emit('image', 'load', id, { name: id });
  }
  d.reply(req, 200, stream, { params: { count: images.length } });
}
