import type { AnyActorRef } from 'xstate';
import { digestOf, isDigest, utf8Encode } from '../../model/digest.ts';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { ContentStore } from '../../ports/contentStore.ts';
import { effectId, errorText, outcomeOf, settled } from '../effect.ts';
import type { WireEvent } from '../../wire/wire.ts';
import { draft, replyDraft } from '../post.ts';
import type { CtrdContext } from './containerdMachine.ts';
import { errorOf, payloadFor, replyPayload, requestOf, type SnapshotRequest } from '../catalogue.ts';
import type { STORAGE_OPS } from '../catalogue.ts';
import { publishCtrd } from './events.ts';
import { leaseSnapshotRemoved } from './leases.ts';

/**
 * containerd's image, content, snapshot and diff services as dockerd uses them in profile v29
 * (Docker's containerd image store). The image record points at the index or manifest by digest;
 * the blobs live in the content store; unpacked layers are snapshots keyed by chain id.
 * https://github.com/containerd/containerd/blob/main/docs/content-flow.md
 */
export interface ImageLayerRecord {
  digest: string;
  diffId: string;
  chainId: string;
  size: number;
  uncompressedSize: number;
}

export interface CtrdImage {
  name: string;
  target: { mediaType: string; digest: string; size: number };
  manifestDigest: string;
  configDigest: string;
  config: string;
  layers: ImageLayerRecord[];
  createdMs: number;
  /**
   * Not a containerd field: for an image built here, the catalogue image its layers start from,
   * whose programs the simulated processes run (the process model knows catalogue images only).
   */
  base?: string;
  /**
   * Not a containerd field either: the name was made here (`docker tag`, `docker load`), not
   * resolved at a registry, so it has no repository digest until it is pushed (dockerd's
   * RepoDigests). The engine's image store keeps it as an annotation on the target.
   */
  local?: boolean;
}

type Args = { context: CtrdContext; event: WireEvent; self: AnyActorRef };

/** `Content.Write`'s effect: commit the blob the request names (its bytes came with the registry's answer). */
export interface WriteContentInput {
  requestId: number;
  digest: string;
  size: number;
  labels: Record<string, string>;
  /** A small document (a config) written as text. */
  text?: string;
  content: ContentStore;
}

/** What the content store holds now, and where. */
export interface ContentEvidence {
  digest: string;
  size: number;
  path: string;
}

/** `Images.Create`'s effect: the image record, written where containerd keeps its metadata. */
export interface StoreImageInput {
  requestId: number;
  image: CtrdImage;
}

/** `Images.Get` and `Images.List`'s effect: read the image records (the metadata store). */
export interface ReadImagesInput {
  requestId: number;
  /** The record asked for (Get); absent for List. */
  name?: string;
  /** The machine's own table: the simulation's metadata store. */
  images: Readonly<Record<string, CtrdImage>>;
}

/**
 * `Images.Delete`'s effect: remove the record. With `sync` (containerd's
 * images.SynchronousDelete, which moby passes), the call returns only after the garbage
 * collector ran, and the evidence lists what it removed: blobs no image or lease refers to, and
 * layer snapshots (chain ids, top first) no image or other snapshot needs.
 */
export interface RemoveImageInput {
  requestId: number;
  name: string;
  sync: boolean;
  images: Readonly<Record<string, CtrdImage>>;
}

export interface RemoveImageEvidence {
  existed: boolean;
  /** What the garbage collector removed, when it ran (sync); the simulation does not collect. */
  collected?: { blobs: string[]; snapshots: string[] };
}

/**
 * `Content.Read`'s effect: read a blob (containerd's content.ReaderAt). The bytes go where the
 * reader wants them — `docker save`'s archive, in real mode — never into a message; the evidence
 * is what was read.
 */
export interface ReadContentInput {
  requestId: number;
  digest: string;
  content: ContentStore;
}

/**
 * A writer's commit checks what was written against the size and digest it was opened with, and
 * refuses a mismatch: nothing becomes visible (containerd's content.Writer.Commit, "unexpected
 * commit size" / "unexpected commit digest", plugins/content/local/writer.go). The simulation has
 * bytes only for the documents it writes as text; a layer's are the catalogue's word.
 */
