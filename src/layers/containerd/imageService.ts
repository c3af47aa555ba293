import type { AnyActorRef } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { WireEvent } from '../../wire/wire.ts';
import { draft, replyDraft } from '../post.ts';
import type { CtrdContext } from './containerdMachine.ts';
import { publishCtrd } from './events.ts';

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
}

type Args = { context: CtrdContext; event: WireEvent; self: AnyActorRef };

const payloadOf = (e: WireEvent) => (e.msg.payload ?? {}) as JsonObject;

/** Storage ops for the containerd services that front the snapshotter (overlayfs). */
const STORAGE_OP: Record<string, [string, (p: JsonObject) => string]> = {
  'ctrd.Snapshots.Prepare': ['storage.prepare', (p) => `overlayfs Prepare(${String(p.key).slice(0, 24)}…)`],
  'ctrd.Snapshots.Commit': ['storage.commit', (p) => `overlayfs Commit(${String(p.name).slice(0, 19)}…)`],
  'ctrd.Snapshots.Remove': ['storage.remove', (p) => `overlayfs Remove(${String(p.key).slice(0, 24)}…)`],
  'ctrd.Diff.Apply': ['storage.apply', (p) => `walking differ: apply ${String((p.layer as JsonObject | undefined)?.digest ?? '').slice(7, 19)} onto mounts`],
  // BuildKit's exporter: the differ tars what a snapshot adds to its parent (then gzips it into the content store).
  'ctrd.Diff.Diff': ['storage.diff', (p) => `walking differ: diff ${String(p.key).slice(7, 19)}… against its parent`],
};

const SNAPSHOT_TOPIC: Record<string, string> = {
  'ctrd.Snapshots.Prepare': '/snapshot/prepare',
  'ctrd.Snapshots.Commit': '/snapshot/commit',
  'ctrd.Snapshots.Remove': '/snapshot/remove',
};

export const imageServiceActions = {
  getImage: ({ context, event }: Args) => {
    const name = String(payloadOf(event).name);
    const image = context.images[name];
    if (!image) {
      context.wire.reply(event.msg, replyDraft(event.msg.op, `NotFound: image "${name}": not found`, { ok: false, status: 'NotFound', payload: { error: `image "${name}": not found` } }));
      return;
    }
    context.wire.reply(event.msg, replyDraft(event.msg.op, `OK ${image.target.digest.slice(0, 19)}…`, { payload: image as unknown as JsonObject }));
  },
  listImages: ({ context, event }: Args) => {
    const images = Object.values(context.images);
    context.wire.reply(event.msg, replyDraft(event.msg.op, `OK (${images.length} images)`, { payload: images as unknown as JsonObject[], params: { count: images.length } }));
  },
  createImage: ({ context, event }: Args) => {
    const image = payloadOf(event) as unknown as CtrdImage;
    const existed = Boolean(context.images[image.name]);
    context.images[image.name] = image;
    context.jsonBlobs[image.configDigest] = image.config;
    publishCtrd(context, existed ? '/images/update' : '/images/create', { name: image.name });
    context.wire.reply(event.msg, replyDraft(event.msg.op, 'OK'));
  },
  deleteImage: ({ context, event }: Args) => {
    const name = String(payloadOf(event).name);
    const existed = Boolean(context.images[name]);
    context.images = Object.fromEntries(Object.entries(context.images).filter(([key]) => key !== name));
    if (existed) publishCtrd(context, '/images/delete', { name });
    context.wire.reply(event.msg, replyDraft(event.msg.op, existed ? 'OK' : `NotFound: image "${name}"`, { ok: existed }));
  },
  writeContent: ({ context, event }: Args) => {
    const p = payloadOf(event);
    const digest = String(p.digest);
    const labels = (p.labels ?? {}) as Record<string, string>;
    const info = context.ports.content.commit(digest, Number(p.size), labels);
    if (typeof p.text === 'string') context.jsonBlobs[digest] = p.text;
    context.wire.reply(event.msg, replyDraft(event.msg.op, `committed ${context.ports.content.pathOf(digest)}`, { payload: { digest: info.digest, size: info.size } }));
  },
  proxyToStorage: ({ context, event, self }: Args) => {
    const p = payloadOf(event);
    const target = STORAGE_OP[event.msg.op];
    if (!target) return;
    const id = context.wire.request(self, draft('containerd', 'Storage', target[0], target[1](p), { payload: { ...p, driver: 'overlayfs' } }));
    context.proxied.set(id, event.msg);
  },
  answerFromStorage: ({ context, event }: Args) => {
    const id = event.msg.inReplyTo;
    const original = id === undefined ? undefined : context.proxied.get(id);
    if (!original || id === undefined) return;
    context.proxied.delete(id);
    const topic = SNAPSHOT_TOPIC[original.op];
    const p = (original.payload ?? {}) as JsonObject;
    if (topic && event.msg.ok) {
      const body: JsonObject = topic === '/snapshot/commit' ? { key: String(p.key), name: String(p.name) } : { key: String(p.key) };
      if (topic === '/snapshot/prepare' && p.parent) body.parent = String(p.parent);
      body.snapshotter = 'overlayfs';
      publishCtrd(context, topic, body);
    }
    const error = String(((event.msg.payload ?? {}) as JsonObject).error ?? '');
    const failed = event.msg.ok ? {} : { narration: 'ctrd.storage.failed', params: { error } };
    context.wire.reply(original, replyDraft(original.op, event.msg.ok ? 'OK' : event.msg.call, { ok: event.msg.ok, payload: event.msg.payload ?? {}, ...failed }));
  },
};
