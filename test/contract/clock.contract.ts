import { expect } from 'vitest';
import type { ClockPort, IdsPort } from '../../src/ports/clock.ts';
import { defineContract, type ContractCases, type ContractOptions, type Factory } from './harness.ts';

/**
 * The time-and-identity contract (src/ports/clock.ts). Timers behave as the host's timers do
 * (HTML/Node timers): a timer fires once, not before its delay and never synchronously; timers
 * fire in the order they fall due, timers due together in the order they were set;
 * `clearTimeout` cancels exactly one pending timer and is harmless otherwise. Ids have Docker's
 * shapes: 64 hex digits, `adjective_surname`, and do not repeat.
 */
export interface ClockFixture {
  clock: ClockPort;
  ids: IdsPort;
  /** Let `ms` of time pass, firing what falls due (virtual time in simulation, real waiting otherwise). */
  advance(ms: number): Promise<void>;
  /** Another clock and ids made from the same seed, at the same start. */
  again(): ClockFixture;
}

export function describeClockContract<A extends ClockFixture>(
  name: string,
  factory: Factory<A>,
  options?: ContractOptions<A>,
): void {
  defineContract('ClockPort and IdsPort', name, factory, options, (cases) => {
    cases.group('timers', () => timerCases(cases));
    cases.group('cancel', () => cancelCases(cases));
    cases.group('ids', () => idCases(cases));
    cases.group('determinism', () => seedCases(cases));
  });
}

/** Host timers may round a deadline down by up to a millisecond; virtual ones are exact. */
const SLACK_MS = 1;

function timerCases(cases: ContractCases<ClockFixture>): void {
  cases.it('now never goes back and moves with time', async ({ clock, advance }) => {
    const t0 = clock.now();
    expect(Number.isFinite(t0)).toBe(true);
    await advance(250);
    const t1 = clock.now();
    expect(t1 - t0).toBeGreaterThanOrEqual(250 - SLACK_MS);
    await advance(0);
    expect(clock.now()).toBeGreaterThanOrEqual(t1);
  });

  cases.it('a timer fires once, after its delay, not before', async ({ clock, advance }) => {
    const t0 = clock.now();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 100);
    expect(fired).toEqual([]);
    // "Not before" is judged by the instant it fired at: a real wait may overrun, never underrun.
    await advance(150);
    expect(fired).toHaveLength(1);
    expect((fired[0] ?? 0) - t0).toBeGreaterThanOrEqual(100 - SLACK_MS);
    await advance(200);
    expect(fired).toHaveLength(1);
  });

  cases.it('a zero or negative delay fires later, never synchronously', async ({ clock, advance }) => {
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('zero'), 0);
    clock.setTimeout(() => fired.push('negative'), -5);
    fired.push('after setTimeout');
    await advance(5);
    expect(fired).toEqual(['after setTimeout', 'zero', 'negative']);
  });

  cases.it(
    'timers fire in the order they fall due, not the order they were set',
    async ({ clock, advance }) => {
      const fired: number[] = [];
      for (const ms of [300, 100, 200, 50]) clock.setTimeout(() => fired.push(ms), ms);
      await advance(400);
      expect(fired).toEqual([50, 100, 200, 300]);
    },
  );

  cases.it('timers due together fire in the order they were set', async ({ clock, advance }) => {
    const fired: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) clock.setTimeout(() => fired.push(name), 20);
    await advance(50);
    expect(fired).toEqual(['a', 'b', 'c', 'd']);
  });

  cases.it('a timer set by a timer fires after its own delay', async ({ clock, advance }) => {
    const t0 = clock.now();
    const fired: [string, number][] = [];
    clock.setTimeout(() => {
      fired.push(['outer', clock.now() - t0]);
      clock.setTimeout(() => fired.push(['inner', clock.now() - t0]), 100);
    }, 100);
    await advance(250);
    expect(fired.map(([n]) => n)).toEqual(['outer', 'inner']);
    expect(fired[0]?.[1]).toBeGreaterThanOrEqual(100 - SLACK_MS);
    expect(fired[1]?.[1]).toBeGreaterThanOrEqual(200 - 2 * SLACK_MS);
  });
}