function checkWritten(digest: string, size: number, bytes: Uint8Array): void {
  if (!isDigest(digest))
    throw new Error(`invalid digest "${digest}": expected sha256: and 64 lowercase hex digits`);
  if (bytes.length !== size)
    throw new Error(
      `content ${digest}: ${bytes.length} bytes written, expected ${size}: unexpected commit size`,
    );
  const written = digestOf(bytes);
  if (written !== digest)
    throw new Error(`content ${digest}: written data has digest ${written}: unexpected commit digest`);
}

/**
 * `Content.Info` and `Content.ReaderAt` for a push, which reads what it sends: a blob's size, and
 * for a document (a manifest) its exact bytes. The blob itself is never read here: the upload
 * streams it from the store (ports/registry.ts `upload`).
 */
export interface ContentInfoInput {
  requestId: number;
  digest: string;
  /** Read the bytes too (a manifest, `Content.ReaderAt`), not only the size (`Content.Info`). */
  document: boolean;
  content: ContentStore;
  /** The small documents the machine mirrors as text (configs). */
  documents: Readonly<Record<string, string>>;
}

export interface ContentInfo {
  digest: string;
  size: number;
  text?: string;
}

function contentInfo({ content, digest, document, documents }: ContentInfoInput): ContentInfo {
  const text = documents[digest] ?? content.read?.(digest);
  const size = content.info(digest)?.size ?? (text === undefined ? undefined : utf8Encode(text).length);
  if (size === undefined || (document && text === undefined))
    throw new Error(`content digest ${digest}: not found`);
  return document && text !== undefined ? { digest, size, text } : { digest, size };
}

/** The simulated effects: the simulated content store; image records live in the machine's own table. */
export const imageServiceEffects = {
  readImage: settled(({ images, name }: ReadImagesInput): CtrdImage | null => images[name ?? ''] ?? null),
  readImages: settled(({ images }: ReadImagesInput): CtrdImage[] => Object.values(images)),
  writeContent: settled(({ content, digest, size, labels, text }: WriteContentInput): ContentEvidence => {
    if (text !== undefined) checkWritten(digest, size, utf8Encode(text));
    const info = content.commit(digest, size, labels);
    return { digest: info.digest, size: info.size, path: content.pathOf(digest) };
  }),
  storeImage: settled((_input: StoreImageInput): Record<string, never> => ({})),
  readContent: settled(({ content, digest }: ReadContentInput): ContentEvidence => {
    // A pulled image's manifests are the catalogue's documents (the simulated pull stores its
    // config and layers only), as Content.ReaderAt finds them for a push.
    const doc = content.read?.(digest);
    const size = content.info(digest)?.size ?? (doc === undefined ? undefined : utf8Encode(doc).length);
    if (size === undefined) throw new Error(`content digest ${digest}: not found`);
    return { digest, size, path: content.pathOf(digest) };
  }),
  contentInfo: settled(contentInfo),
  removeImage: settled(({ images, name }: RemoveImageInput): RemoveImageEvidence => ({
    existed: images[name] !== undefined,
  })),
};

/** The request an effect served, taken off the table of running ones. */
function served(context: CtrdContext, actorId: string): Message | undefined {
  const msg = context.jobs.get(actorId);
  context.jobs.delete(actorId);
  return msg;
}

/** Content.Write's effect: its actor id (remembered as serving the request) and input. */
export function writeContentJob(
  context: CtrdContext,
  msg: Message,
): { id: string; input: WriteContentInput } {
  const id = effectId('writeContent', msg.id);
  context.jobs.set(id, msg);
  const p = requestOf(msg, 'ctrd.Content.Write');
  const input: WriteContentInput = {
    requestId: msg.id,
    digest: p.digest,
    size: p.size,
    labels: p.labels ?? {},
    content: context.ports.content,
  };
  if (p.text !== undefined) input.text = p.text;
  return { id, input };
}

