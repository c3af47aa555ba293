// The scope of a hold (src/wire/scheduler.ts): in simulation a hold stops the whole queue; in a
// real engine it stops the held message's own request, while another request's messages go on,
// each judged by the same policies.
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import { draft } from '../../../src/layers/post.ts';
import { VirtualClock } from '../../../src/wire/clock.ts';
import type { Hold } from '../../../src/wire/gate.ts';
import { Scheduler } from '../../../src/wire/scheduler.ts';
import { Wire } from '../../../src/wire/wire.ts';

function world(scope: 'queue' | 'request'): { wire: Wire; scheduler: Scheduler; calls: () => string[] } {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  for (const layer of ['dockerd', 'containerd', 'runc'] as const)
    wire.register(layer, createActor(fromCallback(() => undefined)).start());
  const scheduler = new Scheduler(wire, clock);
  scheduler.scope = scope;
  const calls = (): string[] => wire.trace.flatMap((e) => (e.type === 'message' ? [e.message.call] : []));
  return { wire, scheduler, calls };
}

/** Deliver until the scheduler has nothing it may deliver. */
function drain(scheduler: Scheduler): void {
  for (let d = scheduler.deliver(); d?.kind === 'delivered'; d = scheduler.deliver());
}

describe('the scope of a hold', () => {
  it('in a real engine, holds the held request only: another request passes, unless a policy holds it too', () => {
    const { wire, scheduler, calls } = world('request');
    const run = wire.request(undefined, draft('CLI', 'dockerd', 'api.start', 'POST /containers/a/start'));
    wire.event(draft('containerd', 'runc', 'runc.create', 'runc create a'), run);
    wire.event(draft('containerd', 'runc', 'runc.start', 'runc start a'), run);
    wire.request(undefined, draft('CLI', 'dockerd', 'api.ps', 'GET /containers/json'));
    const other = wire.request(undefined, draft('CLI', 'dockerd', 'api.start', 'POST /containers/b/start'));
    wire.event(draft('containerd', 'runc', 'runc.create', 'runc create b'), other);
    scheduler.gate.set('breakpoint', (next) => (next.to === 'runc' ? 'before runc' : undefined));
    drain(scheduler);
    // Both runs wait before runc; what comes after a held message in its own request waits too.
    expect(calls()).toEqual(['POST /containers/a/start', 'GET /containers/json', 'POST /containers/b/start']);
    expect(scheduler.holds.map((h) => h.next.call)).toEqual(['runc create a', 'runc create b']);
    expect(scheduler.held?.next.call).toBe('runc create a');
    // A step releases the oldest; its request's next message is held again.
    scheduler.release();
    drain(scheduler);
    expect(calls().slice(3)).toEqual(['runc create a']);
    expect(scheduler.holds.map((h) => h.next.call)).toEqual(['runc start a', 'runc create b']);
    // Continue: every held message goes once; the breakpoint removed, nothing is held again.
    scheduler.gate.releaseAll();
    scheduler.gate.remove('breakpoint');
    drain(scheduler);
    expect(calls().slice(4)).toEqual(['runc start a', 'runc create b']);
    expect(scheduler.held).toBeUndefined();
    expect(wire.pending()).toBe(0);
  });

  it('forgets the hold of a request taken off the queue (cancelled)', () => {
    const { wire, scheduler } = world('request');
    const id = wire.request(undefined, draft('CLI', 'dockerd', 'api.ps', 'GET /containers/json'));
    scheduler.gate.set('step', () => 'step mode');
    expect(scheduler.deliver()?.kind).toBe('held');
    const released: number[] = [];
    scheduler.gate.onChange((_held, change) => released.push(change.released.length));
    wire.cancel(id);
    expect(scheduler.deliver()).toBeUndefined();
    expect(scheduler.holds).toEqual([]);
    // Gone with its request, not let go.
    expect(released).toEqual([0]);
  });

  it('in simulation, holds the whole queue behind the head', () => {
    const { wire, scheduler, calls } = world('queue');
    wire.request(undefined, draft('containerd', 'runc', 'runc.create', 'runc create a'));
    wire.request(undefined, draft('CLI', 'dockerd', 'api.ps', 'GET /containers/json'));
    scheduler.gate.set('breakpoint', (next) => (next.to === 'runc' ? 'before runc' : undefined));
    drain(scheduler);
    expect(calls()).toEqual([]);
    expect(scheduler.holds).toHaveLength(1);
    scheduler.release();
    drain(scheduler);
    expect(calls()).toEqual(['runc create a', 'GET /containers/json']);
  });
});

describe('what the gate tells of its holds', () => {
  it('names each held message’s request, tells every change with every hold and those let go, and lets a chosen one go', () => {
    const { wire, scheduler, calls } = world('request');
    const changes: { holds: string[]; released: string[] }[] = [];
    const name = (h: Hold): string => `${h.root ?? '?'} ${h.next.call}`;
    scheduler.gate.onChange((_held, change) =>
      changes.push({ holds: change.holds.map(name), released: change.released.map(name) }),
    );
    const a = wire.request(undefined, draft('CLI', 'dockerd', 'api.start', 'POST /containers/a/start'));
    wire.event(draft('containerd', 'runc', 'runc.create', 'runc create a'), a);
    const b = wire.request(undefined, draft('CLI', 'dockerd', 'api.start', 'POST /containers/b/start'));
    wire.event(draft('containerd', 'runc', 'runc.create', 'runc create b'), b);
    scheduler.gate.set('breakpoint', (next) => (next.to === 'runc' ? 'before runc' : undefined));
    drain(scheduler);
    expect(scheduler.holds.map(name)).toEqual([`${a} runc create a`, `${b} runc create b`]);
    expect([...scheduler.heldRoots()]).toEqual([a, b]);
    expect(changes.at(-1)).toEqual({ holds: [`${a} runc create a`, `${b} runc create b`], released: [] });
    // A step may name the held message it lets go: the younger one here.
    const younger = scheduler.holds[1]?.next.id;
    expect(scheduler.gate.release(younger)?.next.call).toBe('runc create b');
    expect(changes.at(-1)).toEqual({ holds: [`${a} runc create a`], released: [`${b} runc create b`] });
    drain(scheduler);
    expect(calls().at(-1)).toBe('runc create b');
    expect([...scheduler.heldRoots()]).toEqual([a]);
    expect(scheduler.gate.release(younger)).toBeUndefined();
    expect(scheduler.gate.releaseAll().map(name)).toEqual([`${a} runc create a`]);
    expect(changes.at(-1)).toEqual({ holds: [], released: [`${a} runc create a`] });
  });
});
