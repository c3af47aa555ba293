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
import type { WireEvent } from '../../wire/wire.ts';
import { answerFailed, errorText, serve, served, type Jobs } from '../effect.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';
import { cniActions } from './cni.ts';
import {
  simUserNetworkEffects,
  userNetworkCalls,
  type CreateNetworkEvidence,
  type CreateNetworkPayload,
  type DeleteNetworkEvidence,
} from './userNetworks.ts';
import type { UserNetwork } from '../../ports/network.ts';
import {
  networkCalls,
  simNetworkEffects,
  type ConnectEvidence,
  type ConnectInput,
  type ConnectPayload,
  type DisconnectEvidence,
  type DisconnectPayload,
} from './networkEffects.ts';

/**
 * The bridge network driver (libnetwork's `bridge`). One endpoint actor per attached container.
 * On a Kubernetes node the same participant stands for the CNI plugins containerd execs (cni.ts).
 * https://docs.docker.com/engine/network/drivers/bridge/
 *
 * Connect and disconnect are effects (networkEffects.ts): the machine spawns one per request,
 * records the endpoint when it is done and answers with the evidence. Until the effect is done
 * there is no answer on the wire.
 */
export const endpointMachine = setup({
  types: {
    context: {} as { containerId: string; ip: string },
    events: {} as { type: 'detach' },
    input: {} as { containerId: string; ip: string },
  },
}).createMachine({
  id: 'endpoint',
  context: ({ input }) => input,
  initial: 'attached',
  states: { attached: { on: { detach: 'detached' } }, detached: { type: 'final' } },
});

type Ctx = LayerInput & {
  endpoints: Record<string, ActorRefFrom<typeof endpointMachine>>;
  jobs: Jobs;
};

type Event = WireEvent | DoneActorEvent<unknown> | ErrorActorEvent;
type EffectName = 'connectEndpoint' | 'disconnectEndpoint';
type NetworkEffectName = 'createNetwork' | 'deleteNetwork';

const payloadOf = (msg: Message) => (msg.payload ?? {}) as unknown as ConnectPayload & DisconnectPayload;

/** The request a done effect served (it leaves the jobs), and its evidence. */
function finished<T>(ctx: Ctx, event: Event): { msg: Message; out: T } | undefined {
  const done = served<T>(ctx.jobs, event);
  return done?.ok ? { msg: done.msg, out: done.output } : undefined;
}

/** A connect for a sandbox whose namespace runc has not made yet (dockerd 20.10's order). */
function beforeItsNamespace(msg: Message): boolean {
  const p = payloadOf(msg);
  return p.sandboxId !== undefined && p.pid === undefined;
}

/** A connect or disconnect that failed: the driver's error, as the reply's words. */
function connectFailed(ctx: Ctx, msg: Message, error: unknown): void {
  const message = errorText(error);
  ctx.wire.reply(
    msg,
    replyDraft(msg.op, `error: ${message}`, {
      ok: false,
      payload: { error: message },
      // A disconnect that failed (real mode: a tool refused) reads as the disconnect's reply.
      ...(msg.op === 'net.connect'
        ? { params: { error: message }, narration: 'net.connect.failed' }
        : msg.op === 'net.disconnect'
          ? { params: { error: message, ip: '-' } }
          : { params: { error: message } }),
    }),
  );
}

