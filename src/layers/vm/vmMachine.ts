import { setup } from 'xstate';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { Backend } from './backend.ts';

/**
 * The Docker Desktop boundary between the docker CLI on the host and dockerd in the Linux VM:
 * Docker Desktop's backend, a proxy (backend.ts). It meets three kinds of message: the CLI's
 * Engine API requests (passed on to dockerd, or answered here when a mount is denied), dockerd's
 * replies to what it passed on (relayed back), and attach/exec stream frames (copied to the CLI).
 * Runs on a Linux host never meet it: there the CLI's context points at dockerd itself.
 */
type Ctx = LayerInput & { backend: Backend };

export const vmMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isRequest: ({ event }) => 'msg' in event && event.msg?.kind === 'request',
  },
  actions: {
    forwardRequest: ({ context, event, self }) => context.backend.forward(event.msg, self),
    relayReply: ({ context, event }) => context.backend.relay(event.msg),
    relayStream: ({ context, event }) => context.backend.stream(event.msg),
  },
}).createMachine({
  id: 'vm',
  context: ({ input }) => ({ ...input, backend: new Backend(input.wire) }),
  on: {
    reply: { actions: 'relayReply' },
    'attach.output': { actions: 'relayStream' },
    '*': { guard: 'isRequest', actions: 'forwardRequest' },
  },
});
