import { assign, setup, type ActorRefFrom } from 'xstate';
import type { Snapshotter } from '../../ports/snapshotter.ts';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';
import { snapshotMachine } from './snapshotMachine.ts';

/**
 * The storage driver: overlayfs snapshots on disk. In profile v29 containerd drives it (its
 * overlayfs snapshotter); in profile classic dockerd drives it (the overlay2 graphdriver). One
 * child actor per snapshot mirrors its lifecycle.
 */
interface StoragePayload {
  driver: 'overlayfs' | 'overlay2';
  key: string;
  parent?: string;
  name?: string;
  layer?: { digest: string; diffId: string; size: number };
  target?: string;
  /** Files written into an active snapshot (a build step's COPY, a WORKDIR's mkdir). */
  files?: { path: string; size: number }[];
}

type Ctx = LayerInput & { snapshots: Record<string, ActorRefFrom<typeof snapshotMachine>> };

function driverOf(ctx: Ctx, p: StoragePayload): Snapshotter {
  return p.driver === 'overlay2' ? ctx.ports.graphdriver : ctx.ports.snapshotter;
}

function payloadOf(event: WireEvent): StoragePayload {
  return event.msg.payload as unknown as StoragePayload;
}

function fail(ctx: Ctx, event: WireEvent, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  ctx.wire.reply(event.msg, replyDraft(event.msg.op, `error: ${message}`, { ok: false, payload: { error: message }, params: { error: message }, narration: 'storage.error.reply' }));
}

