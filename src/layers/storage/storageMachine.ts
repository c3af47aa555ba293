import {
  assign,
  enqueueActions,
  setup,
  stopChild,
  type ActorRefFrom,
  type DoneActorEvent,
  type ErrorActorEvent,
} from 'xstate';
import type { Message } from '../../model/message.ts';
import type { Mount, Snapshotter } from '../../ports/snapshotter.ts';
import type { WireEvent } from '../../wire/wire.ts';
import { requestOf, STORAGE_OPS } from '../catalogue.ts';
import { answerFailed, errorText, serve, served, type Jobs } from '../effect.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';
import { snapshotMachine } from './snapshotMachine.ts';
import {
  simStorageEffects,
  storageCalls,
  type ApplyEvidence,
  type CommitEvidence,
  type DiffEvidence,
  type PrepareEvidence,
  type RemoveEvidence,
  type StatEvidence,
  type StorageInput,
  type StoragePayload,
} from './storageEffects.ts';

/**
 * The storage driver: overlayfs snapshots on disk. In profile v29 containerd drives it (its
 * overlayfs snapshotter); in profile classic dockerd drives it (the overlay2 graphdriver). One
 * child actor per snapshot mirrors its lifecycle.
 *
 * Prepare, apply, commit, remove, diff and stat are effects (storageEffects.ts): the machine spawns one per
 * request, records the result in its snapshot table when it is done, and answers with the
 * evidence. Until the effect is done there is no answer on the wire.
 */
type Ctx = LayerInput & {
  snapshots: Record<string, ActorRefFrom<typeof snapshotMachine>>;
  jobs: Jobs;
};

type Event = WireEvent | DoneActorEvent<unknown> | ErrorActorEvent;

function driverOf(ctx: Ctx, p: StoragePayload): Snapshotter {
  return p.driver === 'overlay2' ? ctx.ports.graphdriver : ctx.ports.snapshotter;
}

function payloadOf(event: WireEvent): StoragePayload {
  return requestOf(event.msg, ...STORAGE_OPS);
}

function fail(ctx: Ctx, msg: Message, error: unknown): void {
  const message = errorText(error);
  ctx.wire.reply(
    msg,
    replyDraft(msg.op, `error: ${message}`, {
      ok: false,
      payload: { error: message },
      params: { error: message },
      narration: 'storage.error.reply',
    }),
  );
}

/** The request a done effect served (it leaves the jobs), its payload and its evidence. */
function finished<T>(ctx: Ctx, event: Event): { msg: Message; p: StoragePayload; out: T } | undefined {
  const done = served<T>(ctx.jobs, event);
  return done?.ok ? { msg: done.msg, p: requestOf(done.msg, ...STORAGE_OPS), out: done.output } : undefined;
}

type EffectName =
  'prepareSnapshot' | 'applyLayer' | 'commitSnapshot' | 'removeSnapshot' | 'diffSnapshot' | 'statPath';

/** A snapshot's mounts in a few words: its upper dir and how many layers lie below it. */
function mountsText(m: Mount | undefined): string {
  if (m === undefined) return 'no mounts (a bind of the snapshot dir)';
  const upper = m.options.find((o) => o.startsWith('upperdir='));
  const lower = m.options.find((o) => o.startsWith('lowerdir='));
  const layers = lower === undefined ? 0 : lower.split(':').length;
  return `${m.type}: ${upper ?? m.source}, ${layers} lowerdir${layers === 1 ? '' : 's'}`;
}

