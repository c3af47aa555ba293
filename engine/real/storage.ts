// The Storage participant's real actions: containerd's overlayfs snapshotter and diff service
// doing for real what the machine's simulated actions model (snapshots.Snapshotter,
// https://github.com/containerd/containerd/blob/main/core/snapshots/snapshotter.go). Each answer
// comes when the disk work is done; until then the machine's reply is not on the wire.
import type { AnyActorRef } from 'xstate';
import type { Message } from '../../src/model/message.ts';
import { replyDraft } from '../../src/layers/post.ts';
import type { Wire, WireEvent } from '../../src/wire/wire.ts';
import { shortId } from '../image/digest.ts';
import { applyStoredBlob } from '../image/layer.ts';
import type { RealSession } from './session.ts';

interface StoragePayload {
  key: string;
  parent?: string;
  name?: string;
  layer?: { digest: string; diffId: string; size: number };
}

type Args = { context: { wire: Wire }; event: WireEvent; self: AnyActorRef };

function answer(session: RealSession, wire: Wire, msg: Message, work: () => Promise<string>): void {
  void session.track(work()).then(
    (call) => wire.reply(msg, replyDraft(msg.op, call)),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      wire.reply(msg, replyDraft(msg.op, `error: ${message}`, { ok: false, payload: { error: message }, params: { error: message }, narration: 'storage.error.reply' }));
    },
  );
}

function dirOf(session: RealSession, key: string): string {
  return `${session.root.snapshots.root}/${session.root.snapshots.stat(key)?.id ?? '?'}`;
}

async function prepare(session: RealSession, p: StoragePayload): Promise<string> {
  const key = session.realKey(p.key);
  await session.root.snapshots.prepare(key, p.parent, p.parent === undefined ? {} : { 'containerd.io/snapshot.parent': p.parent });
  return `mkdir ${dirOf(session, key)}/{fs,work}`;
}

async function apply(session: RealSession, p: StoragePayload): Promise<string> {
  if (!p.layer) throw new Error(`apply ${p.key}: no layer given`);
  const key = session.realKey(p.key);
  const dir = session.root.snapshots.fsPath(key);
  const id = shortId(p.layer.digest);
  session.layerOf.set(p.key, p.layer.digest);
  session.progress({ kind: 'layer', id, status: 'Extracting', current: 0, total: p.layer.size });
  const result = await applyStoredBlob(session.root, p.layer, dir);
  session.progress({ kind: 'layer', id, status: 'Extracting', current: p.layer.size, total: p.layer.size });
  return `untar ${id} (${result.gzip ? 'gzip, ' : ''}${result.size} bytes, diff id checked) → ${dir}`;
}

async function commit(session: RealSession, p: StoragePayload): Promise<string> {
  const key = session.realKey(p.key);
  const name = p.name ?? key;
  const snapshots = session.root.snapshots;
  // Held before it is committed or found, so no collection runs between the two.
  session.holdSnapshot(name);
  // Another operation committed the same layer first: containerd's unpacker takes AlreadyExists as done.
  if (snapshots.stat(name)?.kind === 'committed') {
    await snapshots.remove(key);
    return `layer ${name.slice(7, 19)}… exists: reuse it`;
  }
  const dir = dirOf(session, key);
  // A layer unpacked on its own is rebased onto the one below it as it is committed.
  await snapshots.commit(name, key, p.parent === undefined ? {} : { parent: p.parent });
  const layer = session.layerOf.get(p.key);
  if (layer !== undefined) session.progress({ kind: 'layer', id: shortId(layer), status: 'Pull complete' });
  return `committed ${dir} (read-only)`;
}

async function remove(session: RealSession, p: StoragePayload): Promise<string> {
  const key = session.realKey(p.key);
  const dir = dirOf(session, key);
  await session.root.snapshots.remove(key);
  return `rm -rf ${dir}`;
}

type Work = (session: RealSession, p: StoragePayload) => Promise<string>;

/** The storage machine's named actions that touch the disk, real. */
export function realStorageActions(session: RealSession) {
  const action = (work: Work) => ({ context, event }: Args) =>
    answer(session, context.wire, event.msg, () => work(session, event.msg.payload as unknown as StoragePayload));
  return {
    prepareSnapshot: action(prepare),
    applyLayer: action(apply),
    commitSnapshot: action(commit),
    removeSnapshot: action(remove),
  };
}
