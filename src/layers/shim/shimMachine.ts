import { assign, setup, type ActorRefFrom } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { ProcessEvent } from '../../ports/runtime.ts';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft, short } from '../post.ts';
import { shimProcessMachine } from './shimProcessMachine.ts';

/**
 * The shim layer: every containerd-shim-runc-v2 process on the host. containerd starts one per
 * container (`containerd-shim-runc-v2 -namespace moby -id ID start`); that invocation forks the
 * long-lived shim, which re-parents itself away from containerd (so pstree shows it under PID 1,
 * not under containerd as older diagrams draw) and prints its ttrpc socket address.
 *
 * Grouping (containerd 2.x, cmd/containerd-shim-runc-v2/manager/manager_linux.go): the start
 * command names its socket after the spec's `io.kubernetes.cri.sandbox-id` annotation when there
 * is one. For a pod's second task the socket is already in use and answers, so the command just
 * prints that address and exits: one shim process serves the pause container and every
 * container of the pod, each with its own task state (the runc service's container map).
 * containerd asks such a shim to shut down only when the sandbox's task is deleted, and the
 * shim's Shutdown returns at once while it still serves a container (task/service.go).
 */
interface Group {
  address: string;
  pid: number;
}

type Ctx = LayerInput & {
  shims: Record<string, ActorRefFrom<typeof shimProcessMachine>>;
  /** Sandbox id → the shim that serves the pod's tasks. */
  groups: Record<string, Group>;
};

const groupOf = (e: WireEvent): string | undefined => {
  const group = ((e.msg.payload ?? {}) as JsonObject).group;
  return typeof group === 'string' ? group : undefined;
};

const namespaceOf = (e: WireEvent): string =>
  String(((e.msg.payload ?? {}) as JsonObject).namespace ?? 'moby');

/** The other containers a shim process still serves. */
function servedBy(ctx: Ctx, pid: number, except: string): string[] {
  return Object.entries(ctx.shims)
    .filter(
      ([id, actor]) =>
        id !== except &&
        actor.getSnapshot().status === 'active' &&
        actor.getSnapshot().context.shimPid === pid,
    )
    .map(([id]) => id);
}

function liveGroup(ctx: Ctx, group: string | undefined): Group | undefined {
  const g = group === undefined ? undefined : ctx.groups[group];
  return g && servedBy(ctx, g.pid, '').length > 0 ? g : undefined;
}

const idOf = (e: WireEvent) => String(((e.msg.payload ?? {}) as JsonObject).id ?? '');

export const shimMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  actors: { shimProcess: shimProcessMachine },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isWireMessage: ({ event }) => 'msg' in event && event.msg !== undefined,
  },
  actions: {
    startShim: assign(({ context, event, spawn }) => {
      const id = idOf(event);
      const group = groupOf(event);
      const existing = liveGroup(context, group);
      const address = existing?.address ?? `unix:///run/containerd/s/${context.ports.ids.hex(64)}`;
      const shimPid = existing?.pid ?? context.ports.ids.pid();
      const actor = spawn('shimProcess', {
        id: `shim-${id}`,
        input: { id, wire: context.wire, shimPid, namespace: namespaceOf(event) },
      });
      const call = existing
        ? `${address} (socket in use: shim pid ${shimPid} serves the pod; no new process)`
        : `${address} (shim pid ${shimPid}, parent → subreaper)`;
      context.wire.reply(
        event.msg,
        replyDraft(event.msg.op, call, {
          payload: { address, pid: shimPid },
          ...(existing ? { narration: 'shim.start.grouped.reply' } : {}),
        }),
      );
      const groups =
        group !== undefined && !existing
          ? { ...context.groups, [group]: { address, pid: shimPid } }
          : context.groups;
      return { shims: { ...context.shims, [id]: actor }, groups };
    }),
    routeTtrpc: ({ context, event }) => {
      context.shims[idOf(event)]?.send({ type: 'ttrpc', msg: event.msg });
    },
    routeProcessEvent: ({ context, event }) => {
      const pe = event.msg.payload as unknown as ProcessEvent;
      context.shims[pe.containerId]?.send({ type: 'process', event: pe });
    },
    shutdownShim: assign({
      shims: ({ context, event }) => {
        const id = idOf(event);
        const pid = context.shims[id]?.getSnapshot().context.shimPid;
        const others = pid === undefined ? [] : servedBy(context, pid, id);
        if (others.length > 0) {
          context.wire.reply(
            event.msg,
            replyDraft(
              event.msg.op,
              `shim keeps running: it still serves ${others.length} container(s) of the pod`,
              { narration: 'shim.Shutdown.kept.reply' },
            ),
          );
        } else {
          context.wire.reply(event.msg, replyDraft(event.msg.op, `shim ${short(id)} exits`));
        }
        const { [id]: _gone, ...rest } = context.shims;
        return rest;
      },
    }),
  },
}).createMachine({
  id: 'shim',
  context: ({ input }) => ({ ...input, shims: {}, groups: {} }),
  on: {
    'shim.start': { actions: 'startShim' },
    'shim.Shutdown': { actions: 'shutdownShim' },
    'kernel.output': { actions: 'routeProcessEvent' },
    'kernel.exit': { actions: 'routeProcessEvent' },
    'kernel.oom': { actions: 'routeProcessEvent' },
    '*': { guard: 'isWireMessage', actions: 'routeTtrpc' },
  },
});
