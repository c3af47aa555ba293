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
 */
type Ctx = LayerInput & { shims: Record<string, ActorRefFrom<typeof shimProcessMachine>> };

const idOf = (e: WireEvent) => String(((e.msg.payload ?? {}) as JsonObject).id ?? '');

export const shimMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  actors: { shimProcess: shimProcessMachine },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isWireMessage: ({ event }) => 'msg' in event && event.msg !== undefined,
  },
  actions: {
    startShim: assign({
      shims: ({ context, event, spawn }) => {
        const id = idOf(event);
        const address = `unix:///run/containerd/s/${context.ports.ids.hex(64)}`;
        const shimPid = context.ports.ids.pid();
        const actor = spawn('shimProcess', { id: `shim-${id}`, input: { id, wire: context.wire, shimPid } });
        context.wire.reply(
          event.msg,
          replyDraft(event.msg.op, `${address} (shim pid ${shimPid}, parent → subreaper)`, { payload: { address, pid: shimPid } }),
        );
        return { ...context.shims, [id]: actor };
      },
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
        context.wire.reply(event.msg, replyDraft(event.msg.op, `shim ${short(id)} exits`));
        const { [id]: _gone, ...rest } = context.shims;
        return rest;
      },
    }),
  },
}).createMachine({
  id: 'shim',
  context: ({ input }) => ({ ...input, shims: {} }),
  on: {
    'shim.start': { actions: 'startShim' },
    'shim.Shutdown': { actions: 'shutdownShim' },
    'kernel.output': { actions: 'routeProcessEvent' },
    'kernel.exit': { actions: 'routeProcessEvent' },
    'kernel.oom': { actions: 'routeProcessEvent' },
    '*': { guard: 'isWireMessage', actions: 'routeTtrpc' },
  },
});