export const storageMachine = setup({
  types: { context: {} as Ctx, events: {} as Event, input: {} as LayerInput },
  actors: { snapshot: snapshotMachine, ...simStorageEffects },
  actions: {
    /** Start the effect a storage request names; its answer comes when the effect is done. */
    startEffect: enqueueActions(({ enqueue, context, event }, name: EffectName) => {
      if (!('msg' in event)) return;
      const p = payloadOf(event);
      const id = serve(context.jobs, name, event.msg);
      const input: StorageInput = { ...p, requestId: event.msg.id, sn: driverOf(context, p) };
      enqueue.spawnChild(name, { id, input });
    }),
    /** A finished effect leaves the machine's children (XState keeps done children until stopped). */
    forgetEffect: stopChild(({ event }) => ('actorId' in event ? event.actorId : '')),
    /** An effect failed: the request is answered with its error, nothing is recorded. */
    effectFailed: ({ context, event }) =>
      answerFailed(context.jobs, event, (msg, error) => fail(context, msg, error)),
    snapshotPrepared: assign(({ context, event, spawn }) => {
      const done = finished<PrepareEvidence>(context, event);
      if (!done) return {};
      const { msg, p, out } = done;
      const snapshots = context.snapshots[p.key]
        ? context.snapshots
        : {
            ...context.snapshots,
            [p.key]: spawn('snapshot', {
              id: `snapshot-${p.driver}-${p.key}`,
              input: { key: p.key, parent: p.parent, driver: p.driver },
            }),
          };
      context.wire.reply(
        msg,
        replyDraft(msg.op, storageCalls.prepare(out), {
          payload: { mounts: out.mounts as never, dir: out.dir },
          params: { dir: out.dir },
        }),
      );
      return { snapshots };
    }),
    layerApplied: ({ context, event }) => {
      const done = finished<ApplyEvidence>(context, event);
      if (!done) return;
      const { msg, p, out } = done;
      context.wire.reply(
        msg,
        replyDraft(msg.op, storageCalls.apply(p, out), { params: { size: p.layer?.size ?? 0 } }),
      );
    },
    /** Committed: the snapshot is known by its name now. Reused: the new one is gone, and its actor with it. */
    snapshotCommitted: enqueueActions(({ enqueue, context, event }) => {
      const done = finished<CommitEvidence>(context, event);
      if (!done) return;
      const { msg, p, out } = done;
      const actor = context.snapshots[p.key];
      const { [p.key]: _old, ...rest } = context.snapshots;
      if (actor && !out.reused) actor.send({ type: 'commit' });
      if (actor && out.reused) {
        actor.send({ type: 'remove' });
        enqueue.stopChild(actor);
      }
      const snapshots =
        actor && !out.reused ? { ...rest, [p.name ?? p.key]: actor } : actor ? rest : context.snapshots;
      context.wire.reply(msg, replyDraft(msg.op, storageCalls.commit(p, out)));
      enqueue.assign({ snapshots });
    }),
    /** Removed: the snapshot's actor goes from the table and from the machine's children. */
    snapshotRemoved: enqueueActions(({ enqueue, context, event }) => {
      const done = finished<RemoveEvidence>(context, event);
      if (!done) return;
      const { msg, p, out } = done;
      const actor = context.snapshots[p.key];
      if (out.removed && actor) {
        actor.send({ type: 'remove' });
        enqueue.stopChild(actor);
      }
      const { [p.key]: _gone, ...rest } = context.snapshots;
      context.wire.reply(
        msg,
        replyDraft(msg.op, storageCalls.remove(out), { payload: { removed: out.removed } }),
      );
      enqueue.assign({ snapshots: out.removed ? rest : context.snapshots });
    }),
    mountRootfs: ({ context, event }) => {
      if (!('msg' in event)) return;
      const p = payloadOf(event);
      const sn = driverOf(context, p);
      try {
        const m = sn.mounts(p.key)[0];
        // Without a target the driver only lists the mounts (containerd's Snapshots.Mounts): the
        // caller mounts them itself.
        const how = m ? `-t ${m.type} ${m.source} -o ${m.options.join(',')}` : '';
        const call = p.target === undefined ? mountsText(m) : `mount ${how} ${p.target}`;
        context.wire.reply(
          event.msg,
          replyDraft(event.msg.op, call, {
            payload: { mounts: sn.mounts(p.key) as never },
            ...(p.target === undefined ? { narration: 'storage.mounts.reply' } : {}),
          }),
        );
      } catch (error) {
        fail(context, event.msg, error);
      }
    },
    /** The builder copies files into a layer it holds (COPY), or dockerd makes a directory (WORKDIR). */
    writeFiles: ({ context, event }) => {
      if (!('msg' in event)) return;
      const p = payloadOf(event);
      const sn = driverOf(context, p);
      try {
        const files = p.files ?? [];
        for (const f of files) sn.write(p.key, f.path, f.size);
        const bytes = files.reduce((n, f) => n + f.size, 0);
        context.wire.reply(
          event.msg,
          replyDraft(event.msg.op, `${files.length} file(s), ${bytes} bytes → ${sn.pathOf(p.key)}`, {
            params: { count: files.length, bytes },
          }),
        );
      } catch (error) {
        fail(context, event.msg, error);
      }
    },
    /** overlay2's Diff and Changes: the upper dir's entries (an effect: real mode walks the disk). */
    snapshotDiffed: ({ context, event }) => {
      const done = finished<DiffEvidence>(context, event);
      if (!done) return;
      const { msg, p, out } = done;
      context.wire.reply(
        msg,
        replyDraft(msg.op, storageCalls.diff(driverOf(context, p).pathOf(p.key), out), {
          payload: { changes: out.changes, bytes: out.bytes },
          params: { count: out.changes.length, bytes: out.bytes },
          ...(out.whole ? { narration: 'storage.diff.layer.reply' } : {}),
        }),
      );
    },
    /** One path's lstat in the snapshot's mounted root (an effect: real mode looks on the disk). */
    pathStatted: ({ context, event }) => {
      const done = finished<StatEvidence>(context, event);
      if (!done) return;
      const { msg, p, out } = done;
      const path = p.path ?? '/';
      context.wire.reply(
        msg,
        replyDraft(msg.op, storageCalls.stat(path, out), {
          payload: { stat: out.stat === null ? null : { ...out.stat } },
          params: { path, size: out.stat?.size ?? 0 },
          ...(out.stat === null ? { narration: 'storage.stat.missing.reply' } : {}),
        }),
      );
    },
    /** A process wrote a file: the bytes land in its container's upper dir (copy-up first if a lower layer has it). */
    recordWrite: ({ context, event }) => {
      if (!('msg' in event)) return;
      const p = (event.msg.payload ?? {}) as {
        containerId?: string;
        path?: string;
        bytes?: number;
        append?: boolean;
      };
      const sn = context.profile === 'classic' ? context.ports.graphdriver : context.ports.snapshotter;
      const key = String(p.containerId);
      if (sn.stat(key)?.kind !== 'active') return;
      const before = p.append ? (sn.changes(key).find((f) => f.path === p.path)?.size ?? 0) : 0;
      sn.write(key, String(p.path), before + Number(p.bytes ?? 0));
    },
    unmountRootfs: ({ context, event }) => {
      if (!('msg' in event)) return;
      const p = payloadOf(event);
      context.wire.reply(event.msg, replyDraft(event.msg.op, `umount ${p.target ?? p.key}`));
    },
  },
}).createMachine({
  id: 'storage',
  context: ({ input }) => ({ ...input, snapshots: {}, jobs: new Map<string, Message>() }),
  on: {
    'storage.prepare': { actions: { type: 'startEffect', params: 'prepareSnapshot' } },
    'storage.apply': { actions: { type: 'startEffect', params: 'applyLayer' } },
    'storage.commit': { actions: { type: 'startEffect', params: 'commitSnapshot' } },
    'storage.remove': { actions: { type: 'startEffect', params: 'removeSnapshot' } },
    'xstate.done.actor.prepareSnapshot.*': { actions: ['snapshotPrepared', 'forgetEffect'] },
    'xstate.done.actor.applyLayer.*': { actions: ['layerApplied', 'forgetEffect'] },
    'xstate.done.actor.commitSnapshot.*': { actions: ['snapshotCommitted', 'forgetEffect'] },
    'xstate.done.actor.removeSnapshot.*': { actions: ['snapshotRemoved', 'forgetEffect'] },
    'xstate.done.actor.diffSnapshot.*': { actions: ['snapshotDiffed', 'forgetEffect'] },
    'xstate.done.actor.statPath.*': { actions: ['pathStatted', 'forgetEffect'] },
    'xstate.error.actor.*': { actions: ['effectFailed', 'forgetEffect'] },
    'storage.mount': { actions: 'mountRootfs' },
    'storage.umount': { actions: 'unmountRootfs' },
    'storage.write': { actions: 'writeFiles' },
    'storage.diff': { actions: { type: 'startEffect', params: 'diffSnapshot' } },
    'storage.stat': { actions: { type: 'startEffect', params: 'statPath' } },
    'kernel.file': { actions: 'recordWrite' },
  },
});
