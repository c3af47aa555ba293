import { assign, enqueueActions, setup, stopChild, type DoneActorEvent, type ErrorActorEvent } from 'xstate';
import { REGISTRY_OPS, requestOf } from '../catalogue.ts';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { RegistryRequest, RegistryResponse, RegistryTransport } from '../../ports/registry.ts';
import type { Wire, WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';
import { effectId, errorText, settled } from '../effect.ts';

/** The registry's answer to one request, as the transport gave it. */
export function answerRegistryRequest(wire: Wire, msg: Message, response: RegistryResponse): void {
  // A registry that took the request and never answers: the client's deadline decides.
  if (response.noAnswer) return;
  const ok = response.error === undefined && response.status < 400;
  const payload: JsonObject = {
    status: response.status,
    headers: response.headers,
    bodySize: response.bodySize,
  };
  if (response.body !== undefined) payload.body = response.body;
  if (response.error !== undefined) payload.error = response.error;
  wire.reply(
    msg,
    replyDraft(msg.op, response.error ?? `${response.status} ${response.statusText}`, {
      payload,
      ok,
      status: `${response.status}`,
      params: { status: response.status, size: response.bodySize },
      narration: ok ? `${msg.op}.reply` : 'registry.error.reply',
    }),
  );
}

/** What the round trip effect gets: the request (its id finds the operation in real mode) and the transport. */
export interface RoundTripInput {
  requestId: number;
  request: RegistryRequest;
  transport: RegistryTransport;
}

type Ctx = LayerInput & { served: number; jobs: Record<string, Message> };

/**
 * The registry as a participant: it answers each HTTP request of the distribution protocol
 * through its transport, as an effect (`roundTrip`, ../effect.ts): the catalogue at once in
 * simulation, the network in real mode (engine/real/registry.ts), the answer posted when the
 * response is in. It keeps no state of its own beyond what it served, which the inspector shows.
 */
export const registryMachine = setup({
  types: {
    context: {} as Ctx,
    events: {} as WireEvent | DoneActorEvent<RegistryResponse> | ErrorActorEvent,
    input: {} as LayerInput,
  },
  actors: {
    roundTrip: settled(({ transport, request }: RoundTripInput): RegistryResponse =>
      transport.roundTrip(request),
    ),
  },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isWireMessage: ({ event }) => 'msg' in event && event.msg !== undefined,
  },
  actions: {
    serveRequest: enqueueActions(({ enqueue, context, event }) => {
      if (!('msg' in event)) return;
      const id = effectId('roundTrip', event.msg.id);
      const input: RoundTripInput = {
        requestId: event.msg.id,
        request: requestOf(event.msg, ...REGISTRY_OPS),
        transport: context.ports.registry,
      };
      enqueue.assign({ jobs: { ...context.jobs, [id]: event.msg } });
      enqueue.spawnChild('roundTrip', { id, input });
    }),
    answer: assign({
      jobs: ({ context, event }) => {
        if (!('actorId' in event)) return context.jobs;
        const msg = context.jobs[event.actorId];
        // A transport that failed below HTTP answers as a Go client would: status 0 and the error.
        const response: RegistryResponse =
          'output' in event
            ? event.output
            : { status: 0, statusText: '', headers: {}, bodySize: 0, error: errorText(event.error) };
        if (msg) answerRegistryRequest(context.wire, msg, response);
        const { [event.actorId]: _done, ...rest } = context.jobs;
        return rest;
      },
    }),
    /** A finished round trip leaves the machine's children (XState keeps done children until stopped). */
    forgetEffect: stopChild(({ event }) => ('actorId' in event ? event.actorId : '')),
    countServed: assign({ served: ({ context }) => context.served + 1 }),
  },
}).createMachine({
  id: 'registry',
  context: ({ input }) => ({ ...input, served: 0, jobs: {} }),
  initial: 'serving',
  states: {
    serving: {
      on: {
        'xstate.done.actor.roundTrip.*': { actions: ['answer', 'forgetEffect'] },
        'xstate.error.actor.roundTrip.*': { actions: ['answer', 'forgetEffect'] },
        '*': { guard: 'isWireMessage', actions: ['serveRequest', 'countServed'] },
      },
    },
  },
});
