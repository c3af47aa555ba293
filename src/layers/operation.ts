import { assign, setup, type AnyActorRef } from 'xstate';
import { errorText, settled } from './effect.ts';
import type { Message, MessageDraft } from '../model/message.ts';
import type { Wire } from '../wire/wire.ts';

/**
 * An operation is one in-flight request handler: what a goroutine serving an Engine API call is
 * in dockerd, or what a docker CLI command's RunE function is. Its steps are written as a
 * generator that yields effects and is resumed with their results, which keeps each flow as
 * readable as the Go code it mirrors; this machine runs it and makes the waiting visible
 * (`calling`, `sleeping`, `waitingForEvent`) to the inspector.
 *
 * Effects:
 * - `call`: post a request on the wire, resume with the reply message (or `'timeout'`, as an
 *   HTTP client with a deadline gives up: the request is cancelled and a late reply is never sent);
 * - `sleep`: wait virtual time (a grace period), resume with undefined;
 * - `waitFor`: wait for a notification by name (a container exit), with an optional timeout,
 *   resume with its value or with `'timeout'`;
 * - `work`: work the layer does itself, not a message to another (dockerd reading a `docker load`
 *   archive): an effect (./effect.ts) named `name`, resumed with `{ ok, output }` or
 *   `{ ok: false, error }`. The simulation runs `sim` at once; real mode provides the `work` actor
 *   (`operationMachine.provide({ actors: { work } })`), which does the named work on the host.
 */
export type Effect =
  /** With `timeoutMs`, a reply that has not come by then is given up on: resume with `'timeout'`. */
  | { kind: 'call'; draft: Omit<MessageDraft, 'kind'>; timeoutMs?: number }
  | { kind: 'sleep'; ms: number }
  | { kind: 'waitFor'; topic: string; timeoutMs?: number }
  /** Post a request without waiting (docker/cli's wait goroutine); resume with its id. */
  | { kind: 'post'; draft: Omit<MessageDraft, 'kind'> }
  /** Wait for the reply to an earlier `post`. */
  | { kind: 'collect'; id: number }
  /**
   * Wait for whichever of several posted requests answers first (a Go `select` over their
   * channels); replies that came earlier are taken in the order they arrived.
   */
  | { kind: 'collectAny'; ids: readonly number[] }
  | { kind: 'work'; name: string; input: WorkPayload; sim: () => WorkPayload };

/** What a `work` effect takes and gives: plain data, as a message's payload. */
export type WorkPayload = { [key: string]: unknown };

/** The `work` actor's input: the work's name, its input, the request it serves (real mode finds its operation by it). */
export interface WorkInput {
  name: string;
  input: WorkPayload;
  root: number | undefined;
  sim: () => WorkPayload;
}

export type WorkResult = { ok: true; output: WorkPayload } | { ok: false; error: string };

export type CallEffect = Extract<Effect, { kind: 'call' }>;

export type OperationResult = Message | string | number | undefined | { [key: string]: unknown };
export type OperationProgram = Generator<Effect, void, OperationResult>;

export interface Waiters {
  /** Register an actor to be told when `topic` is notified. */
  add(topic: string, actor: AnyActorRef): void;
  remove(actor: AnyActorRef): void;
}

export interface OperationInput {
  wire: Wire;
  program: OperationProgram;
  waiters: Waiters;
  /** The request the operation serves, when it serves one: its root is the operation's. */
  serving?: number;
}

interface OperationContext {
  wire: Wire;
  /** The request this operation's work belongs to (Wire.rootOf): what it posts after a timer too. */
  root: number | undefined;
  program: OperationProgram;
  waiters: Waiters;
  current: Effect | undefined;
  /** The request id of the `call` in flight. */
  awaiting: number | undefined;
  /** Replies to posted requests that arrived before they were collected. */
  inbox: Map<number, Message>;
  posted: Set<number>;
}

type OperationEvent =
  { type: 'reply'; msg: Message } | { type: 'notify'; topic: string; value: OperationResult };

/** The posted requests the current effect waits for, if it is a collect. */
function collected(current: Effect | undefined): readonly number[] | undefined {
  if (current?.kind === 'collect') return [current.id];
  return current?.kind === 'collectAny' ? current.ids : undefined;
}

/** The first stored reply the current collect waits for, in arrival order. */
function readyReply(context: OperationContext): number | undefined {
  const ids = collected(context.current);
  if (ids === undefined) return undefined;
  for (const id of context.inbox.keys()) if (ids.includes(id)) return id;
  return undefined;
}

