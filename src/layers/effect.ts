import { fromPromise, type PromiseActorLogic, type PromiseSnapshot } from 'xstate';
import type { Message } from '../model/message.ts';

/**
 * Effects: the work behind a message — send an HTTP request to a registry, unpack a layer,
 * commit a snapshot — as an actor that a layer's machine invokes (spawns, one per request). The
 * machine names each effect in `setup({ actors })`, keeps its own bookkeeping in `assign` when
 * the effect is done, and posts the reply itself, built from what the effect observed: its
 * *evidence* (paths, sizes, digests, mount options). So a real trace shows what was observed on
 * the host, never what was expected.
 *
 * Lifecycle: spawned with the request as input → done with its evidence (the machine replies
 * and records), or failed with an error (the machine replies with the error). Stopping the actor
 * (its operation was cancelled) aborts its signal: a real effect stops its work.
 *
 * The simulation's effects are `settled`: they do their in-memory work as they are created and
 * are done at once, at the same virtual instant, so a run stays deterministic and its trace is
 * the same step for step. Real mode provides `fromPromise` actors with the same names
 * (`machine.provide({ actors })`); they are done when the host's work is.
 *
 * Glossary: *effect* — an actor that does one port call; *evidence* — its output, what was
 * observed; *settled* — done when created (simulation).
 */
export type EffectLogic<TInput, TOutput> = PromiseActorLogic<TOutput, TInput>;

/** A simulated effect: runs `work` when the actor is created and is done (or failed) at once. */
export function settled<TInput, TOutput>(work: (input: TInput) => TOutput): EffectLogic<TInput, TOutput> {
  const logic = fromPromise<TOutput, TInput>(async ({ input }) => work(input));
  return {
    ...logic,
    getInitialSnapshot: (_scope, input): PromiseSnapshot<TOutput, TInput> => {
      try {
        return { status: 'done', output: work(input), error: undefined, input };
      } catch (error) {
        return { status: 'error', output: undefined, error, input };
      }
    },
    // Nothing to start: the work was done when the actor was created.
    start: () => undefined,
  };
}

/** The actor id of the effect serving request `id`: `<effect>.<request id>`, unique per request. */
export function effectId(effect: string, requestId: number): string {
  return `${effect}.${requestId}`;
}

/** The error an effect failed with, as a lowercase-first message for the reply. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * How an effect ended, read from the event a machine gets for it (`xstate.done.actor.<id>` or
 * `xstate.error.actor.<id>`); undefined for any other event.
 */
export type EffectOutcome<T> =
  { actorId: string; ok: true; output: T } | { actorId: string; ok: false; error: unknown };

export function outcomeOf<T>(event: object): EffectOutcome<T> | undefined {
  if (!('actorId' in event) || typeof event.actorId !== 'string') return undefined;
  if ('output' in event) return { actorId: event.actorId, ok: true, output: event.output as T };
  if ('error' in event) return { actorId: event.actorId, ok: false, error: event.error };
  return undefined;
}

/**
 * The requests a machine's running effects serve, by the effect's actor id (effectId): set when
 * the machine spawns the effect, taken out when the effect ends (served).
 */
export type Jobs = Map<string, Message>;

/** How an effect ended, with the request it served. */
export type Served<T> = EffectOutcome<T> & { msg: Message };

/**
 * The request a finished effect served and how the effect ended, read from its done or error
 * event; the request leaves `jobs`, as it is answered now. Undefined for any other event, and for
 * an effect that serves no request of `jobs`.
 */
export function served<T>(jobs: Jobs, event: object): Served<T> | undefined {
  const outcome = outcomeOf<T>(event);
  const msg = outcome === undefined ? undefined : jobs.get(outcome.actorId);
  if (outcome === undefined || msg === undefined) return undefined;
  jobs.delete(outcome.actorId);
  return { ...outcome, msg };
}

/** Keeps `msg` as the request effect `effect` serves, until the effect ends; the effect's actor id. */
export function serve(jobs: Jobs, effect: string, msg: Message): string {
  const id = effectId(effect, msg.id);
  jobs.set(id, msg);
  return id;
}

/** A failed effect's request, answered by `answer` with the error; nothing for any other event. */
export function answerFailed(
  jobs: Jobs,
  event: object,
  answer: (msg: Message, error: unknown) => void,
): void {
  const failed = served(jobs, event);
  if (failed !== undefined && !failed.ok) answer(failed.msg, failed.error);
}
