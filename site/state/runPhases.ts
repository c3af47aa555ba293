import type { Message } from '../../src/model/message.ts';
import { phasesOf, type Phase } from '../../src/views/phases.ts';

const cache = new WeakMap<readonly Message[], Phase[]>();

/** The run's phases (see src/views/phases.ts), worked out once per run the session holds. */
export function runPhases(messages: readonly Message[]): Phase[] {
  let phases = cache.get(messages);
  if (!phases) {
    phases = phasesOf(messages);
    cache.set(messages, phases);
  }
  return phases;
}
