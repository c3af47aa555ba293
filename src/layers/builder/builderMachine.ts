import { setup, spawnChild } from 'xstate';
import type { Message } from '../../model/message.ts';
import type { WireEvent } from '../../wire/wire.ts';
import { operationMachine, TopicWaiters, type OperationProgram } from '../operation.ts';
import type { LayerInput } from '../ports.ts';
import { Builder } from './builder.ts';
import { buildkitOutput, BUILDKIT_HANDLERS } from './buildkit.ts';
import { legacyBuild } from './legacy.ts';

/**
 * The image builder inside dockerd (`docker build`). Each build is one operation actor, like a
 * request handler goroutine: profile classic runs the legacy builder that dockerd 20.10's
 * `POST /build` hands the context to (legacy.ts), profile v29 runs BuildKit's solve that the
 * CLI starts over gRPC (buildkit.ts).
 */
type Handler = (b: Builder, msg: Message, waiters: TopicWaiters) => OperationProgram;

const HANDLERS: Record<string, Handler> = {
  'builder.build': (b, msg) => legacyBuild(b, msg),
  ...BUILDKIT_HANDLERS,
};

type Ctx = LayerInput & { builder: Builder; waiters: TopicWaiters };

function* refuse(b: Builder, msg: Message): OperationProgram {
  b.reply(msg, 'Unimplemented', {
    ok: false,
    payload: { error: `unknown builder call ${msg.op}` },
    narration: 'absent.reply',
  });
  yield* [];
}

export const builderMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  actors: { operation: operationMachine },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isRequest: ({ event }) => 'msg' in event && event.msg?.kind === 'request',
  },
  actions: {
    runOperation: spawnChild('operation', {
      input: ({ context, event }) => ({
        wire: context.wire,
        waiters: context.waiters,
        program: (HANDLERS[event.msg.op] ?? refuse)(context.builder, event.msg, context.waiters),
      }),
    }),
    /** Output of a RUN step under `runc run`: its stdout and stderr are pipes BuildKit reads. */
    readPipe: ({ context, event }) => buildkitOutput(context.builder, event.msg),
  },
}).createMachine({
  id: 'builder',
  context: ({ input }) => ({
    ...input,
    builder: new Builder(input.wire, input.ports, input.profile),
    waiters: new TopicWaiters(),
  }),
  on: {
    'kernel.output': { actions: 'readPipe' },
    '*': { guard: 'isRequest', actions: 'runOperation' },
  },
});
