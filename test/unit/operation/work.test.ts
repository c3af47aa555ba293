// The operation machine's `work` effect: work a layer does itself. The simulation's effect runs
// `sim` at once (same virtual instant); a provided `work` actor (real mode) is awaited and its
// output resumes the program; a failure resumes it with the error's words, never a throw.
import { createActor, fromPromise, waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  operationMachine,
  TopicWaiters,
  type OperationProgram,
  type WorkInput,
  type WorkPayload,
  type WorkResult,
} from '../../../src/layers/operation.ts';
import { VirtualClock } from '../../../src/wire/clock.ts';
import { Wire } from '../../../src/wire/wire.ts';

function run(program: OperationProgram, logic = operationMachine) {
  const actor = createActor(logic, {
    input: { wire: new Wire(new VirtualClock(0)), waiters: new TopicWaiters(), program },
  });
  actor.start();
  return actor;
}

function* worker(seen: WorkResult[], sim: () => WorkPayload): OperationProgram {
  seen.push((yield { kind: 'work', name: 'readArchive', input: { n: 1 }, sim }) as WorkResult);
  seen.push((yield { kind: 'work', name: 'readArchive', input: { n: 2 }, sim }) as WorkResult);
}

describe('work', () => {
  it('runs the simulated work at once and resumes with its output', () => {
    const seen: WorkResult[] = [];
    const actor = run(worker(seen, () => ({ images: 2 })));
    expect(actor.getSnapshot().status).toBe('done');
    expect(seen).toEqual([
      { ok: true, output: { images: 2 } },
      { ok: true, output: { images: 2 } },
    ]);
  });

  it('resumes with the error’s words when the work fails', () => {
    const seen: WorkResult[] = [];
    run(
      worker(seen, () => {
        throw new Error('no archive: nothing to read');
      }),
    );
    expect(seen[0]).toEqual({ ok: false, error: 'no archive: nothing to read' });
  });

  it('waits for a provided work actor, which gets the name and input', async () => {
    const inputs: WorkInput[] = [];
    const real = operationMachine.provide({
      actors: {
        work: fromPromise<WorkPayload, WorkInput>(async ({ input }) => {
          inputs.push(input);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return { done: input.name };
        }),
      },
    });
    const seen: WorkResult[] = [];
    const actor = run(
      worker(seen, () => ({})),
      real,
    );
    expect(actor.getSnapshot().value).toBe('working');
    await waitFor(actor, (s) => s.status === 'done');
    expect(inputs.map((i) => [i.name, i.input])).toEqual([
      ['readArchive', { n: 1 }],
      ['readArchive', { n: 2 }],
    ]);
    expect(seen).toEqual([
      { ok: true, output: { done: 'readArchive' } },
      { ok: true, output: { done: 'readArchive' } },
    ]);
  });
});
