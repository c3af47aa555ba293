// Real-mode delivery. In simulation a stepper asks the scheduler for one message per step on a
// virtual clock; here the driver asks as soon as a message is posted (a reply posts when its
// real work is done), and keeps the virtual clock level with the wall clock so the machines'
// timers (a registry ping's 15 s deadline) fire in real time. The scheduler's gate
// (src/wire/gate.ts) can hold a message: the real work behind it has not started, and until it
// is released the timers of its request wait too (clock.ts), so no deadline of the held work runs
// out while a learner looks at the host; other requests' timers run on.
import type { Message } from '../../src/model/message.ts';
import type { VirtualClock } from '../../src/wire/clock.ts';
import type { Scheduler } from '../../src/wire/scheduler.ts';

export class RealDriver {
  private scheduled = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly unwatch: () => void;
  /** Told each delivered message (live progress, a trace view). */
  onDeliver: ((msg: Message) => void) | undefined;

  constructor(private readonly scheduler: Scheduler) {
    // An engine serves many clients at once: a hold stops the held message's own request only,
    // and a second terminal's `docker ps` is answered meanwhile (scheduler.ts).
    scheduler.scope = 'request';
    scheduler.wire.onPosted = () => this.kick();
    // A message released (or a policy removed, or another held): deliver again.
    this.unwatch = scheduler.gate.onChange(() => this.kick());
  }

  private get clock(): VirtualClock {
    return this.scheduler.clock;
  }

  /** The machines' time: the wall clock (a held request's timers wait instead: clock.ts). */
  now(): number {
    return Date.now();
  }

  /** The request whose work runs now: a timer set now is its (clock.ts). */
  owner(): number | undefined {
    return this.scheduler.wire.currentRoot();
  }

  /** Run `fn` as request `root`'s work: a timer of it fires (clock.ts). */
  within(root: number | undefined, fn: () => void): void {
    this.scheduler.wire.within(root, fn);
  }

  /** The requests held at the gate now: their timers wait. */
  heldRoots(): ReadonlySet<number> {
    return this.scheduler.heldRoots();
  }

  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.pump());
  }

  stop(): void {
    clearTimeout(this.timer);
    this.scheduler.wire.onPosted = undefined;
    this.unwatch();
    this.stopped = true;
  }

  private fireDueTimers(): void {
    const now = this.now();
    while (this.clock.fireNext(now)) {
      // Each firing may post messages; the loop in pump delivers them.
    }
    this.clock.advanceTo(now);
  }

  private pump(): void {
    this.scheduled = false;
    if (this.stopped) return;
    this.fireDueTimers();
    while (!this.stopped) {
      const delivery = this.scheduler.deliver();
      if (delivery === undefined || delivery.kind === 'held') break;
      this.onDeliver?.(delivery.msg);
      this.fireDueTimers();
    }
    // Held requests' timers wait (clock.ts); every other request's still fire on time.
    this.armTimer();
  }

  /** Wake up for the machines' next timer, if any. */
  private armTimer(): void {
    clearTimeout(this.timer);
    const due = this.clock.nextDue();
    if (due === undefined || this.stopped) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, due - this.now()));
    this.timer.unref();
  }
}
