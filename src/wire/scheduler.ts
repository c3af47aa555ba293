import type { Message } from '../model/message.ts';
import type { VirtualClock } from './clock.ts';
import { Gate, type Hold } from './gate.ts';
import type { Wire } from './wire.ts';

/**
 * The scheduler: the single owner of delivery. Whoever drives a run — the simulation's stepper,
 * a lesson, the real engine's event loop — asks the scheduler to deliver, and the scheduler asks
 * the gate first (gate.ts). Drivers differ only in *when* they ask: the simulation asks at once,
 * moving virtual time itself; the real driver asks when real work has answered and keeps the
 * virtual clock level with the wall clock.
 *
 * Lifecycle: `deliver()` looks at the head of the queue; if the gate holds it, the answer is the
 * hold and nothing moves (the clock included); else the message is delivered — one step — and
 * handed to its receiver. `release()` opens the gate for the held message once.
 */
export type Delivery = { kind: 'delivered'; msg: Message } | { kind: 'held'; hold: Hold };

export class Scheduler {
  readonly gate = new Gate();

  constructor(
    readonly wire: Wire,
    readonly clock: VirtualClock,
  ) {}

  /** Deliver the head of the queue unless the gate holds it; undefined with an empty queue. */
  deliver(): Delivery | undefined {
    const next = this.wire.peek();
    if (next === undefined) return undefined;
    const hold = this.gate.check(next);
    if (hold !== undefined) return { kind: 'held', hold };
    const msg = this.wire.deliverNext();
    return msg === undefined ? undefined : { kind: 'delivered', msg };
  }

  /** The message held at the gate now. */
  get held(): Hold | undefined {
    return this.gate.held;
  }

  release(): void {
    this.gate.release();
  }
}
