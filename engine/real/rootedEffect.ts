// A real effect whose end belongs to the request whose work started it. A machine reacts to an
// effect's end (`onDone`) outside any delivery: with XState's own promise actors the done event
// comes from a promise callback, after the wire's delivery of the request's message has returned,
// so what the machine does then — the timer it arms for its next step (an operation's `sleep`, a
// `waitFor` deadline, a call's timeout: XState schedules `after` delays once the transition is
// taken, https://stately.ai/docs/delayed-transitions) — ran as nobody's work, and a hold of the
// request could not stop it (clock.ts). This actor notes the request that is running when it
// starts (Wire.currentRoot) and tells its end within that request's work (Wire.within): the
// machine's reaction, its timers and its posts included, is that request's again.
import { fromPromise, type PromiseActorLogic, type PromiseSnapshot } from 'xstate';

/** How a real effect reaches the request that runs: the wire (src/wire/wire.ts). */
export interface RootScope {
  currentRoot(): number | undefined;
  within<T>(root: number | undefined, fn: () => T): T;
}

type Ending<TOutput> = { ok: true; output: TOutput } | { ok: false; error: unknown };

/** The event an effect's end is told with (its result is kept beside it, typed). */
const ENDED = 'effect.ended';

/**
 * The real work `work(input, signal)` as an effect (src/layers/effect.ts) whose end is told within
 * the request running when it started, or else `rootOf(input)`'s. Stopping the actor (its
 * operation was cancelled) aborts `signal`, as XState's promise actors do. An effect takes an
 * input (an actor started without one does nothing).
 */
export function rootedEffect<TInput, TOutput>(
  scope: RootScope,
  work: (input: TInput, signal: AbortSignal) => PromiseLike<TOutput>,
  rootOf: (input: TInput) => number | undefined = () => undefined,
): PromiseActorLogic<TOutput, TInput> {
  const base = fromPromise<TOutput, TInput>(({ input, signal }) => work(input, signal));
  const endings = new WeakMap<object, Ending<TOutput>>();
  const aborts = new WeakMap<object, AbortController>();
  const ended = (end: Ending<TOutput>): PromiseSnapshot<TOutput, TInput> =>
    end.ok
      ? { status: 'done', output: end.output, error: undefined, input: undefined }
      : { status: 'error', output: undefined, error: end.error, input: undefined };
  return {
    ...base,
    transition: (snapshot, event, { self }) => {
      if (snapshot.status !== 'active') return snapshot;
      if (event.type === 'xstate.stop') {
        aborts.get(self)?.abort();
        return { status: 'stopped', output: undefined, error: undefined, input: undefined };
      }
      const end = event.type === ENDED ? endings.get(self) : undefined;
      return end === undefined ? snapshot : ended(end);
    },
    start: (snapshot, { self }) => {
      if (snapshot.status !== 'active' || snapshot.input === undefined) return;
      const input = snapshot.input;
      const root = scope.currentRoot() ?? rootOf(input);
      const abort = new AbortController();
      aborts.set(self, abort);
      const tell = (end: Ending<TOutput>): void => {
        aborts.delete(self);
        if (self.getSnapshot().status !== 'active') return;
        endings.set(self, end);
        scope.within(root, () => self.send({ type: ENDED }));
      };
      // Started at once, as XState's promise actors start theirs; a throw is a failure.
      new Promise<TOutput>((resolve) => resolve(work(input, abort.signal))).then(
        (output) => tell({ ok: true, output }),
        (error: unknown) => tell({ ok: false, error }),
      );
    },
  };
}
