// Real-mode scheduling of the wire. In simulation a stepper delivers one message per step on a
// virtual clock; here messages are delivered as soon as they are posted (a reply posts when its
// real work is done), and the virtual clock follows the wall clock so the machines' timers
// (a registry ping's 15 s deadline) fire in real time. Holding a message here would pause the
// real work behind it, since that work starts only when the message is delivered.
import type { Message } from '../../src/model/message.ts';
import type { RealWorld } from './world.ts';

export class RealDriver {
  private scheduled = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** Told each delivered message (live progress, a trace view). */
  onDeliver: ((msg: Message) => void) | undefined;

  constructor(private readonly world: RealWorld) {
    world.wire.onPosted = () => this.kick();
  }

  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.pump());
  }

  stop(): void {
    clearTimeout(this.timer);
    this.world.wire.onPosted = undefined;
    this.stopped = true;
  }

  private fireDueTimers(): void {
    const { clock } = this.world;
    while (clock.fireNext(Date.now())) {
      // Each firing may post messages; the loop in pump delivers them.
    }
    clock.advanceTo(Date.now());
  }

  private pump(): void {
    this.scheduled = false;
    if (this.stopped) return;
    this.fireDueTimers();
    while (!this.stopped && this.world.wire.pending() > 0) {
      const msg = this.world.wire.deliverNext();
      if (msg !== undefined) this.onDeliver?.(msg);
      this.fireDueTimers();
    }
    this.armTimer();
  }

  /** Wake up for the machines' next timer, if any. */
  private armTimer(): void {
    clearTimeout(this.timer);
    const due = this.world.clock.nextDue();
    if (due === undefined || this.stopped) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, due - Date.now()));
    this.timer.unref();
  }
}
