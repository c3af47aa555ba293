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
 * Lifecycle: `deliver()` looks at the queue; what the gate holds does not move; else a message is
 * delivered — one step — and handed to its receiver. `release()` opens the gate for the oldest
 * held message once.
 *
 * Scope of a hold:
 * - `queue` (the simulation): only the head of the queue is judged, and a hold stops everything
 *   behind it, the virtual clock included, so a run with holds is the run without them.
 * - `request` (a real engine, serving many clients at once): a hold stops the work of the held
 *   message's own request (its root, wire.ts `rootOf`): the messages of that request posted after
 *   it wait behind it, in order, and so do its timers (`heldRoots`, engine/real/clock.ts). Another
 *   client's request goes on, its timers too (a second terminal's `docker stop -t 1` kills after
 *   its second, as on dockerd), each of its messages judged by the same policies (a breakpoint
 *   catches it too when it matches).
 */
export type Delivery = { kind: 'delivered'; msg: Message } | { kind: 'held'; hold: Hold };

export type HoldScope = 'queue' | 'request';

export class Scheduler {
  readonly gate = new Gate();
  scope: HoldScope = 'queue';

  constructor(
    readonly wire: Wire,
    readonly clock: VirtualClock,
  ) {}

  /**
   * Deliver the next message the gate lets pass; the oldest hold when it lets none pass;
   * undefined with an empty queue.
   */
  deliver(): Delivery | undefined {
    // With nothing to judge, the head goes: a real engine's queue is not walked per delivery.
    return this.scope === 'queue' || this.gate.idle ? this.deliverHead() : this.deliverAround();
  }

  private deliverHead(): Delivery | undefined {
    const next = this.wire.peek();
    if (next === undefined) return undefined;
    this.gate.keepOnly(new Set([next.id]));
    const hold = this.gate.check(next);
    if (hold !== undefined) return { kind: 'held', hold };
    const msg = this.wire.deliverNext();
    return msg === undefined ? undefined : { kind: 'delivered', msg };
  }

  /** The first waiting message whose request is not held and which the gate lets pass. */
  private deliverAround(): Delivery | undefined {
    const waiting = this.wire.waiting();
    this.gate.keepOnly(new Set(waiting.map((w) => w.pending.id)));
    const stopped = new Set<number>();
    for (const { pending, root } of waiting) {
      if (stopped.has(root)) continue;
      if (this.gate.check(pending, root) !== undefined) {
        stopped.add(root);
        continue;
      }
      const msg = this.wire.deliverNext(pending.id);
      return msg === undefined ? undefined : { kind: 'delivered', msg };
    }
    const hold = this.gate.held;
    return hold === undefined ? undefined : { kind: 'held', hold };
  }

  /** The oldest message held at the gate now. */
  get held(): Hold | undefined {
    return this.gate.held;
  }

  /** Every message held at the gate now, oldest first. */
  get holds(): Hold[] {
    return this.gate.all;
  }

  /**
   * The requests whose work is held now (scope `request`): their timers wait with them, while
   * every other request's run (engine/real/clock.ts).
   */
  heldRoots(): Set<number> {
    const roots = new Set<number>();
    for (const hold of this.gate.all) if (hold.root !== undefined) roots.add(hold.root);
    return roots;
  }

  release(): void {
    this.gate.release();
  }
}
