import type { AnyActorRef } from 'xstate';
import type { Message } from '../../model/message.ts';
import { draft, replyDraft } from '../post.ts';
import { payloadFor, requestOf } from '../catalogue.ts';
import type { CtrdContext } from './containerdMachine.ts';

/**
 * Leases.Delete with `sync` (containerd plugins/services/leases, core/metadata/gc): the lease
 * goes, and the garbage collector removes at once what only it held. dockerd 29 holds a
 * container's snapshot and its init layer under a lease named after the container
 * (moby daemon/containerd/image_snapshot.go), so both go, the container's first (it is the child).
 */
const heldBy = (id: string): string[] => [id, `${id}-init`];

function removeNext(context: CtrdContext, self: AnyActorRef, original: Message, key: string): void {
  const id = context.wire.request(
    self,
    draft(
      'containerd',
      'Storage',
      'storage.remove',
      `gc: overlayfs Remove(${key.slice(0, 12)}…${key.endsWith('-init') ? '-init' : ''})`,
      {
        payload: payloadFor('storage.remove', { key, driver: 'overlayfs' }),
      },
    ),
  );
  context.proxied.set(id, original);
}

export const leaseActions = {
  deleteLease: ({
    context,
    event,
    self,
  }: {
    context: CtrdContext;
    event: { msg: Message };
    self: AnyActorRef;
  }) => {
    const { id } = requestOf(event.msg, 'ctrd.Leases.Delete');
    const [first = id, ...rest] = heldBy(id);
    context.gc.set(event.msg.id, rest);
    removeNext(context, self, event.msg, first);
  },
};

/** A snapshot the collector removed: the next one, or the answer once none is left. */
export function leaseSnapshotRemoved(
  context: CtrdContext,
  self: AnyActorRef,
  original: Message,
  answer: Message,
): void {
  const rest = context.gc.get(original.id) ?? [];
  const [next, ...more] = rest;
  if (answer.ok && next !== undefined) {
    context.gc.set(original.id, more);
    removeNext(context, self, original, next);
    return;
  }
  context.gc.delete(original.id);
  const { id } = requestOf(original, 'ctrd.Leases.Delete');
  const removed = heldBy(id).length - rest.length;
  context.wire.reply(
    original,
    replyDraft(original.op, answer.ok ? `OK; gc removed ${removed} snapshots` : answer.call, {
      ok: answer.ok,
      payload: { snapshots: heldBy(id).slice(0, removed) },
      params: { snapshots: removed },
    }),
  );
}
