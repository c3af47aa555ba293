import { digestOf, shortId } from '../../../model/digest.ts';
import { familiarName, MEDIA_TYPES, type ContainerConfig } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import { payloadFor } from '../../catalogue.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord, ImageRecord } from '../records.ts';
import { builtLayer, childImage } from './buildImage.ts';
import { alreadyHave, unpackLayer } from './imagePull.ts';
import { normalise } from './imageLookup.ts';
import { apiRequest, asMessage } from './request.ts';

type Gen<T> = Generator<Effect, T, unknown>;

/** `--change` lines dockstep applies to the new config: CMD, ENTRYPOINT (JSON or shell form), ENV, WORKDIR. */
function applyChanges(config: ContainerConfig, changes: string[]): ContainerConfig {
  const out: ContainerConfig = { ...config };
  const argv = (rest: string) =>
    rest.startsWith('[') ? (JSON.parse(rest) as string[]) : ['/bin/sh', '-c', rest];
  for (const line of changes) {
    const [word = '', ...restWords] = line.trim().split(/\s+/);
    const rest = line.trim().slice(word.length).trim();
    const key = word.toUpperCase();
    if (key === 'CMD') out.Cmd = argv(rest);
    else if (key === 'ENTRYPOINT') out.Entrypoint = argv(rest);
    else if (key === 'WORKDIR') out.WorkingDir = rest;
    else if (key === 'ENV') out.Env = [...(out.Env ?? []), restWords.join(' ').replace(/^(\S+)\s+/, '$1=')];
  }
  return out;
}

/** The container's layer as a diff (the storage driver's, or containerd's walking differ in Engine 29). */
function* diffOf(d: Daemon, c: ContainerRecord): Gen<{ path: string; size: number }[]> {
  const reply = asMessage(
    d.profile === 'classic'
      ? yield d.call('Storage', 'storage.diff', `overlay2 Diff(${short(c.id)}…): tar its upper dir`, {
          payload: { driver: 'overlay2', key: c.rwKey },
        })
      : yield d.call(
          'containerd',
          'ctrd.Diff.Diff',
          `Diff.Diff(${short(c.id)}…): the layer's tar into the content store`,
          {
            payload: { key: c.rwKey },
          },
        ),
  );
  return (((reply?.payload ?? {}) as JsonObject).changes ?? []) as { path: string; size: number }[];
}

/** Engine 29: the config and a manifest into containerd's content store, then the image record. */
function* storeInContainerd(d: Daemon, image: ImageRecord, name: string): Gen<ImageRecord> {
  yield d.call('containerd', 'ctrd.Content.Write', `Content.Write(config ${shortId(image.id)})`, {
    payload: payloadFor('ctrd.Content.Write', {
      digest: image.id,
      size: image.configText.length,
      text: image.configText,
    }),
  });
  const layers = image.layers.map((l) => ({
    mediaType: MEDIA_TYPES.ociLayer,
    digest: l.digest,
    size: l.size,
  }));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: image.id, size: image.configText.length },
    layers,
  });
  const target = { mediaType: MEDIA_TYPES.ociManifest, digest: digestOf(manifest), size: manifest.length };
  yield d.call('containerd', 'ctrd.Content.Write', `Content.Write(manifest ${shortId(target.digest)})`, {
    payload: payloadFor('ctrd.Content.Write', {
      digest: target.digest,
      size: manifest.length,
      text: manifest,
    }),
  });
  // An image without a name is kept as `moby-dangling@<target>` (daemon/containerd/image.go).
  const recordName = name || `moby-dangling@${target.digest}`;
  const record: ImageRecord = { ...image, name: recordName, target, manifestDigest: target.digest };
  yield d.call(
    'containerd',
    'ctrd.Images.Create',
    `Images.Create(${recordName} → ${target.digest.slice(0, 19)}…)`,
    {
      payload: payloadFor('ctrd.Images.Create', {
        name,
        target,
        manifestDigest: target.digest,
        configDigest: image.id,
        config: image.configText,
        layers: image.layers,
        createdMs: image.createdMs,
        ...(image.base !== undefined ? { base: image.base } : {}),
        local: true,
      }),
    },
  );
  return record;
}