export const networkMachine = setup({
  types: { context: {} as Ctx, events: {} as Event, input: {} as LayerInput },
  actors: { endpoint: endpointMachine, ...simNetworkEffects, ...simUserNetworkEffects },
  actions: {
    /** Start the effect a network request names; its answer comes when the effect is done. */
    startEffect: enqueueActions(({ enqueue, context, event }, name: EffectName) => {
      if (!('msg' in event)) return;
      const id = serve(context.jobs, name, event.msg);
      const input: ConnectInput = {
        ...payloadOf(event.msg),
        requestId: event.msg.id,
        driver: context.ports.network,
      };
      enqueue.spawnChild(name, { id, input });
    }),
    /** A user-defined network's bridge made or deleted by the driver (userNetworks.ts). */
    startNetworkEffect: enqueueActions(({ enqueue, context, event }, name: NetworkEffectName) => {
      if (!('msg' in event)) return;
      const id = serve(context.jobs, name, event.msg);
      const payload = event.msg.payload as unknown as CreateNetworkPayload;
      const input = { ...payload, requestId: event.msg.id, driver: context.ports.network };
      if (name === 'createNetwork') enqueue.spawnChild('createNetwork', { id, input });
      else enqueue.spawnChild('deleteNetwork', { id, input });
    }),
    forgetEffect: stopChild(({ event }) => ('actorId' in event ? event.actorId : '')),
    effectFailed: ({ context, event }) =>
      answerFailed(context.jobs, event, (msg, error) => connectFailed(context, msg, error)),
    connected: assign(({ context, event, spawn }) => {
      const done = finished<ConnectEvidence>(context, event);
      if (!done) return {};
      const { msg, out: e } = done;
      context.wire.reply(
        msg,
        replyDraft(msg.op, networkCalls.connect(e, beforeItsNamespace(msg)), {
          payload: { ...e, ports: e.ports as never },
          params: { ip: e.ip, veth: e.hostVeth, bridge: e.bridge },
          // A sandbox with no init yet (classic): the namespace comes later, from runc create's
          // prestart hook (containerStart.ts).
          ...(beforeItsNamespace(msg) ? { narration: 'net.connect.reply.classic' } : {}),
        }),
      );
      const actor = spawn('endpoint', {
        id: `endpoint-${e.containerId}`,
        input: { containerId: e.containerId, ip: e.ip },
      });
      return {
        endpoints: { ...context.endpoints, [e.containerId]: actor },
      };
    }),
    disconnected: assign(({ context, event }) => {
      const done = finished<DisconnectEvidence>(context, event);
      if (!done) return {};
      const { msg, out } = done;
      const p = payloadOf(msg);
      // A Leave for an endpoint the driver does not have is an error, not a silent success.
      context.wire.reply(
        msg,
        replyDraft(msg.op, networkCalls.disconnect(p, out), {
          params: { ip: out.endpoint?.ip ?? '-' },
          ok: out.endpoint !== undefined,
          ...(out.endpoint ? {} : { status: 'NotFound' }),
        }),
      );
      context.endpoints[p.containerId]?.send({ type: 'detach' });
      const { [p.containerId]: _gone, ...rest } = context.endpoints;
      return { endpoints: rest };
    }),
    // CNI plugins answer wire requests only (an effect's done event is not theirs).
    cniAdd: ({ context, event }) => {
      if ('msg' in event) cniActions.cniAdd({ context, event });
    },
    cniDel: ({ context, event }) => {
      if ('msg' in event) cniActions.cniDel({ context, event });
    },
    // User-defined networks' bridges (userNetworks.ts).
    networkCreated: ({ context, event }) => {
      const done = finished<CreateNetworkEvidence>(context, event);
      if (!done) return;
      const { msg, out: e } = done;
      context.wire.reply(
        msg,
        replyDraft(msg.op, userNetworkCalls.create(e), {
          payload: { bridge: e.bridge, subnet: e.subnet, gateway: e.gateway },
          params: { bridge: e.bridge, subnet: e.subnet, gateway: e.gateway },
        }),
      );
    },
    networkDeleted: ({ context, event }) => {
      const done = finished<DeleteNetworkEvidence>(context, event);
      if (!done) return;
      const { msg, out } = done;
      const n = msg.payload as unknown as UserNetwork;
      context.wire.reply(
        msg,
        replyDraft(msg.op, userNetworkCalls.delete(n, out), { ok: out.gone, params: { bridge: n.bridge } }),
      );
    },
  },
}).createMachine({
  id: 'network',
  context: ({ input }) => ({ ...input, endpoints: {}, jobs: new Map<string, Message>() }),
  on: {
    'net.connect': { actions: { type: 'startEffect', params: 'connectEndpoint' } },
    'net.disconnect': { actions: { type: 'startEffect', params: 'disconnectEndpoint' } },
    'net.createNetwork': { actions: { type: 'startNetworkEffect', params: 'createNetwork' } },
    'net.deleteNetwork': { actions: { type: 'startNetworkEffect', params: 'deleteNetwork' } },
    'xstate.done.actor.connectEndpoint.*': { actions: ['connected', 'forgetEffect'] },
    'xstate.done.actor.disconnectEndpoint.*': { actions: ['disconnected', 'forgetEffect'] },
    'xstate.done.actor.createNetwork.*': { actions: ['networkCreated', 'forgetEffect'] },
    'xstate.done.actor.deleteNetwork.*': { actions: ['networkDeleted', 'forgetEffect'] },
    'xstate.error.actor.*': { actions: ['effectFailed', 'forgetEffect'] },
    // CNI plugins, exec'd by containerd's CRI plugin for a pod (cni.ts).
    'cni.add': { actions: 'cniAdd' },
    'cni.del': { actions: 'cniDel' },
  },
});
