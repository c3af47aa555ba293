import { describe, expect, it, vi } from 'vitest';
import type { Message } from '../../../src/model/message.ts';
import { hostSnapshot } from '../../../src/sim/hostSnapshot.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import { Stepper, type PlayTimers, type StepperChange } from '../../../src/sim/stepper.ts';

const LIFECYCLE = ['docker run -d --name web nginx', 'docker stop web', 'docker rm web'];

/** A scheduler the test fires by hand: nothing happens until `fire()`. */
class FakeScheduler implements PlayTimers {
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  readonly intervals: number[] = [];
  private next = 1;

  schedule(fn: () => void, ms: number): number {
    const handle = this.next++;
    this.pending.set(handle, { fn, ms });
    this.intervals.push(ms);
    return handle;
  }

  cancel(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Fire the oldest pending timer; false when none is pending. */
  fire(): boolean {
    const first = this.pending.entries().next();
    if (first.done) return false;
    const [handle, { fn }] = first.value;
    this.pending.delete(handle);
    fn();
    return true;
  }
}

/** Everything observable about a simulation at a position: trace, time, queues, host state. */
function fingerprint(sim: Simulation): Record<string, string> {
  const { world } = sim;
  return {
    trace: JSON.stringify(sim.trace),
    clock: JSON.stringify({
      now: world.clock.now(),
      nextDue: world.clock.nextDue(),
      pending: world.wire.pending(),
    }),
    host: JSON.stringify(hostSnapshot(world, sim.profile)),
    stores: JSON.stringify({
      blobs: world.ports.content.list(),
      snapshots: world.ports.snapshotter.list(),
      processes: world.ports.runtime.processes(),
    }),
    states: JSON.stringify(
      Object.entries(world.actors).map(([layer, actor]) => [layer, actor.getSnapshot().value]),
    ),
  };
}

/** A fresh simulation stepped n times, with the messages it delivered. */
function freshAt(commands: string[], n: number, seed = 1): { sim: Simulation; messages: Message[] } {
  const sim = new Simulation([...commands], { seed });
  const messages: Message[] = [];
  for (let i = 0; i < n; i++) {
    const msg = sim.step();
    if (!msg) break;
    messages.push(msg);
  }
  return { sim, messages };
}

function expectSameAsFresh(stepper: Stepper, commands: string[], seed = 1): void {
  const { sim, messages } = freshAt(commands, stepper.position, seed);
  expect(messages).toHaveLength(stepper.position);
  expect(JSON.stringify(stepper.messages)).toBe(JSON.stringify(messages));
  expect(fingerprint(stepper.simulation)).toEqual(fingerprint(sim));
}

const containerIds = (stepper: Stepper) =>
  stepper.trace.entries.flatMap((e) =>
    e.type === 'output' && /^[0-9a-f]{64}\n?$/.test(e.text) ? [e.text.trim()] : [],
  );

describe('Stepper: step and back', () => {
  it('starts at 0 and counts the whole run once, on a clone', () => {
    const spy = vi.spyOn(Simulation.prototype, 'runToEnd');
    try {
      const stepper = new Stepper(LIFECYCLE);
      expect(stepper.position).toBe(0);
      expect(stepper.messages).toEqual([]);
      const total = stepper.total();
      expect(total).toBe(
        new Simulation([...LIFECYCLE]).runToEnd().entries.filter((e) => e.type === 'message').length,
      );
      expect(total).toBeGreaterThan(200);
      expect(stepper.total()).toBe(total);
      expect(spy).toHaveBeenCalledTimes(2); // ours (cached) + the reference above
      expect(stepper.position).toBe(0); // the clone did not move the live run
      expect(stepper.done).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  it('step delivers messages in seq order', () => {
    const stepper = new Stepper(LIFECYCLE);
    const seqs = [stepper.step(), stepper.step(), stepper.step()].map((m) => m?.seq);
    expect(seqs).toEqual([1, 2, 3]);
    expect(stepper.position).toBe(3);
    expect(stepper.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('back is exact at several positions: trace, docker events, output, time and host state', () => {
    const stepper = new Stepper(LIFECYCLE);
    const total = stepper.total();
    stepper.seek(total);
    expect(stepper.done).toBe(true);
    expect(stepper.step()).toBeUndefined();
    const kinds = new Set(stepper.trace.entries.map((e) => e.type));
    expect([...kinds]).toEqual(
      expect.arrayContaining(['command', 'message', 'output', 'exit', 'docker-event', 'containerd-event']),
    );

    stepper.back();
    expect(stepper.position).toBe(total - 1);
    expect(stepper.done).toBe(false);
    expectSameAsFresh(stepper, LIFECYCLE);

    const runcCreate = stepper.messages.findIndex((m) => m.op === 'runc.create' && m.kind === 'request') + 1;
    expect(runcCreate).toBeGreaterThan(1);
    for (const position of [runcCreate + 1, Math.floor(total / 2), 2, 1]) {
      stepper.seek(position);
      stepper.back();
      expect(stepper.position).toBe(position - 1);
      expectSameAsFresh(stepper, LIFECYCLE);
    }
    stepper.back();
    expect(stepper.position).toBe(0);
    expectSameAsFresh(stepper, LIFECYCLE);
  });
});

describe('Stepper: back then step', () => {
  it('back then step lands on the very message that was there', () => {
    const stepper = new Stepper(LIFECYCLE);
    stepper.seek(160);
    const before = JSON.stringify(stepper.messages.at(-1));
    const traceBefore = JSON.stringify(stepper.trace);
    stepper.back();
    const again = stepper.step();
    expect(JSON.stringify(again)).toBe(before);
    expect(JSON.stringify(stepper.trace)).toBe(traceBefore);
  });
});

describe('Stepper: seek', () => {
  it('goes forward by stepping and back by replay, clamped to [0, total]', () => {
    const stepper = new Stepper(LIFECYCLE);
    stepper.seek(120);
    expect(stepper.position).toBe(120);
    expectSameAsFresh(stepper, LIFECYCLE);
    stepper.seek(40);
    expect(stepper.position).toBe(40);
    expectSameAsFresh(stepper, LIFECYCLE);
    stepper.seek(40.9);
    expect(stepper.position).toBe(40);
    stepper.seek(-5);
    expect(stepper.position).toBe(0);
    stepper.seek(1e9);
    expect(stepper.position).toBe(stepper.total());
    expect(stepper.done).toBe(true);
    expect(() => stepper.seek(Number.NaN)).toThrow(/nan/i);
  });
});

describe('Stepper: breakpoints', () => {
  it('by layer: holds the first message to or from runc before it is delivered; direction narrows it', () => {
    const reference = freshAt(LIFECYCLE, 1e6).messages;
    const stepper = new Stepper(LIFECYCLE);
    stepper.addBreakpoint({ layer: 'runc' });
    const hit = stepper.runToBreakpoint();
    expect(hit).toMatchObject({ layer: 'runc', direction: 'any' });
    expect(stepper.held?.next.to).toBe('runc');
    expect(stepper.position).toBe(reference.findIndex((m) => m.to === 'runc' || m.from === 'runc'));
    expect(stepper.messages.some((m) => m.to === 'runc' || m.from === 'runc')).toBe(false);
    // The held message is the one the reference run delivers next, id for id.
    expect(stepper.held?.next.id).toBe(reference[stepper.position]?.id);

    stepper.clearBreakpoints();
    const fromRunc = stepper.addBreakpoint({ layer: 'runc', direction: 'from' });
    expect(stepper.runToBreakpoint()).toBe(fromRunc);
    expect(stepper.held?.next.from).toBe('runc');
    expect(stepper.position).toBe(reference.findIndex((m) => m.from === 'runc'));
  });

  it('by call: substring and RegExp (a global one keeps matching), resuming moves on', () => {
    const reference = freshAt(LIFECYCLE, 1e6).messages;
    const stepper = new Stepper(LIFECYCLE);
    stepper.addBreakpoint({ call: 'runc start' });
    // A substring matches anywhere: first `runc init` blocking "until runc start", then the call.
    const expected = reference.filter((m) => m.call.includes('runc start')).map((m) => m.seq);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    stepper.runToBreakpoint();
    expect(stepper.position).toBe((expected[0] ?? 0) - 1);
    stepper.runToBreakpoint();
    expect(stepper.position).toBe((expected[1] ?? 0) - 1);
    expect(reference.find((m) => m.call.startsWith('runc start '))?.seq).toBe(expected[1]);

    stepper.clearBreakpoints();
    stepper.seek(0);
    stepper.addBreakpoint({ call: /^runc\b.*\bcreate\b/ });
    stepper.runToBreakpoint();
    expect(stepper.held?.next).toMatchObject({
      from: 'shim',
      to: 'runc',
      op: 'runc.create',
      kind: 'request',
    });

    stepper.clearBreakpoints();
    stepper.seek(0);
    stepper.addBreakpoint({ call: /^runc /g });
    const hits: number[] = [];
    while (stepper.runToBreakpoint()) hits.push(stepper.position);
    // Without dropping the `g` flag, `lastIndex` would make every other test of /^runc /g fail.
    const runcLines = reference.filter((m) => /^runc /.test(m.call));
    expect(runcLines.map((m) => m.call.split(' ')[1])).toEqual(
      expect.arrayContaining(['--root', 'start', 'kill', 'delete']),
    );
    expect(hits).toEqual(runcLines.map((m) => m.seq - 1));
    expect(stepper.done).toBe(true);

    // Every call matches /^./: a global RegExp must hit message after message.
    stepper.clearBreakpoints();
    stepper.seek(0);
    stepper.addBreakpoint({ call: /^./g });
    const every = [stepper.runToBreakpoint(), stepper.runToBreakpoint(), stepper.runToBreakpoint()];
    expect(every.every(Boolean)).toBe(true);
    expect(stepper.position).toBe(2);
  });
});

describe('Stepper: breakpoints by op', () => {
  it('by op: exact op; step ignores breakpoints; remove and clear', () => {
    const stepper = new Stepper(LIFECYCLE);
    const create = stepper.addBreakpoint({ op: 'runc.create' });
    expect(stepper.runToBreakpoint()).toBe(create);
    expect(stepper.held?.next.op).toBe('runc.create');
    const position = stepper.position;
    // The reply to runc.create carries the same op: the next hit is its reply.
    expect(stepper.runToBreakpoint()).toBe(create);
    expect(stepper.held?.next).toMatchObject({ op: 'runc.create', kind: 'reply' });

    stepper.seek(position);
    expect(stepper.step()?.op).toBe('runc.create'); // stepping does not stop, it just steps
    expect(stepper.removeBreakpoint(create.id)).toBe(true);
    expect(stepper.removeBreakpoint(create.id)).toBe(false);
    stepper.addBreakpoint({ op: 'no.such.op' });
    expect(stepper.breakpoints).toHaveLength(1);
    expect(stepper.runToBreakpoint()).toBeUndefined();
    expect(stepper.done).toBe(true);
  });

  it('rejects breakpoints that cannot mean anything, naming the value', () => {
    const stepper = new Stepper(LIFECYCLE);
    expect(() => stepper.addBreakpoint({ layer: 'docker' as never })).toThrow(
      'breakpoint: unknown layer "docker"',
    );
    expect(() => stepper.addBreakpoint({ layer: 'runc', direction: 'up' as never })).toThrow('"up"');
    expect(() => stepper.addBreakpoint({ call: '' })).toThrow('call ""');
    expect(stepper.breakpoints).toHaveLength(0);
  });
});

describe('Stepper: play', () => {
  it('delivers only when the scheduler fires, every baseMs / speed', () => {
    const scheduler = new FakeScheduler();
    const stepper = new Stepper(LIFECYCLE, { scheduler });
    stepper.play();
    expect(stepper.playing).toBe(true);
    expect(stepper.position).toBe(0);
    expect([...scheduler.pending.values()].map((t) => t.ms)).toEqual([600]);
    scheduler.fire();
    scheduler.fire();
    expect(stepper.position).toBe(2);
    expect(scheduler.pending.size).toBe(1);

    stepper.play(2);
    expect(scheduler.pending.size).toBe(1); // the old tick was cancelled
    expect([...scheduler.pending.values()][0]?.ms).toBe(300);
    stepper.play(0.25);
    expect([...scheduler.pending.values()][0]?.ms).toBe(2400);
    expect(stepper.position).toBe(2);

    const slow = new FakeScheduler();
    const stepper2 = new Stepper(LIFECYCLE, { scheduler: slow, baseMs: 100 });
    stepper2.play(4);
    expect(slow.intervals).toEqual([25]);
  });

  it('pause stops: nothing pending, firing a stale tick does nothing', () => {
    const scheduler = new FakeScheduler();
    const stepper = new Stepper(LIFECYCLE, { scheduler });
    stepper.play();
    scheduler.fire();
    stepper.pause();
    expect(stepper.playing).toBe(false);
    expect(scheduler.pending.size).toBe(0);
    expect(scheduler.fire()).toBe(false);
    expect(stepper.position).toBe(1);
  });

  it('a manual step pauses play', () => {
    const scheduler = new FakeScheduler();
    const stepper = new Stepper(LIFECYCLE, { scheduler });
    stepper.play();
    stepper.step();
    expect(stepper.playing).toBe(false);
    expect(scheduler.pending.size).toBe(0);
  });
});

describe('Stepper: play stops', () => {
  it('throws on a speed outside 0.25..4, naming it, and without a scheduler', () => {
    const stepper = new Stepper(LIFECYCLE, { scheduler: new FakeScheduler() });
    for (const speed of [0, 0.2, 5, -1]) {
      expect(() => stepper.play(speed)).toThrow(new RegExp(`speed ${speed} `));
    }
    expect(() => stepper.play(Number.NaN)).toThrow(/NaN/);
    try {
      stepper.play(8);
    } catch (error) {
      expect((error as Error).message).toBe((error as Error).message.toLowerCase());
    }
    expect(stepper.playing).toBe(false);
    expect(() => new Stepper(LIFECYCLE).play()).toThrow(/scheduler/);
  });

  it('pauses with the message that hits a breakpoint held, undelivered, and tells listeners', () => {
    const scheduler = new FakeScheduler();
    const stepper = new Stepper(LIFECYCLE, { scheduler });
    const bp = stepper.addBreakpoint({ layer: 'runc' });
    const changes: StepperChange[] = [];
    stepper.onChange((c) => changes.push(c));
    stepper.play(4);
    let fired = 0;
    while (scheduler.fire()) fired++;
    expect(stepper.playing).toBe(false);
    // The last tick found the breakpoint's message and held it.
    expect(stepper.position).toBe(fired - 1);
    const held = stepper.held?.next;
    expect(held?.to === 'runc' || held?.from === 'runc').toBe(true);
    expect(stepper.messages.some((m) => m.to === 'runc' || m.from === 'runc')).toBe(false);
    expect(changes.at(-1)).toEqual({ cause: 'tick', position: fired - 1, playing: false, hit: bp });
    // While held, the virtual clock stands still; play resumes with the held message itself.
    const now = stepper.time;
    expect(stepper.runToBreakpoint()).toBe(bp);
    expect(stepper.messages[fired - 1]?.id).toBe(held?.id);
    expect(stepper.time).toBeGreaterThanOrEqual(now);
    expect(changes[0]).toMatchObject({ cause: 'play', position: 0, playing: true });
  });

  it('stops at the end', () => {
    const scheduler = new FakeScheduler();
    const stepper = new Stepper(LIFECYCLE, { scheduler });
    stepper.seek(stepper.total() - 3);
    stepper.play();
    let fired = 0;
    while (scheduler.fire()) fired++;
    expect(fired).toBe(3);
    expect(stepper.done).toBe(true);
    expect(stepper.playing).toBe(false);
    stepper.play(); // nothing left: stays paused
    expect(stepper.playing).toBe(false);
    expect(scheduler.pending.size).toBe(0);
  });
});

describe('Stepper: appendCommands', () => {
  it('continues a finished run with new lines, as if they had been there from the start', () => {
    const stepper = new Stepper(['docker run -d --name web nginx']);
    stepper.seek(1e9);
    const firstTotal = stepper.position;
    expect(stepper.done).toBe(true);

    stepper.appendCommands(['docker stop web', 'docker rm web']);
    expect(stepper.commands).toEqual(LIFECYCLE);
    expect(stepper.position).toBe(firstTotal);
    expect(stepper.done).toBe(false);
    const full = freshAt(LIFECYCLE, 1e6);
    expect(stepper.total()).toBe(full.messages.length);

    expect(stepper.step()?.seq).toBe(firstTotal + 1);
    stepper.seek(1e9);
    expect(stepper.position).toBe(full.messages.length);
    expect(fingerprint(stepper.simulation)).toEqual(fingerprint(full.sim));
    expect(stepper.trace.entries.some((e) => e.type === 'command' && e.line === 'docker rm web')).toBe(true);

    stepper.back(); // the replay includes the appended lines
    expectSameAsFresh(stepper, LIFECYCLE);
    stepper.seek(firstTotal - 10);
    expectSameAsFresh(stepper, LIFECYCLE);
  });

  it('works on a run that has no command yet, and tells listeners; unsubscribe stops that', () => {
    const stepper = new Stepper([]);
    expect(stepper.total()).toBe(0);
    expect(stepper.step()).toBeUndefined();
    const changes: StepperChange[] = [];
    const off = stepper.onChange((c) => changes.push(c));
    stepper.appendCommands(['docker run -d --name web nginx']);
    expect(changes).toEqual([{ cause: 'append', position: 0, playing: false }]);
    stepper.step();
    expect(changes.at(-1)).toEqual({ cause: 'step', position: 1, playing: false });
    off();
    stepper.step();
    expect(changes).toHaveLength(2);
    expectSameAsFresh(stepper, ['docker run -d --name web nginx']);
  });
});

describe('Stepper: determinism', () => {
  it('same seed, same trace; another seed, other container ids', () => {
    const run = (seed: number) => {
      const stepper = new Stepper(LIFECYCLE, { seed });
      stepper.seek(1e9);
      return stepper;
    };
    const a = run(7);
    const b = run(7);
    const c = run(8);
    expect(JSON.stringify(a.trace)).toBe(JSON.stringify(b.trace));
    expect(containerIds(a)).toHaveLength(1);
    expect(containerIds(a)).toEqual(containerIds(b));
    expect(containerIds(c)).toHaveLength(1);
    expect(containerIds(c)).not.toEqual(containerIds(a));
  });

  it('keeps the profile and think time through a replay', () => {
    const stepper = new Stepper(LIFECYCLE, { profile: 'classic', thinkMs: 2500, seed: 3 });
    stepper.seek(200);
    stepper.back();
    const sim = new Simulation([...LIFECYCLE], { profile: 'classic', thinkMs: 2500, seed: 3 });
    for (let i = 0; i < 199; i++) sim.step();
    expect(stepper.simulation.profile).toBe('classic');
    expect(fingerprint(stepper.simulation)).toEqual(fingerprint(sim));
  });
});
