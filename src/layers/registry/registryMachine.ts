import { assign, setup } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { RegistryRequest } from '../../ports/registry.ts';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';

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
      const response = context.ports.registry.roundTrip(request);
      // A registry that took the request and never answers: the client's deadline decides.
      if (response.noAnswer) return;
      const ok = response.status < 400;
      const payload: JsonObject = { status: response.status, headers: response.headers, bodySize: response.bodySize };
      if (response.body !== undefined) payload.body = response.body;
      context.wire.reply(
        event.msg,
        replyDraft(event.msg.op, `${response.status} ${response.statusText}`, {
          payload,
          ok,
          status: `${response.status}`,
          params: { status: response.status, size: response.bodySize },
          narration: ok ? `${event.msg.op}.reply` : 'registry.error.reply',
        }),
      );
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
