import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/simulation.ts';
import type { Pending } from '../../../src/wire/gate.ts';

/** A policy that holds the second `Diff.Apply` a pull sends (its second layer). */
function secondApply(): (next: Pending) => string | undefined {
  const applies: number[] = [];
  return (next) => {
    if (next.op !== 'ctrd.Diff.Apply' || next.kind !== 'request') return undefined;
    if (!applies.includes(next.id)) applies.push(next.id);
    return applies[1] === next.id ? 'second layer' : undefined;
  };
}

describe('the gate holds a message before it is delivered', () => {
  it('holds a pull before Diff.Apply of its second layer; the virtual clock stands still; release goes on', () => {
    const sim = new Simulation(['docker pull nginx']);
    const { scheduler, clock, wire } = sim.world;
    scheduler.gate.set('lesson', secondApply());
    let held = sim.next();
    for (let i = 0; i < 10_000 && held?.kind === 'delivered'; i++) held = sim.next();
    expect(held?.kind).toBe('held');
    if (held?.kind !== 'held') return;
    expect(held.hold).toMatchObject({
      policy: 'lesson',
      reason: 'second layer',
      next: { op: 'ctrd.Diff.Apply', from: 'dockerd', to: 'containerd' },
    });
    const layer = (held.hold.next.payload as { layer: { digest: string } }).layer.digest;
    // Nothing of that layer was applied: no message so far carries its apply.
    const delivered = wire.trace.flatMap((e) => (e.type === 'message' ? [e.message] : []));
    expect(
      delivered.filter((m) => m.op === 'storage.apply' && (JSON.stringify(m.payload) ?? '').includes(layer)),
    ).toEqual([]);
    const before = {
      now: clock.now(),
      due: clock.nextDue(),
      steps: delivered.length,
      pending: wire.pending(),
    };
    for (let i = 0; i < 5; i++) expect(sim.next()).toEqual(held);
    expect({
      now: clock.now(),
      due: clock.nextDue(),
      steps: wire.trace.filter((e) => e.type === 'message').length,
      pending: wire.pending(),
    }).toEqual(before);
    scheduler.release();
    const next = sim.next();
    expect(next?.kind === 'delivered' && next.msg.id).toBe(held.hold.next.id);
    expect(scheduler.held).toBeUndefined();
    sim.runToEnd();
    expect(wire.trace.some((e) => e.type === 'exit' && e.code === 0)).toBe(true);
  });

  it('the same run with and without a hold is the same trace', () => {
    const plain = new Simulation(['docker pull nginx']).runToEnd();
    const sim = new Simulation(['docker pull nginx']);
    sim.world.scheduler.gate.set('lesson', secondApply());
    for (let i = 0; i < 10_000; i++) {
      const next = sim.next();
      if (next === undefined) break;
      if (next.kind === 'held') sim.world.scheduler.release();
    }
    expect(JSON.stringify(sim.trace)).toBe(JSON.stringify(plain));
  });

  it('a removed policy lets its held message go', () => {
    const sim = new Simulation(['docker pull nginx']);
    const remove = sim.world.scheduler.gate.set('all', () => 'step mode');
    expect(sim.next()?.kind).toBe('held');
    remove();
    expect(sim.next()?.kind).toBe('delivered');
  });
});