export const storageMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  actors: { snapshot: snapshotMachine },
  actions: {
    prepareSnapshot: ({ context, event }) => {
      const p = payloadOf(event);
      const sn = driverOf(context, p);
      try {
        const mounts = sn.prepare(p.key, p.parent);
        const dir = sn.stat(p.key)?.dir ?? '';
        const upper = sn.name === 'overlay2' ? 'diff' : 'fs';
        const call = `mkdir ${sn.root}/${dir}/{${upper},work}`;
        context.wire.reply(event.msg, replyDraft(event.msg.op, call, { payload: { mounts: mounts as never, dir }, params: { dir } }));
      } catch (error) {
        fail(context, event, error);
      }
    },
    spawnSnapshot: assign({
      snapshots: ({ context, event, spawn }) => {
        const p = payloadOf(event);
        if (context.snapshots[p.key]) return context.snapshots;
        const actor = spawn('snapshot', {
          id: `snapshot-${p.driver}-${p.key}`,
          input: { key: p.key, parent: p.parent, driver: p.driver },
        });
        return { ...context.snapshots, [p.key]: actor };
      },
    }),
    applyLayer: ({ context, event }) => {
      const p = payloadOf(event);
      const sn = driverOf(context, p);
      try {
        if (!p.layer) throw new Error(`apply ${p.key}: no layer given`);
        sn.apply(p.key, p.layer);
        const call = `untar ${p.layer.digest.slice(7, 19)} → ${sn.pathOf(p.key)}`;
        context.wire.reply(event.msg, replyDraft(event.msg.op, call, { params: { size: p.layer.size } }));
      } catch (error) {
        fail(context, event, error);
      }
    },
    commitSnapshot: ({ context, event }) => {
      const p = payloadOf(event);
      const sn = driverOf(context, p);
      try {
        // A layer is registered once: dockerd's layer store and containerd's unpacker (which
        // takes AlreadyExists as done) keep the committed one and drop the new directory.
        if (p.name !== undefined && sn.stat(p.name)?.kind === 'committed' && sn.stat(p.key)?.kind === 'active') {
          sn.remove(p.key);
          context.wire.reply(event.msg, replyDraft(event.msg.op, `layer ${p.name.slice(7, 19)}… exists: reuse it`));
          return;
        }
        const info = sn.commit(p.name ?? p.key, p.key, p.parent);
        const actor = context.snapshots[p.key];
        actor?.send({ type: 'commit' });
        if (actor) {
          const { [p.key]: _old, ...rest } = context.snapshots;
          context.snapshots = { ...rest, [info.key]: actor };
        }
        context.wire.reply(event.msg, replyDraft(event.msg.op, `committed ${sn.root}/${info.dir} (read-only)`));
      } catch (error) {
        fail(context, event, error);
      }
    },
    removeSnapshot: ({ context, event }) => {
      const p = payloadOf(event);
      const sn = driverOf(context, p);
      const path = sn.pathOf(p.key);
      const removed = sn.remove(p.key);
      context.snapshots[p.key]?.send({ type: 'remove' });
      const { [p.key]: _gone, ...rest } = context.snapshots;
      context.snapshots = rest;
      const call = removed ? `rm -rf ${path}` : `kept ${path}: still a parent`;
      context.wire.reply(event.msg, replyDraft(event.msg.op, call, { payload: { removed } }));
    },
    mountRootfs: ({ context, event }) => {
      const p = payloadOf(event);
      const sn = driverOf(context, p);
      try {
        const m = sn.mounts(p.key)[0];
        const call = m ? `mount -t ${m.type} ${m.source} -o ${m.options.join(',')} ${p.target ?? ''}` : 'mount';
        context.wire.reply(event.msg, replyDraft(event.msg.op, call, { payload: { mounts: sn.mounts(p.key) as never } }));
      } catch (error) {
        fail(context, event, error);
      }
    },
    /** The builder copies files into a layer it holds (COPY), or dockerd makes a directory (WORKDIR). */
    writeFiles: ({ context, event }) => {
      const p = payloadOf(event);
      const sn = driverOf(context, p);
      try {
        const files = p.files ?? [];
        for (const f of files) sn.write(p.key, f.path, f.size);
        const bytes = files.reduce((n, f) => n + f.size, 0);
        context.wire.reply(event.msg, replyDraft(event.msg.op, `${files.length} file(s), ${bytes} bytes → ${sn.pathOf(p.key)}`, { params: { count: files.length, bytes } }));
      } catch (error) {
        fail(context, event, error);
      }
    },
    /** overlay2's Diff: the upper dir as a tar stream; nothing in it means an empty layer. */
    diffSnapshot: ({ context, event }) => {
      const p = payloadOf(event);
      const sn = driverOf(context, p);
      try {
        const changes = sn.changes(p.key);
        const bytes = changes.reduce((n, f) => n + f.size, 0);
        context.wire.reply(event.msg, replyDraft(event.msg.op, `tar ${sn.pathOf(p.key)}: ${changes.length} entries, ${bytes} bytes`, { payload: { changes, bytes }, params: { count: changes.length, bytes } }));
      } catch (error) {
        fail(context, event, error);
      }
    },
    /** A process wrote a file: the bytes land in its container's upper dir (copy-up first if a lower layer has it). */
    recordWrite: ({ context, event }) => {
      const p = (event.msg.payload ?? {}) as { containerId?: string; path?: string; bytes?: number; append?: boolean };
      const sn = context.profile === 'classic' ? context.ports.graphdriver : context.ports.snapshotter;
      const key = String(p.containerId);
      if (sn.stat(key)?.kind !== 'active') return;
      const before = p.append ? (sn.changes(key).find((f) => f.path === p.path)?.size ?? 0) : 0;
      sn.write(key, String(p.path), before + Number(p.bytes ?? 0));
    },
    unmountRootfs: ({ context, event }) => {
      const p = payloadOf(event);
      context.wire.reply(event.msg, replyDraft(event.msg.op, `umount ${p.target ?? p.key}`));
    },
  },
}).createMachine({
  id: 'storage',
  context: ({ input }) => ({ ...input, snapshots: {} }),
  on: {
    'storage.prepare': { actions: ['spawnSnapshot', 'prepareSnapshot'] },
    'storage.apply': { actions: 'applyLayer' },
    'storage.commit': { actions: 'commitSnapshot' },
    'storage.remove': { actions: 'removeSnapshot' },
    'storage.mount': { actions: 'mountRootfs' },
    'storage.umount': { actions: 'unmountRootfs' },
    'storage.write': { actions: 'writeFiles' },
    'storage.diff': { actions: 'diffSnapshot' },
    'kernel.file': { actions: 'recordWrite' },
  },
});