/**
 * `POST /commit?container=&repo=&tag=&comment=&changes=&pause=` (moby v20.10.24 daemon/commit.go
 * CreateImageFromContainer): a running container is paused (unless pause=0) while its layer is
 * read, the layer registered on top of the image's, a config made with the changes and a history
 * entry (the container's command, the comment), the image stored and tagged (`tag`), the `commit`
 * event logged, and the container unpaused. Engine 29 writes the layer, config and manifest into
 * containerd's content store, unpacks the layer as a snapshot and creates the image record (moby
 * docker-v29.0.0 daemon/containerd/image_commit.go). Recorded: v-cp-commit-export.txt.
 */
export function* containerCommit(d: Daemon, req: Message): OperationProgram {
  const { query } = apiRequest(req);
  const target = query.container ?? '';
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const pause =
    query.pause !== '0' && query.pause !== 'false' && c.actor.getSnapshot().can({ type: 'PAUSE' });
  if (pause) {
    yield d.call('containerd', 'ctrd.Tasks.Pause', `Tasks.Pause(${short(c.id)}…)`, { payload: { id: c.id } });
    c.actor.send({ type: 'PAUSE' });
    d.containerEvent(c, 'pause');
  }
  const changes = yield* diffOf(d, c);
  const parent = c.image.layers.at(-1)?.chainId;
  // A layer is named by its content: the same changes committed twice are one layer.
  const layer = changes.length === 0 ? undefined : builtLayer(parent, 'commit', changes, 0);
  if (layer && !alreadyHave(d, layer.chainId)) yield* unpackLayer(d, layer, parent);
  const config = applyChanges(c.image.config.config ?? {}, (query.changes ?? '').split('\n').filter(Boolean));
  const image = childImage(d, {
    parent: c.image,
    config,
    runConfig: { Cmd: [c.path, ...c.args] },
    layer,
    container: c.id,
    ...(query.comment ? { comment: query.comment } : {}),
  });
  const name = query.repo ? normalise(`${query.repo}:${query.tag || 'latest'}`) : '';
  const stored =
    d.profile === 'classic' ? storeClassic(d, image, name) : yield* storeInContainerd(d, image, name);
  const id = d.imageIdOf(stored);
  if (name) d.emit('image', 'tag', id, { name: familiarName(name) });
  d.containerEvent(c, 'commit', {
    comment: query.comment ?? '',
    imageID: id,
    imageRef: name ? familiarName(name) : '',
  });
  if (pause) {
    yield d.call('containerd', 'ctrd.Tasks.Resume', `Tasks.Resume(${short(c.id)}…)`, {
      payload: { id: c.id },
    });
    if (c.actor.getSnapshot().can({ type: 'UNPAUSE' })) {
      c.actor.send({ type: 'UNPAUSE' });
      d.containerEvent(c, 'unpause');
    }
  }
  d.reply(req, 201, { Id: id }, { params: { id: shortId(id) } });
}

/** The classic store: the image (imagedb) and, when named, the reference store's entry. */
function storeClassic(d: Daemon, image: ImageRecord, name: string): ImageRecord {
  d.self('dockerd.imageStore.create', `image store: write imagedb/content/sha256/${shortId(image.id)}`, {
    params: { ref: shortId(image.id) },
  });
  const record = { ...image, name };
  if (name) {
    d.images.set(name, record);
    d.self(
      'dockerd.imageStore.tag',
      `reference store: add ${familiarName(name)} → ${image.id.slice(7, 19)}`,
      {
        params: { ref: familiarName(name) },
      },
    );
  } else d.untagged.set(image.id, record);
  return record;
}