/** Images.Get's or Images.List's effect: its actor id and input. */
export function readImagesJob(
  context: CtrdContext,
  name: 'readImage' | 'readImages',
  msg: Message,
): { id: string; input: ReadImagesInput } {
  const id = effectId(name, msg.id);
  context.jobs.set(id, msg);
  const input: ReadImagesInput = { requestId: msg.id, images: context.images };
  if (name === 'readImage') input.name = requestOf(msg, 'ctrd.Images.Get').name;
  return { id, input };
}

/** Images.Create's effect: its actor id and input. */
export function storeImageJob(context: CtrdContext, msg: Message): { id: string; input: StoreImageInput } {
  const id = effectId('storeImage', msg.id);
  context.jobs.set(id, msg);
  return { id, input: { requestId: msg.id, image: requestOf(msg, 'ctrd.Images.Create') } };
}

/** Content.Read's effect: its actor id and input. */
export function readContentJob(context: CtrdContext, msg: Message): { id: string; input: ReadContentInput } {
  const id = effectId('readContent', msg.id);
  context.jobs.set(id, msg);
  return {
    id,
    input: {
      requestId: msg.id,
      digest: requestOf(msg, 'ctrd.Content.Read').digest,
      content: context.ports.content,
    },
  };
}

/** Content.Info's or Content.ReaderAt's effect: its actor id and input. */
export function contentInfoJob(context: CtrdContext, msg: Message): { id: string; input: ContentInfoInput } {
  const id = effectId('contentInfo', msg.id);
  context.jobs.set(id, msg);
  const { digest } = requestOf(msg, 'ctrd.Content.Info', 'ctrd.Content.ReaderAt');
  return {
    id,
    input: {
      requestId: msg.id,
      digest,
      document: msg.op === 'ctrd.Content.ReaderAt',
      content: context.ports.content,
      documents: context.jsonBlobs,
    },
  };
}

/** Images.Delete's effect: its actor id and input. */
export function removeImageJob(context: CtrdContext, msg: Message): { id: string; input: RemoveImageInput } {
  const id = effectId('removeImage', msg.id);
  context.jobs.set(id, msg);
  const p = requestOf(msg, 'ctrd.Images.Delete');
  return { id, input: { requestId: msg.id, name: p.name, sync: p.sync === true, images: context.images } };
}

function failed(context: CtrdContext, msg: Message, error: unknown): void {
  const message = errorText(error);
  context.wire.reply(
    msg,
    replyDraft(msg.op, `error: ${message}`, { ok: false, payload: { error: message } }),
  );
}

type StorageOp = (typeof STORAGE_OPS)[number];

/** The containerd services that front the snapshotter (overlayfs), each passed on as a storage op. */
const SNAPSHOT_OPS = [
  'ctrd.Snapshots.Prepare',
  'ctrd.Snapshots.Commit',
  'ctrd.Snapshots.Remove',
  'ctrd.Snapshots.Mounts',
  'ctrd.Diff.Apply',
  'ctrd.Diff.Diff',
] as const;
type SnapshotOp = (typeof SNAPSHOT_OPS)[number];

/** Storage ops for the containerd services that front the snapshotter (overlayfs). */
const STORAGE_OP: Record<SnapshotOp, [StorageOp, (p: SnapshotRequest) => string]> = {
  'ctrd.Snapshots.Prepare': ['storage.prepare', (p) => `overlayfs Prepare(${p.key.slice(0, 24)}…)`],
  'ctrd.Snapshots.Commit': ['storage.commit', (p) => `overlayfs Commit(${String(p.name).slice(0, 19)}…)`],
  'ctrd.Snapshots.Remove': ['storage.remove', (p) => `overlayfs Remove(${p.key.slice(0, 24)}…)`],
  'ctrd.Snapshots.Mounts': ['storage.mount', (p) => `overlayfs Mounts(${p.key.slice(0, 24)}…)`],
  'ctrd.Diff.Apply': [
    'storage.apply',
    (p) => `walking differ: apply ${(p.layer?.digest ?? '').slice(7, 19)} onto mounts`,
  ],
  // BuildKit's exporter: the differ tars what a snapshot adds to its parent (then gzips it into the content store).
  'ctrd.Diff.Diff': ['storage.diff', (p) => `walking differ: diff ${p.key.slice(7, 19)}… against its parent`],
};

