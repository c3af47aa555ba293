// Real-mode scheduling of the wire. In simulation a stepper delivers one message per step on a
// virtual clock; here messages are delivered as soon as they are posted (a reply posts when its
// real work is done), and the virtual clock follows the wall clock so the machines' timers
// (a registry ping's 15 s deadline) fire in real time. Holding delivery (`hold`) pauses the real
// operation between two messages: the work behind the next message has not started.
import type { Message } from '../../src/model/message.ts';
import type { RealWorld } from './world.ts';

export class RealDriver {
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private held = false;
  /** Told each delivered message (live progress, a trace view). */
  onDeliver: ((msg: Message) => void) | undefined;

  constructor(private readonly world: RealWorld) {
    world.wire.onPosted = () => this.kick();
  }

  /** Stop delivering after the current message (step mode); `release` goes on. */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.kick();
  }

  /** Deliver exactly one message while held; false when none is queued. */
  step(): boolean {
    this.fireDueTimers();
    const msg = this.world.wire.deliverNext();
    if (msg !== undefined) this.onDeliver?.(msg);
    return msg !== undefined;
  }

  kick(): void {
    if (this.scheduled || this.held) return;
    this.scheduled = true;
    setImmediate(() => this.pump());
  }

  stop(): void {
    clearTimeout(this.timer);
    this.world.wire.onPosted = undefined;
    this.held = true;
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
    if (this.held) return;
    this.fireDueTimers();
    while (!this.held && this.world.wire.pending() > 0) {
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
    if (due === undefined || this.held) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, due - Date.now()));
    this.timer.unref();
  }
}
