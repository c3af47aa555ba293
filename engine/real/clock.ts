// The machines' clock in real mode: the simulation's virtual clock (src/wire/clock.ts), whose
// time is the real driver's (driver.ts: the wall clock less the time held at the gate). Read at
// any moment — between deliveries too, when a request arrives after a quiet minute — it answers
// the driver's time, and a timer set at any moment — from an effect's completion, outside any
// delivery — wakes the driver so the timer fires when it falls due, as a host timer would.
import { VirtualClock } from '../../src/wire/clock.ts';

/** What the clock follows: the driver's time, and a wake-up for it when a timer is set. */
export interface ClockSource {
  now(): number;
  kick(): void;
}

export class WallClock extends VirtualClock {
  private source: ClockSource | undefined;

  /** From now on, time is the source's, and the source hears of each timer set. */
  follow(source: ClockSource): void {
    this.source = source;
  }

  override now(): number {
    if (this.source !== undefined) this.advanceTo(this.source.now());
    return super.now();
  }

  override setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    // Due from the time it is now, not from the last delivery's.
    this.now();
    const id = super.setTimeout(fn, timeout);
    this.source?.kick();
    return id;
  }
}
