import { assign, setup } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { RegistryRequest, RegistryResponse } from '../../ports/registry.ts';
import type { Wire, WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';

/**
 * The registry's answer to one request, as the transport gave it. Real mode provides its own
 * `serveRequest` (the network answers later), and answers through this too.
 */
export function answerRegistryRequest(wire: Wire, msg: Message, response: RegistryResponse): void {
  // A registry that took the request and never answers: the client's deadline decides.
  if (response.noAnswer) return;
  const ok = response.error === undefined && response.status < 400;
  const payload: JsonObject = { status: response.status, headers: response.headers, bodySize: response.bodySize };
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

/**
 * The registry as a participant: it answers each HTTP request of the distribution protocol
 * through its transport port (the catalogue in simulation, the network in real mode). It keeps
 * no state of its own beyond what it served, which the inspector shows.
 */
export const registryMachine = setup({
  types: {
    context: {} as LayerInput & { served: number },
    events: {} as WireEvent,
    input: {} as LayerInput,
  },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isWireMessage: ({ event }) => 'msg' in event && event.msg !== undefined,
  },
  actions: {
    serveRequest: ({ context, event }) => {
      const request = event.msg.payload as unknown as RegistryRequest;
      answerRegistryRequest(context.wire, event.msg, context.ports.registry.roundTrip(request));
    },
    countServed: assign({ served: ({ context }) => context.served + 1 }),
  },
}).createMachine({
  id: 'registry',
  context: ({ input }) => ({ ...input, served: 0 }),
  initial: 'serving',
  states: {
    serving: {
      on: {
        '*': { guard: 'isWireMessage', actions: ['serveRequest', 'countServed'] },
      },
    },
  },
});
