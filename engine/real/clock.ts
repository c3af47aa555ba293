// The machines' clock in real mode: the simulation's virtual clock (src/wire/clock.ts), whose
// time is the real driver's (driver.ts: the wall clock). Read at any moment — between deliveries
// too, when a request arrives after a quiet minute — it answers the driver's time, and a timer set
// at any moment — from an effect's completion, outside any delivery — wakes the driver so the
// timer fires when it falls due, as a host timer would.
//
// Timers belong to the request whose work set them (Wire.currentRoot while a message of it is
// delivered, its operation resumes or a real effect of it ends: rootedEffect.ts). A timer fires
// within its request's work, so what it sets or posts as it fires — another timer, a message,
// a real effect started — is that request's too.
// While a request is held at the gate its timers wait — the time they had left is kept and given
// back at the release, so no deadline of the held work runs out while a learner looks at the
// host — and every other request's timers run on the wall clock, as on dockerd: a second
// terminal's `docker stop -t 1` kills after its second while a `docker run` is held
// (scheduler.ts). A timer set outside any request's work is nobody's and never waits.
import { VirtualClock } from '../../src/wire/clock.ts';

/** What the clock follows: the driver's time, and a wake-up for it when a timer is set. */
export interface ClockSource {
  now(): number;
  kick(): void;
  /** The request whose work runs now, if any: a timer set now is its. */
  owner(): number | undefined;
  /** Run `fn` as request `root`'s work (a timer of it firing). */
  within(root: number | undefined, fn: () => void): void;
  /** The requests held at the gate now: their timers wait. */
  heldRoots(): ReadonlySet<number>;
}

export class WallClock extends VirtualClock {
  private source: ClockSource | undefined;
  /** The request each timer belongs to, by timer id. */
  private readonly owners = new Map<number, number>();
  /** Timers of held requests, by id: the time each had left when its request was held. */
  private readonly paused = new Map<number, number>();

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
    const owner = this.source?.owner();
    const id = super.setTimeout(() => this.fire(id, owner, fn), timeout);
    if (owner !== undefined) this.owners.set(id, owner);
    this.source?.kick();
    return id;
  }

  override clearTimeout(id: unknown): void {
    super.clearTimeout(id);
    if (typeof id !== 'number') return;
    this.owners.delete(id);
    this.paused.delete(id);
  }

  /** The earliest timer that may fire: a held request's wait. */
  override nextDue(): number | undefined {
    this.sync();
    const due = super.nextDue();
    return due === Number.POSITIVE_INFINITY ? undefined : due;
  }

  override fireNext(limitMs = Number.MAX_VALUE): boolean {
    this.sync();
    // A waiting timer is due at infinity: no limit reaches it.
    return super.fireNext(Math.min(limitMs, Number.MAX_VALUE));
  }

  private fire(id: number, owner: number | undefined, fn: (...args: unknown[]) => void): void {
    this.owners.delete(id);
    if (this.source === undefined) fn();
    else this.source.within(owner, () => fn());
  }

  /** Pause the timers of the requests held now; give the others back the time they had left. */
  private sync(): void {
    const held = this.source?.heldRoots();
    if ((held === undefined || held.size === 0) && this.paused.size === 0) return;
    const now = this.now();
    for (const timer of this.timers) {
      const owner = this.owners.get(timer.id);
      const waits = owner !== undefined && held !== undefined && held.has(owner);
      const left = this.paused.get(timer.id);
      if (waits && left === undefined) {
        this.paused.set(timer.id, Math.max(0, timer.due - now));
        timer.due = Number.POSITIVE_INFINITY;
      } else if (!waits && left !== undefined) {
        this.paused.delete(timer.id);
        timer.due = now + left;
      }
    }
  }
}
