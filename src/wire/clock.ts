/**
 * Virtual time for a deterministic run. It implements XState's `Clock`, so every `after` delay
 * in every machine, and every wake-up a simulated process asks for, lands on one timeline that
 * only moves when the scheduler moves it. Nothing in `src/` reads the host's clock.
 *
 * Timers due at the same instant fire in the order they were set, which keeps replays exact.
 */
export interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

/** XState's clock interface (`createActor(machine, { clock })`). */
export interface Clock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

export const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

export class VirtualClock implements Clock {
  private current: number;
  /** Pending timers; a real engine's clock pauses some of them (engine/real/clock.ts). */
  protected timers: Timer[] = [];
  private nextId = 1;

  constructor(startMs: number = EPOCH_MS) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const timer = { id: this.nextId++, due: this.current + Math.max(0, timeout), fn: () => fn() };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(id: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  /** Time of the earliest pending timer, if any. */
  nextDue(): number | undefined {
    let best: number | undefined;
    for (const t of this.timers) if (best === undefined || t.due < best) best = t.due;
    return best;
  }

  /** Move time forward (never back). */
  advanceTo(ms: number): void {
    if (ms > this.current) this.current = ms;
  }

  /** Fire the earliest timer (advancing time to it). Returns false when none is pending. */
  fireNext(limitMs = Number.POSITIVE_INFINITY): boolean {
    let index = -1;
    for (let i = 0; i < this.timers.length; i++) {
      const t = this.timers[i];
      const best = index >= 0 ? this.timers[index] : undefined;
      if (t && t.due <= limitMs && (!best || t.due < best.due)) index = i;
    }
    if (index < 0) return false;
    const [timer] = this.timers.splice(index, 1);
    if (!timer) return false;
    this.advanceTo(timer.due);
    timer.fn();
    return true;
  }
}
