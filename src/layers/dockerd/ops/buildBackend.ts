import { shortId } from '../../../model/digest.ts';
import { familiarName, parseReference, type ContainerConfig } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { ImageLayerRecord } from '../../containerd/imageService.ts';
import type { OperationProgram } from '../../operation.ts';
import { replyDraft, short, type PostOptions } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord, ImageRecord } from '../records.ts';
import { builtLayer, childImage, goJsonText } from './buildImage.ts';
import { createRwLayer, newRecord } from './containerCreate.ts';
import { removeContainer } from './containerRemove.ts';
import { startContainer } from './containerStart.ts';
import { findLocal, lookupImage } from './imageLookup.ts';
import { pull, pullFailure } from './imagePull.ts';
import { asMessage } from './request.ts';

/**
 * What dockerd does for the legacy builder: the builder's Backend interface (moby 20.10
 * builder/builder.go — GetImageAndReleasableLayer, ImageCache.GetCache,
 * ContainerCreateIgnoreImagesArgsEscaped, ContainerAttachRaw, ContainerStart, ContainerWait,
 * CommitBuildStep, ContainerRm, CreateImage). They are Go calls inside the one dockerd process;
 * here they are messages from the Builder so each one can be seen. The build's containers are
 * ordinary containers: the same events (create, attach, start, die, destroy) as `docker run`.
 */
type Handler = (d: Daemon, msg: Message) => OperationProgram;

const payloadOf = (msg: Message): JsonObject => (msg.payload ?? {}) as JsonObject;

/** An image by id in any of the classic stores (the builder's own images included). */
function imageById(d: Daemon, id: string): ImageRecord | undefined {
  return d.built.get(id) ?? findLocal(d, id, id);
}

/** A Go call returns, not an HTTP response: the reply names what came back. */
function answer(d: Daemon, msg: Message, call: string, o: PostOptions = {}): void {
  d.wire.reply(msg, replyDraft(msg.op, call, o));
}

function buildContainer(d: Daemon, msg: Message): ContainerRecord | undefined {
  return d.containers.get(String(payloadOf(msg).id));
}

function* getImage(d: Daemon, msg: Message): OperationProgram {
  const ref = String(payloadOf(msg).ref);
  const found = yield* lookupImage(d, ref);
  if (found)
    return answer(d, msg, `image ${shortId(found.id)}`, {
      payload: { image: found as unknown as JsonObject },
      params: { id: shortId(found.id) },
    });
  let parsed;
  try {
    parsed = parseReference(ref);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return answer(d, msg, `error: ${text}`, {
      ok: false,
      payload: { error: text },
      narration: 'backend.GetImage.failed',
      params: { error: text },
    });
  }
  // The legacy builder pulls a missing base image, and the pull's progress goes into the build output.
  const result = yield* pull(d, parsed);
  if (!Array.isArray(result)) {
    const error = pullFailure(result);
    return answer(d, msg, `error: ${error}`, {
      ok: false,
      payload: { error },
      narration: 'backend.GetImage.failed',
      params: { error },
    });
  }
  const image = yield* lookupImage(d, ref);
  answer(d, msg, `pulled; image ${shortId(image?.id ?? '')}`, {
    payload: { image: (image ?? null) as unknown as JsonObject, stream: result },
    params: { id: shortId(image?.id ?? '') },
  });
}

/** moby getLocalCachedImage: a child of `parent` made with the same run config; the newest wins. */
function* getCache(d: Daemon, msg: Message): OperationProgram {
  const p = payloadOf(msg);
  const key = goJsonText(p.runConfig);
  const hits = [...d.built.values()]
    .filter((r) => r.parent === p.parent && r.cacheKey === key)
    .sort((a, b) => b.createdMs - a.createdMs);
  const hit = hits[0];
  if (!hit) return answer(d, msg, 'miss', { ok: false, narration: 'backend.GetCache.miss' });
  answer(d, msg, `hit: ${shortId(hit.id)}`, {
    payload: { image: hit as unknown as JsonObject },
    params: { id: shortId(hit.id) },
  });
  yield* [];
}