const isSnapshotOp = (op: string): op is SnapshotOp => (SNAPSHOT_OPS as readonly string[]).includes(op);

const SNAPSHOT_TOPIC: Record<string, string> = {
  'ctrd.Snapshots.Prepare': '/snapshot/prepare',
  'ctrd.Snapshots.Commit': '/snapshot/commit',
  'ctrd.Snapshots.Remove': '/snapshot/remove',
};

export const imageServiceActions = {
  /** Images.Get's record is read (the `readImage` effect): the reply is the image, or NotFound. */
  imageRead: ({ context, event }: Args) => {
    const outcome = outcomeOf<CtrdImage | null>(event);
    const msg = outcome && served(context, outcome.actorId);
    if (!outcome || !msg) return;
    if (!outcome.ok) return failed(context, msg, outcome.error);
    const image = outcome.output;
    const { name } = requestOf(msg, 'ctrd.Images.Get');
    if (!image) {
      context.wire.reply(
        msg,
        replyDraft(msg.op, `NotFound: image "${name}": not found`, {
          ok: false,
          status: 'NotFound',
          payload: { error: `image "${name}": not found` },
        }),
      );
      return;
    }
    context.wire.reply(
      msg,
      replyDraft(msg.op, `OK ${image.target.digest.slice(0, 19)}…`, {
        payload: replyPayload('ctrd.Images.Get', image),
      }),
    );
  },
  /** Images.List's records are read (the `readImages` effect). */
  imagesRead: ({ context, event }: Args) => {
    const outcome = outcomeOf<CtrdImage[]>(event);
    const msg = outcome && served(context, outcome.actorId);
    if (!outcome || !msg) return;
    if (!outcome.ok) return failed(context, msg, outcome.error);
    const images = outcome.output;
    // The machine's table follows its metadata store as read (real mode: the engine's image
    // store, which may hold images from before this engine started).
    context.images = Object.fromEntries(images.map((i) => [i.name, i]));
    context.wire.reply(
      msg,
      replyDraft(msg.op, `OK (${images.length} images)`, {
        payload: replyPayload('ctrd.Images.List', images),
        params: { count: images.length },
      }),
    );
  },
  /** Images.Create's record is written (the `storeImage` effect): the table changes, the event is published. */
  imageStored: ({ context, event }: Args) => {
    const outcome = outcomeOf<Record<string, never>>(event);
    const msg = outcome && served(context, outcome.actorId);
    if (!outcome || !msg) return;
    if (!outcome.ok) return failed(context, msg, outcome.error);
    const image = requestOf(msg, 'ctrd.Images.Create');
    const existed = Boolean(context.images[image.name]);
    context.images[image.name] = image;
    context.jsonBlobs[image.configDigest] = image.config;
    publishCtrd(context, existed ? '/images/update' : '/images/create', { name: image.name });
    context.wire.reply(msg, replyDraft(msg.op, 'OK'));
  },
  /** Content.Read's blob was read (the `readContent` effect): the reply says how much, from where. */
  contentRead: ({ context, event }: Args) => {
    const outcome = outcomeOf<ContentEvidence>(event);
    const msg = outcome && served(context, outcome.actorId);
    if (!outcome || !msg) return;
    if (!outcome.ok) return failed(context, msg, outcome.error);
    const { digest, size, path } = outcome.output;
    context.wire.reply(
      msg,
      replyDraft(msg.op, `${size} bytes from ${path}`, { payload: { digest, size }, params: { size } }),
    );
  },
  /** A blob's size (and a document's bytes) are read (the `contentInfo` effect). */
  contentInfoRead: ({ context, event }: Args) => {
    const outcome = outcomeOf<ContentInfo>(event);
    const msg = outcome && served(context, outcome.actorId);
    if (!outcome || !msg) return;
    if (!outcome.ok) {
      const message = errorText(outcome.error);
      context.wire.reply(
        msg,
        replyDraft(msg.op, `NotFound: ${message}`, {
          ok: false,
          status: 'NotFound',
          payload: { error: message },
        }),
      );
      return;
    }
    const read = outcome.output;
    context.wire.reply(
      msg,
      replyDraft(msg.op, `OK ${read.size} bytes`, { payload: { ...read }, params: { size: read.size } }),
    );
  },
  /** Images.Delete's record is gone (the `removeImage` effect): the table changes, the event is published. */
  imageRemoved: ({ context, event }: Args) => {
    const outcome = outcomeOf<RemoveImageEvidence>(event);
    const msg = outcome && served(context, outcome.actorId);
    if (!outcome || !msg) return;
    if (!outcome.ok) return failed(context, msg, outcome.error);
    const { name } = requestOf(msg, 'ctrd.Images.Delete');
    const { existed, collected } = outcome.output;
    context.images = Object.fromEntries(Object.entries(context.images).filter(([key]) => key !== name));
    if (!existed) {
      context.wire.reply(msg, replyDraft(msg.op, `NotFound: image "${name}"`, { ok: false }));
      return;
    }
    publishCtrd(context, '/images/delete', { name });
    if (collected === undefined) return context.wire.reply(msg, replyDraft(msg.op, 'OK'));
    const { blobs, snapshots } = collected;
    context.wire.reply(
      msg,
      replyDraft(msg.op, `OK; gc removed ${blobs.length} blobs, ${snapshots.length} snapshots`, {
        payload: { blobs, snapshots },
        params: { blobs: blobs.length, snapshots: snapshots.length },
      }),
    );
  },
  /** Content.Write's blob is committed (the `writeContent` effect): the reply names where it is. */
  contentWritten: ({ context, event }: Args) => {
    const outcome = outcomeOf<ContentEvidence>(event);
    const msg = outcome && served(context, outcome.actorId);
    if (!outcome || !msg) return;
    if (!outcome.ok) return failed(context, msg, outcome.error);
    const { text } = requestOf(msg, 'ctrd.Content.Write');
    const { digest, size, path } = outcome.output;
    if (text !== undefined) context.jsonBlobs[digest] = text;
    context.wire.reply(msg, replyDraft(msg.op, `committed ${path}`, { payload: { digest, size } }));
  },
  proxyToStorage: ({ context, event, self }: Args) => {
    if (!isSnapshotOp(event.msg.op)) return;
    const p = requestOf(event.msg, ...SNAPSHOT_OPS);
    const [op, call] = STORAGE_OP[event.msg.op];
    const id = context.wire.request(
      self,
      draft('containerd', 'Storage', op, call(p), {
        payload: payloadFor(op, { ...p, driver: 'overlayfs' }),
        ...(op === 'storage.mount' ? { narration: 'storage.mounts' } : {}),
      }),
    );
    context.proxied.set(id, event.msg);
  },
  answerFromStorage: ({ context, event, self }: Args) => {
    const id = event.msg.inReplyTo;
    const original = id === undefined ? undefined : context.proxied.get(id);
    if (!original || id === undefined) return;
    context.proxied.delete(id);
    if (original.op === 'ctrd.Leases.Delete') return leaseSnapshotRemoved(context, self, original, event.msg);
    const topic = SNAPSHOT_TOPIC[original.op];
    const p = requestOf(original, ...SNAPSHOT_OPS);
    if (topic && event.msg.ok) {
      const body: JsonObject =
        topic === '/snapshot/commit' ? { key: p.key, name: String(p.name) } : { key: p.key };
      if (topic === '/snapshot/prepare' && p.parent) body.parent = p.parent;
      body.snapshotter = 'overlayfs';
      publishCtrd(context, topic, body);
    }
    const error = event.msg.ok ? '' : errorOf(event.msg);
    const failed = event.msg.ok ? {} : { narration: 'ctrd.storage.failed', params: { error } };
    context.wire.reply(
      original,
      replyDraft(original.op, event.msg.ok ? 'OK' : event.msg.call, {
        ok: event.msg.ok,
        payload: event.msg.payload ?? {},
        ...failed,
      }),
    );
  },
};