function cancelCases(cases: ContractCases<ClockFixture>): void {
  cases.it('setTimeout gives each timer its own id', ({ clock }) => {
    const ids = Array.from({ length: 20 }, () => clock.setTimeout(() => undefined, 1000));
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) clock.clearTimeout(id);
  });

  cases.it('clearTimeout cancels that timer and no other', async ({ clock, advance }) => {
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('a'), 10);
    const b = clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => fired.push('c'), 30);
    clock.clearTimeout(b);
    await advance(100);
    expect(fired).toEqual(['a', 'c']);
  });

  cases.it('a timer can cancel another that falls due at the same time', async ({ clock, advance }) => {
    const fired: string[] = [];
    let second = 0;
    clock.setTimeout(() => {
      fired.push('first');
      clock.clearTimeout(second);
    }, 20);
    second = clock.setTimeout(() => fired.push('second'), 20);
    await advance(50);
    expect(fired).toEqual(['first']);
  });

  cases.it('clearTimeout of a fired, cancelled or unknown id is harmless', async ({ clock, advance }) => {
    const fired: string[] = [];
    const a = clock.setTimeout(() => fired.push('a'), 10);
    await advance(20);
    const b = clock.setTimeout(() => fired.push('b'), 10);
    clock.clearTimeout(a);
    clock.clearTimeout(987654);
    const c = clock.setTimeout(() => fired.push('c'), 5);
    clock.clearTimeout(c);
    clock.clearTimeout(c);
    await advance(20);
    expect(fired).toEqual(['a', 'b']);
    expect(b).not.toBe(a);
  });
}

function idCases(cases: ContractCases<ClockFixture>): void {
  cases.it('id64 gives 64 lowercase hex digits that do not repeat', ({ ids }) => {
    const all = Array.from({ length: 200 }, () => ids.id64());
    for (const id of all) expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(all).size).toBe(200);
  });

  cases.it('hex(n) gives n lowercase hex digits', ({ ids }) => {
    for (const n of [1, 7, 12, 25, 32, 64, 100]) expect(ids.hex(n)).toMatch(new RegExp(`^[0-9a-f]{${n}}$`));
    expect(new Set(Array.from({ length: 50 }, () => ids.hex(12))).size).toBe(50);
  });

  cases.it('name gives Docker’s adjective_surname', ({ ids }) => {
    // moby's namesgenerator: left_right, with a digit appended when it retries.
    for (let i = 0; i < 50; i++) expect(ids.name()).toMatch(/^[a-z]+_[a-z]+[0-9]?$/);
  });

  cases.it('pid gives distinct process ids above 1', ({ ids }) => {
    const pids = Array.from({ length: 100 }, () => ids.pid());
    for (const pid of pids) {
      expect(Number.isInteger(pid)).toBe(true);
      expect(pid).toBeGreaterThan(1);
    }
    expect(new Set(pids).size).toBe(100);
  });
}

/** The simulation's promise (DESIGN.md, decision 4): the same seed gives the same run, step for step. */
function seedCases(cases: ContractCases<ClockFixture>): void {
  cases.it('the same seed gives the same ids, in the same order', (first) => {
    const second = first.again();
    const draw = (f: ClockFixture) => [
      f.ids.id64(),
      f.ids.hex(12),
      f.ids.name(),
      String(f.ids.pid()),
      f.ids.name(),
    ];
    expect(draw(second)).toEqual(draw(first));
  });

  cases.it('the same seed gives the same timeline: start, firing order and instants', async (first) => {
    const second = first.again();
    const timeline = async (f: ClockFixture): Promise<string[]> => {
      const seen = [`start ${f.clock.now()}`];
      for (const ms of [30, 10, 20, 10]) f.clock.setTimeout(() => seen.push(`${ms} at ${f.clock.now()}`), ms);
      await f.advance(50);
      return seen;
    };
    expect(await timeline(second)).toEqual(await timeline(first));
  });
}
