// The scope of a hold (src/wire/scheduler.ts): in simulation a hold stops the whole queue; in a
// real engine it stops the held message's own request, while another request's messages go on,
// each judged by the same policies.
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import { draft } from '../../../src/layers/post.ts';
import { VirtualClock } from '../../../src/wire/clock.ts';
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
    wire.cancel(id);
    expect(scheduler.deliver()).toBeUndefined();
    expect(scheduler.holds).toEqual([]);
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
