// The real engine's clock (engine/real/clock.ts): a timer belongs to the request whose work set
// it; while that request is held at the gate its timers wait with the time they had left, and
// every other request's timers fire on time (a second terminal's `docker stop -t 1` grace period
// runs out while a `docker run` is held, as on dockerd). Time here is a number the test moves.
import { describe, expect, it } from 'vitest';
import { WallClock, type ClockSource } from '../../../engine/real/clock.ts';

function clockAt(start: number): {
  clock: WallClock;
  source: ClockSource & { time: number; root: number | undefined; held: Set<number> };
  fired: string[];
  run: () => void;
} {
  const clock = new WallClock(start);
  const source = {
    time: start,
    root: undefined as number | undefined,
    held: new Set<number>(),
    now: () => source.time,
    kick: () => undefined,
    owner: () => source.root,
    // As the wire does: a timer fires as its request's work.
    within: (root: number | undefined, fn: () => void) => {
      const outer = source.root;
      source.root = root;
      try {
        fn();
      } finally {
        source.root = outer;
      }
    },
    heldRoots: () => source.held,
  };
  clock.follow(source);
  const fired: string[] = [];
  // What the real driver does when it wakes: fire every timer due by now.
  const run = (): void => {
    while (clock.fireNext(source.now()));
  };
  return { clock, source, fired, run };
}

/** Set a timer as request `root`'s work would. */
function timer(c: ReturnType<typeof clockAt>, root: number | undefined, name: string, ms: number): void {
  c.source.root = root;
  c.clock.setTimeout(() => c.fired.push(name), ms);
  c.source.root = undefined;
}

describe('the real clock: a hold stops its own request’s timers only', () => {
  it('fires another request’s timer on time while one request is held, and the held one after the time it had left', () => {
    const c = clockAt(1_000);
    timer(c, 7, 'run: deadline', 1_500);
    timer(c, 9, 'stop: grace over', 1_000);
    timer(c, undefined, 'nobody’s', 1_200);
    c.source.time = 1_400;
    c.source.held.add(7);
    c.run();
    expect(c.clock.nextDue()).toBe(2_000);
    c.source.time = 2_000;
    c.run();
    // Held: the run's deadline (due at 2 500) waits; the stop's grace and nobody's timer fire.
    c.source.time = 10_000;
    c.run();
    expect(c.fired).toEqual(['stop: grace over', 'nobody’s']);
    expect(c.clock.nextDue()).toBeUndefined();
    // Released at 10 000: the deadline had 1 100 ms left when its request was held at 1 400.
    c.source.held.delete(7);
    expect(c.clock.nextDue()).toBe(11_100);
    c.source.time = 11_099;
    c.run();
    expect(c.fired).toHaveLength(2);
    c.source.time = 11_100;
    c.run();
    expect(c.fired).toEqual(['stop: grace over', 'nobody’s', 'run: deadline']);
  });

  it('gives a timer set as a timer fires to the same request, and forgets a cleared one', () => {
    const c = clockAt(0);
    c.source.root = 3;
    c.clock.setTimeout(() => c.clock.setTimeout(() => c.fired.push('second sleep'), 100), 100);
    const cleared = c.clock.setTimeout(() => c.fired.push('cleared'), 50);
    c.source.root = undefined;
    c.clock.clearTimeout(cleared);
    c.source.time = 100;
    c.run();
    c.source.held.add(3);
    c.source.time = 5_000;
    c.run();
    expect(c.fired).toEqual([]);
    c.source.held.clear();
    c.source.time = 5_100;
    c.run();
    expect(c.fired).toEqual(['second sleep']);
  });
});
