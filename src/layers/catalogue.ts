import { isJsonObject, type JsonValue } from '../model/json.ts';
import type { Message } from '../model/message.ts';
import type { RegistryRequest } from '../ports/registry.ts';
import type { Mount } from '../ports/snapshotter.ts';
import type { CtrdImage } from './containerd/imageService.ts';
import type { PathStat } from './storage/pathStat.ts';
import type { StoragePayload } from './storage/storageEffects.ts';

/**
 * The op catalogue: for each op, the payload its request carries and the payload a successful
 * reply carries. The wire carries JSON (a message must cross a socket: the engine's trace stream,
 * a shim's ttrpc, a browser); the catalogue says its shape, so a layer reads and writes payloads
 * through `requestOf`, `replyOf` and `payloadFor` instead of casting at every use.
 *
 * A failed reply carries `{ error }` whatever its op (`Answer`). The catalogue grows op by op;
 * an op not in it is still carried, untyped, as `JsonValue`.
 *
 * Glossary: *request payload* — what the sender put in `payload`; *reply payload* — what the
 * answer's `payload` holds when `ok`; *answer* — a reply read through the catalogue.
 */
export interface OpCatalogue {
  // containerd's image service (api/services/images/v1): records name → target.
  'ctrd.Images.Get': { request: { name: string }; reply: CtrdImage };
  'ctrd.Images.List': { request: Record<string, never>; reply: CtrdImage[] };
  'ctrd.Images.Create': { request: CtrdImage; reply: Record<string, never> };
  /** `sync`: images.SynchronousDelete, the garbage collector runs before the answer. */
  'ctrd.Images.Delete': {
    request: { name: string; sync?: boolean };
    reply: { blobs?: string[]; snapshots?: string[] };
  };
  // containerd's content service (api/services/content/v1).
  'ctrd.Content.Write': { request: ContentWrite; reply: { digest: string; size: number } };
  'ctrd.Content.Read': { request: { digest: string }; reply: { digest: string; size: number } };
  /** A push: the blob's size before it is sent; ReaderAt also the document's exact bytes (a manifest). */
  'ctrd.Content.Info': { request: { digest: string }; reply: { digest: string; size: number } };
  'ctrd.Content.ReaderAt': {
    request: { digest: string };
    reply: { digest: string; size: number; text: string };
  };
  // containerd's snapshot and diff services, passed on to the snapshotter.
  'ctrd.Snapshots.Prepare': { request: SnapshotRequest; reply: StorageReply };
  'ctrd.Snapshots.Commit': { request: SnapshotRequest; reply: StorageReply };
  'ctrd.Snapshots.Remove': { request: SnapshotRequest; reply: StorageReply };
  'ctrd.Snapshots.Mounts': { request: SnapshotRequest; reply: StorageReply };
  /** containerd's lease service: `sync` runs the garbage collector before the answer. */
  'ctrd.Leases.Delete': { request: { id: string; sync?: boolean }; reply: { snapshots: string[] } };
  'ctrd.Diff.Apply': { request: SnapshotRequest; reply: StorageReply };
  'ctrd.Diff.Diff': { request: SnapshotRequest; reply: StorageReply };
  // The registry's HTTP API (distribution spec), one op per method.
  'registry.get': { request: RegistryRequest; reply: RegistryAnswer };
  'registry.head': { request: RegistryRequest; reply: RegistryAnswer };
  'registry.post': { request: RegistryRequest; reply: RegistryAnswer };
  'registry.patch': { request: RegistryRequest; reply: RegistryAnswer };
  'registry.put': { request: RegistryRequest; reply: RegistryAnswer };
  // The storage driver (overlayfs snapshotter, overlay2 graphdriver).
  'storage.prepare': { request: StoragePayload; reply: { mounts: Mount[]; dir: string } };
  'storage.apply': { request: StoragePayload; reply: Record<string, never> };
  'storage.commit': { request: StoragePayload; reply: Record<string, never> };
  'storage.remove': { request: StoragePayload; reply: { removed: boolean } };
  'storage.mount': { request: StoragePayload; reply: { mounts: Mount[] } };
  'storage.umount': { request: StoragePayload; reply: Record<string, never> };
  'storage.write': { request: StoragePayload; reply: Record<string, never> };
  'storage.diff': { request: StoragePayload; reply: { changes: JsonValue[]; bytes: number } };
  /** One path's lstat in a snapshot's mounted root (`docker cp`'s stat); `stat` null: nothing there. */
  'storage.stat': { request: StoragePayload; reply: { stat: PathStat | null } };
}

