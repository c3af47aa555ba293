import { setup } from 'xstate';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';

/**
 * the Docker Desktop VM boundary between the CLI on the host and dockerd in the VM.
 * Not simulated yet: a request it gets is answered with an error, so a run never waits on it.
 */
export const vmMachine = setup({
  types: { context: {} as LayerInput, events: {} as WireEvent, input: {} as LayerInput },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isRequest: ({ event }) => 'msg' in event && event.msg?.kind === 'request',
  },
  actions: {
    refuse: ({ context, event }) => {
      context.wire.reply(event.msg, replyDraft(event.msg.op, 'exit 1', { ok: false, payload: { exitCode: 1 }, params: { code: 1 }, narration: 'absent.reply' }));
    },
  },
}).createMachine({
  id: 'vm',
  context: ({ input }) => input,
  on: { '*': { guard: 'isRequest', actions: 'refuse' } },
});