function* containerCreate(d: Daemon, msg: Message): OperationProgram {
  const p = payloadOf(msg);
  const image = imageById(d, String(p.image));
  if (!image)
    return answer(d, msg, `No such image: ${String(p.image)}`, {
      ok: false,
      payload: { message: `No such image: ${String(p.image)}` },
    });
  const runConfig = (p.runConfig ?? {}) as ContainerConfig;
  const id = d.ports.ids.id64();
  // The builder resets the entrypoint and gives the step's whole environment (dispatchers.go).
  const record = newRecord(d, id, d.ports.ids.name(), image.id, image, {
    Cmd: runConfig.Cmd ?? [],
    Entrypoint: [],
  });
  record.env = runConfig.Env ?? [];
  record.build = true;
  d.containers.set(id, record);
  yield* createRwLayer(d, record);
  d.self(
    'dockerd.writeConfig',
    `write /var/lib/docker/containers/${short(id)}…/config.v2.json, hostconfig.json`,
    { params: { id: short(id) } },
  );
  d.containerEvent(record, 'create');
  answer(d, msg, `created ${short(id)}`, { payload: { Id: id, Warnings: [] }, params: { id: short(id) } });
}

function* createWorkdir(d: Daemon, msg: Message): OperationProgram {
  const c = buildContainer(d, msg);
  if (!c)
    return answer(d, msg, 'error: no such container', {
      ok: false,
      payload: { message: 'no such container' },
    });
  const dir = String(payloadOf(msg).dir);
  yield d.call('Storage', 'storage.write', `mount ${short(c.id)}…'s layer; mkdir -p ${dir}`, {
    payload: { driver: 'overlay2', key: c.rwKey, files: [{ path: dir, size: 0 }] },
  });
  answer(d, msg, 'ok', { params: { dir } });
}

function* attachRaw(d: Daemon, msg: Message): OperationProgram {
  const c = buildContainer(d, msg);
  if (!c)
    return answer(d, msg, 'error: no such container', {
      ok: false,
      payload: { message: 'no such container' },
    });
  d.containerEvent(c, 'attach');
  answer(d, msg, 'attached', { params: { id: short(c.id) } });
  yield* [];
}

function* start(d: Daemon, msg: Message): OperationProgram {
  const c = buildContainer(d, msg);
  if (!c)
    return answer(d, msg, 'error: no such container', {
      ok: false,
      payload: { message: 'no such container' },
    });
  const failure = yield* startContainer(d, c);
  if (failure)
    return answer(d, msg, `error: ${failure.message}`, { ok: false, payload: { message: failure.message } });
  answer(d, msg, 'started', { params: { id: short(c.id) } });
}

function* wait(d: Daemon, msg: Message): OperationProgram {
  const c = buildContainer(d, msg);
  if (!c)
    return answer(d, msg, 'error: no such container', {
      ok: false,
      payload: { message: 'no such container' },
    });
  const snap = c.actor.getSnapshot();
  const status =
    snap.matches('running') || snap.matches('starting')
      ? yield { kind: 'waitFor', topic: `exit:${c.id}` }
      : c.exitCode;
  answer(d, msg, `exited ${Number(status)}`, {
    payload: { StatusCode: Number(status) },
    params: { code: Number(status) },
  });
}

/** overlay2's Diff of the container's layer; a non-empty diff is registered as a new layer. */
function* registerDiff(
  d: Daemon,
  c: ContainerRecord,
): Generator<ReturnType<Daemon['call']>, ImageLayerRecord | undefined, unknown> {
  const diff = asMessage(
    yield d.call(
      'Storage',
      'storage.diff',
      `overlay2 Diff(${short(c.id)}…): tar the changes in its upper dir`,
      { payload: { driver: 'overlay2', key: c.rwKey } },
    ),
  );
  const changes = (((diff?.payload ?? {}) as JsonObject).changes ?? []) as { path: string; size: number }[];
  if (changes.length === 0) return undefined;
  const parent = c.image.layers.at(-1)?.chainId;
  const layer = builtLayer(parent, c.id, changes, d.now());
  const key = `extract-${layer.chainId.slice(7, 19)}`;
  yield d.call(
    'Storage',
    'storage.prepare',
    `layer store Register → overlay2 Create(${layer.chainId.slice(7, 19)}…)`,
    { payload: { driver: 'overlay2', key, ...(parent ? { parent } : {}) } },
  );
  yield d.call('Storage', 'storage.apply', `overlay2 ApplyDiff(untar ${changes.length} entries)`, {
    payload: {
      driver: 'overlay2',
      key,
      layer: { digest: layer.digest, diffId: layer.diffId, size: layer.size },
    },
  });
  yield d.call('Storage', 'storage.commit', `layer store: register chain ${layer.chainId.slice(7, 19)}…`, {
    payload: { driver: 'overlay2', key, name: layer.chainId },
  });
  return layer;
}