/** Every storage op: each carries the storage payload. */
export const STORAGE_OPS = [
  'storage.prepare',
  'storage.apply',
  'storage.commit',
  'storage.remove',
  'storage.mount',
  'storage.umount',
  'storage.write',
  'storage.diff',
  'storage.stat',
] as const;

export interface ContentWrite {
  digest: string;
  size: number;
  labels?: Record<string, string>;
  /** A small document (a config) written as text. */
  text?: string;
}

/**
 * A registry's answer as the Registry participant posts it (registryMachine.ts): status and
 * headers, the body for small documents, and `error` when the exchange failed below HTTP (status
 * 0). It comes back whatever the status: a 401 or 404 is an answer too.
 */
export interface RegistryAnswer {
  status: number;
  headers: Record<string, string>;
  bodySize: number;
  body?: string;
  error?: string;
}

/** Every registry op: each carries a registry request. */
export const REGISTRY_OPS = [
  'registry.get',
  'registry.head',
  'registry.post',
  'registry.patch',
  'registry.put',
] as const;

/**
 * A registry reply's payload whatever its status (the registry's answers are all payloads;
 * `replyOf` would read a 401 as a failure's words).
 */
export function registryAnswer(msg: Message | undefined): RegistryAnswer {
  const p = (msg?.payload ?? {}) as unknown as Partial<RegistryAnswer>;
  const answer: RegistryAnswer = {
    status: Number(p.status ?? 0),
    headers: p.headers ?? {},
    bodySize: Number(p.bodySize ?? 0),
  };
  if (typeof p.body === 'string') answer.body = p.body;
  if (typeof p.error === 'string') answer.error = p.error;
  return answer;
}

/** A snapshot call as containerd gets it: the storage payload without the driver, which containerd adds. */
export type SnapshotRequest = Omit<StoragePayload, 'driver'> & { labels?: Record<string, string> };

/** What the storage driver answers, passed back through containerd. */
export interface StorageReply {
  mounts?: Mount[];
  dir?: string;
  removed?: boolean;
}

export type Op = keyof OpCatalogue;
export type RequestOf<O extends Op> = OpCatalogue[O]['request'];
export type ReplyOf<O extends Op> = OpCatalogue[O]['reply'];

/** A reply read through the catalogue: its payload when ok, its error's words when not. */
export type Answer<T> = { ok: true; payload: T } | { ok: false; error: string };

/**
 * The payload to send for `op`: the one place a typed payload becomes the wire's JSON. The
 * catalogue's types are JSON by construction (strings, numbers, booleans, arrays, plain objects).
 */
export function payloadFor<O extends Op>(_op: O, payload: RequestOf<O>): JsonValue {
  return payload as unknown as JsonValue;
}

/** A reply's payload for `op` (what the layer answers with when it succeeds). */
export function replyPayload<O extends Op>(_op: O, payload: ReplyOf<O>): JsonValue {
  return payload as unknown as JsonValue;
}

/** The request payload of a delivered message whose op is one of `ops` (the machine routed it here by op). */
export function requestOf<O extends Op>(msg: Message, ...ops: O[]): RequestOf<O> {
  if (!(ops as readonly string[]).includes(msg.op))
    throw new Error(`message ${msg.id} is ${msg.op}, not ${ops.join(' or ')}`);
  return (msg.payload ?? {}) as unknown as RequestOf<O>;
}

/** A failed reply's words: its payload's `error`, else its call (`NotFound: …`). */
export function errorOf(msg: Message): string {
  const p = msg.payload;
  return isJsonObject(p) && typeof p.error === 'string' ? p.error : msg.call;
}

/** A reply to a request of `op`, read through the catalogue; no reply at all (a timeout) is an error. */
export function replyOf<O extends Op>(msg: Message | undefined, _op: O): Answer<ReplyOf<O>> {
  if (msg === undefined) return { ok: false, error: 'no answer' };
  if (!msg.ok) return { ok: false, error: errorOf(msg) };
  return { ok: true, payload: (msg.payload ?? {}) as unknown as ReplyOf<O> };
}
