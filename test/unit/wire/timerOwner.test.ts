// Whose is a timer an operation arms right after a real effect ends (engine/real/rootedEffect.ts,
// engine/real/clock.ts)? The request's whose work started the effect: while that request is held
// at the gate the timer waits with it, and after the release it fires. The real driver, clock,
// wire and scheduler here are the engine's (engine/real/world.ts puts them together so); the
// effect is the test's, ended when the test says.
import { createActor, fromCallback, fromPromise, type PromiseActorLogic } from 'xstate';
import { describe, expect, it } from 'vitest';
import { WallClock } from '../../../engine/real/clock.ts';
import { RealDriver } from '../../../engine/real/driver.ts';
import { rootedEffect } from '../../../engine/real/rootedEffect.ts';
import {
  operationMachine,
  type OperationProgram,
  type WorkInput,
  type WorkPayload,
} from '../../../src/layers/operation.ts';
import { draft } from '../../../src/layers/post.ts';
import { Scheduler } from '../../../src/wire/scheduler.ts';
import { Wire } from '../../../src/wire/wire.ts';

const REQUEST = 7;
const until = { timeout: 10_000 };

function engineParts() {
  const clock = new WallClock(Date.now());
  const wire = new Wire(clock);
  const scheduler = new Scheduler(wire, clock);
  const driver = new RealDriver(scheduler);
  clock.follow(driver);
  wire.register('dockerd', createActor(fromCallback(() => undefined)).start());
  return { clock, wire, scheduler, driver };
}

type Parts = ReturnType<typeof engineParts>;

/** Hold request `root` at the gate: a message of its own is stopped there. */
function hold(e: Parts, root: number): () => void {
  e.scheduler.gate.set('test', (p) => (p.op === 'test.held' ? 'held by the test' : undefined));
  e.wire.event(draft('dockerd', 'dockerd', 'test.held', 'a message of the request, held'), root);
  e.driver.kick();
  return () => e.scheduler.gate.remove('test');
}

/** A real effect that ends when the test says. */
function controlled() {
  const ends: (() => void)[] = [];
  const work = (): Promise<WorkPayload> => new Promise((resolve) => ends.push(() => resolve({})));
  return { ends, work };
}

/** An operation of request REQUEST: a sleep, a real effect, a sleep. */
function operation(e: Parts, work: PromiseActorLogic<WorkPayload, WorkInput>, log: string[]) {
  function* program(): OperationProgram {
    yield { kind: 'sleep', ms: 10 };
    log.push('first sleep');
    yield { kind: 'work', name: 'frame', input: {}, sim: () => ({}) };
    log.push('worked');
    yield { kind: 'sleep', ms: 100 };
    log.push('second sleep');
  }
  const machine = operationMachine.provide({ actors: { work } });
  const waiters = { add: () => undefined, remove: () => undefined };
  return e.wire.within(REQUEST, () =>
    createActor(machine, { clock: e.clock, input: { wire: e.wire, program: program(), waiters } }).start(),
  );
}

describe('a timer armed right after a real effect ends', () => {
  it('belongs to the request whose work started the effect: it waits while that request is held', async () => {
    const e = engineParts();
    const log: string[] = [];
    const effect = controlled();
    const actor = operation(e, rootedEffect(e.wire, effect.work), log);
    // The first sleep fires (as the request's work), the effect starts from it.
    await expect.poll(() => effect.ends.length, until).toBe(1);
    const release = hold(e, REQUEST);
    await expect.poll(() => e.scheduler.heldRoots().has(REQUEST), until).toBe(true);
    effect.ends[0]?.();
    await expect.poll(() => log, until).toEqual(['first sleep', 'worked']);
    // The second sleep is the held request's: it waits, with no time running out.
    expect(e.clock.nextDue()).toBeUndefined();
    release();
    await expect.poll(() => log, until).toEqual(['first sleep', 'worked', 'second sleep']);
    actor.stop();
    e.driver.stop();
  });

  it('with XState’s own promise actor, belongs to no request: a hold cannot stop it', async () => {
    const e = engineParts();
    const log: string[] = [];
    const effect = controlled();
    const actor = operation(e, fromPromise<WorkPayload, WorkInput>(effect.work), log);
    await expect.poll(() => effect.ends.length, until).toBe(1);
    const release = hold(e, REQUEST);
    await expect.poll(() => e.scheduler.heldRoots().has(REQUEST), until).toBe(true);
    effect.ends[0]?.();
    await expect.poll(() => log, until).toEqual(['first sleep', 'worked']);
    expect(e.clock.nextDue()).toEqual(expect.any(Number));
    release();
    actor.stop();
    e.driver.stop();
  });
});