function storeBuilt(d: Daemon, image: ImageRecord): void {
  d.built.set(image.id, image);
  d.self(
    'dockerd.imageStore.create',
    `image store: write imagedb/content/sha256/${shortId(image.id)} (parent ${shortId(image.parent ?? '')})`,
    { params: { ref: shortId(image.id) } },
  );
}

function* commitBuildStep(d: Daemon, msg: Message): OperationProgram {
  const c = buildContainer(d, msg);
  if (!c)
    return answer(d, msg, 'error: no such container', {
      ok: false,
      payload: { message: 'no such container' },
    });
  const p = payloadOf(msg);
  const layer = yield* registerDiff(d, c);
  const image = childImage(d, {
    parent: c.image,
    config: (p.config ?? {}) as ContainerConfig,
    runConfig: (p.runConfig ?? {}) as ContainerConfig,
    layer,
    container: c.id,
  });
  storeBuilt(d, image);
  answer(d, msg, `image ${shortId(image.id)}`, {
    payload: { image: image as unknown as JsonObject },
    params: { id: shortId(image.id) },
  });
}

function* containerRm(d: Daemon, msg: Message): OperationProgram {
  const c = buildContainer(d, msg);
  if (!c)
    return answer(d, msg, 'error: no such container', {
      ok: false,
      payload: { message: 'no such container' },
    });
  yield* removeContainer(d, c);
  answer(d, msg, 'removed', { params: { id: short(c.id) } });
}

function* createImage(d: Daemon, msg: Message): OperationProgram {
  const p = payloadOf(msg);
  const parent = imageById(d, String(p.parent));
  if (!parent)
    return answer(d, msg, `No such image: ${String(p.parent)}`, {
      ok: false,
      payload: { message: `No such image: ${String(p.parent)}` },
    });
  const layer = p.layer as unknown as ImageLayerRecord | undefined;
  const image = childImage(d, {
    parent,
    config: (p.config ?? {}) as ContainerConfig,
    runConfig: (p.runConfig ?? {}) as ContainerConfig,
    layer,
    container: '',
  });
  storeBuilt(d, image);
  answer(d, msg, `image ${shortId(image.id)}`, {
    payload: { image: image as unknown as JsonObject },
    params: { id: shortId(image.id) },
  });
  yield* [];
}

/**
 * BuildKit's exporter wrote an image into containerd and tells dockerd (moby's exporter
 * callbacks): dockerd logs the image event that `docker events` shows.
 */
function* imageNamed(d: Daemon, msg: Message): OperationProgram {
  const p = payloadOf(msg);
  const name = familiarName(String(p.name));
  d.emit('image', 'tag', String(p.digest), { name });
  answer(d, msg, 'ok', { params: { ref: name } });
  yield* [];
}

export const BUILD_BACKEND: Record<string, Handler> = {
  'backend.ImageNamed': imageNamed,
  'backend.GetImage': getImage,
  'backend.GetCache': getCache,
  'backend.ContainerCreate': containerCreate,
  'backend.ContainerCreateWorkdir': createWorkdir,
  'backend.ContainerAttachRaw': attachRaw,
  'backend.ContainerStart': start,
  'backend.ContainerWait': wait,
  'backend.CommitBuildStep': commitBuildStep,
  'backend.ContainerRm': containerRm,
  'backend.CreateImage': createImage,
};