function advance(program: OperationProgram, value: OperationResult): Effect | undefined {
  const next = program.next(value);
  return next.done ? undefined : next.value;
}

export const operationMachine = setup({
  types: {
    context: {} as OperationContext,
    events: {} as OperationEvent,
    input: {} as OperationInput,
  },
  actors: {
    work: settled(({ sim }: WorkInput): WorkPayload => sim()),
  },
  actions: {
    postCall: assign({
      awaiting: ({ context, self }) =>
        context.current?.kind === 'call'
          ? context.wire.request(self, context.current.draft, undefined, context.root)
          : undefined,
    }),
    cancelCall: ({ context }) => {
      if (context.awaiting !== undefined) context.wire.cancel(context.awaiting);
    },
    postBackground: assign({
      current: ({ context, self }) => {
        if (context.current?.kind !== 'post') return context.current;
        const id = context.wire.request(self, context.current.draft, undefined, context.root);
        context.posted.add(id);
        return advance(context.program, id);
      },
    }),
    collectFromInbox: assign({
      current: ({ context }) => {
        const id = readyReply(context);
        if (id === undefined) return context.current;
        const reply = context.inbox.get(id);
        context.inbox.delete(id);
        return advance(context.program, reply);
      },
    }),
    storeReply: ({ context, event }) => {
      if (event.type === 'reply' && event.msg.inReplyTo !== undefined)
        context.inbox.set(event.msg.inReplyTo, event.msg);
    },
    subscribe: ({ context, self }) => {
      if (context.current?.kind === 'waitFor') context.waiters.add(context.current.topic, self);
    },
    unsubscribe: ({ context, self }) => context.waiters.remove(self),
    resumeWithReply: assign({
      current: ({ context, event }) =>
        advance(context.program, event.type === 'reply' ? event.msg : undefined),
    }),
    resumeWithNotification: assign({
      current: ({ context, event }) =>
        advance(context.program, event.type === 'notify' ? event.value : undefined),
    }),
    // Resumed by a timer, not by a delivery: what the program posts now is still its request's.
    resumeWithTimeout: assign({
      current: ({ context }) => context.wire.within(context.root, () => advance(context.program, 'timeout')),
    }),
    resumeEmpty: assign({
      current: ({ context }) => context.wire.within(context.root, () => advance(context.program, undefined)),
    }),
    resumeWithWork: assign({
      current: ({ context, event }) => {
        const result: WorkResult =
          'output' in event
            ? { ok: true, output: event.output as WorkPayload }
            : { ok: false, error: 'error' in event ? errorText(event.error) : 'work failed' };
        return context.wire.within(context.root, () => advance(context.program, result));
      },
    }),
  },
  guards: {
    isCall: ({ context }) => context.current?.kind === 'call',
    hasCallTimeout: ({ context }) =>
      context.current?.kind === 'call' && context.current.timeoutMs !== undefined,
    isAwaitedReply: ({ context, event }) =>
      event.type === 'reply' && event.msg.inReplyTo === context.awaiting,
    isSleep: ({ context }) => context.current?.kind === 'sleep',
    isPost: ({ context }) => context.current?.kind === 'post',
    isCollectReady: ({ context }) => readyReply(context) !== undefined,
    isCollect: ({ context }) => collected(context.current) !== undefined,
    isPostedReply: ({ context, event }) =>
      event.type === 'reply' && event.msg.inReplyTo !== undefined && context.posted.has(event.msg.inReplyTo),
    isCollectedReply: ({ context, event }) =>
      event.type === 'reply' &&
      event.msg.inReplyTo !== undefined &&
      (collected(context.current)?.includes(event.msg.inReplyTo) ?? false),
    isWait: ({ context }) => context.current?.kind === 'waitFor',
    isWork: ({ context }) => context.current?.kind === 'work',
    hasTimeout: ({ context }) =>
      context.current?.kind === 'waitFor' && context.current.timeoutMs !== undefined,
    matchesTopic: ({ context, event }) =>
      event.type === 'notify' && context.current?.kind === 'waitFor' && context.current.topic === event.topic,
  },
  delays: {
    sleepFor: ({ context }) => (context.current?.kind === 'sleep' ? context.current.ms : 0),
    timeoutAfter: ({ context }) =>
      context.current?.kind === 'waitFor' ? (context.current.timeoutMs ?? 0) : 0,
    callTimeoutAfter: ({ context }) =>
      context.current?.kind === 'call' ? (context.current.timeoutMs ?? 0) : 0,
  },
}).createMachine({
  id: 'operation',
  context: ({ input }) => ({
    wire: input.wire,
    root: input.serving === undefined ? undefined : input.wire.rootOf(input.serving),
    program: input.program,
    waiters: input.waiters,
    current: advance(input.program, undefined),
    awaiting: undefined,
    inbox: new Map(),
    posted: new Set(),
  }),
  on: { reply: { guard: 'isPostedReply', actions: 'storeReply' } },
  initial: 'dispatch',
  states: {
    dispatch: {
      always: [
        { guard: 'isCall', target: 'calling' },
        { guard: 'isPost', actions: 'postBackground', target: 'dispatch', reenter: true },
        { guard: 'isCollectReady', actions: 'collectFromInbox', target: 'dispatch', reenter: true },
        { guard: 'isCollect', target: 'collecting' },
        { guard: 'isSleep', target: 'sleeping' },
        { guard: 'isWait', target: 'waitingForEvent' },
        { guard: 'isWork', target: 'working' },
        { target: 'done' },
      ],
    },
    calling: {
      entry: 'postCall',
      on: {
        reply: [
          { guard: 'isPostedReply', actions: 'storeReply' },
          { guard: 'isAwaitedReply', target: 'dispatch', actions: 'resumeWithReply', reenter: true },
        ],
      },
      initial: 'open',
      states: {
        open: { always: { guard: 'hasCallTimeout', target: 'timed' } },
        timed: {
          after: {
            callTimeoutAfter: {
              target: '#operation.dispatch',
              actions: ['cancelCall', 'resumeWithTimeout'],
              reenter: true,
            },
          },
        },
      },
    },
    collecting: {
      on: {
        reply: [
          {
            guard: 'isCollectedReply',
            target: 'dispatch',
            actions: ['storeReply', 'collectFromInbox'],
            reenter: true,
          },
          // Another posted request answered first (docker/cli's parallel operations): keep it.
          { guard: 'isPostedReply', actions: 'storeReply' },
        ],
      },
    },
    working: {
      invoke: {
        src: 'work',
        input: ({ context }): WorkInput => {
          const w =
            context.current?.kind === 'work' ? context.current : { name: '', input: {}, sim: () => ({}) };
          return { name: w.name, input: w.input, root: context.root, sim: w.sim };
        },
        onDone: { target: 'dispatch', actions: 'resumeWithWork', reenter: true },
        onError: { target: 'dispatch', actions: 'resumeWithWork', reenter: true },
      },
    },
    sleeping: {
      after: { sleepFor: { target: 'dispatch', actions: 'resumeEmpty', reenter: true } },
    },
    waitingForEvent: {
      entry: 'subscribe',
      exit: 'unsubscribe',
      on: {
        notify: {
          guard: 'matchesTopic',
          target: 'dispatch',
          actions: 'resumeWithNotification',
          reenter: true,
        },
      },
      initial: 'open',
      states: {
        open: {
          always: { guard: 'hasTimeout', target: 'timed' },
        },
        timed: {
          after: {
            timeoutAfter: { target: '#operation.dispatch', actions: 'resumeWithTimeout', reenter: true },
          },
        },
      },
    },
    done: { type: 'final' },
  },
});

/** A topic registry: who waits for what. Notify resolves every waiter of a topic. */
export class TopicWaiters implements Waiters {
  private byTopic = new Map<string, AnyActorRef[]>();

  add(topic: string, actor: AnyActorRef): void {
    this.byTopic.set(topic, [...(this.byTopic.get(topic) ?? []), actor]);
  }

  remove(actor: AnyActorRef): void {
    for (const [topic, actors] of this.byTopic) {
      this.byTopic.set(
        topic,
        actors.filter((a) => a !== actor),
      );
    }
  }

  notify(topic: string, value: OperationResult): void {
    const actors = this.byTopic.get(topic) ?? [];
    this.byTopic.delete(topic);
    for (const actor of actors) actor.send({ type: 'notify', topic, value });
  }

  clear(): void {
    this.byTopic.clear();
  }

  has(topic: string): boolean {
    return (this.byTopic.get(topic)?.length ?? 0) > 0;
  }
}
