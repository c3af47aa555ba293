import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/model/message.ts';
import { draft } from '../../../src/layers/post.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import type { Pending } from '../../../src/wire/gate.ts';

/**
 * `docker stop` waits with container.Wait(ctx, WaitConditionNotRunning) and the grace period as
 * its deadline (moby v20.10.24 daemon/stop.go): a container that ended on the SIGTERM, and whose
 * exit dockerd handled before containerd's answer to the Kill came back (a slow `runc kill`, as
 * seen on a real engine), is not waited for: no grace period, no SIGKILL.
 */
const RUN = `docker run -d --name t1 busybox sh -c "trap 'exit 0' TERM; sleep 100 & wait"`;

/** containerd's answer to dockerd's Kill. */
const isKillAnswer = (p: Pending): boolean =>
  p.kind === 'reply' && p.op === 'ctrd.Tasks.Kill' && p.to === 'dockerd';

/**
 * Deliver every message but containerd's answer to the Kill, which waits until the exit's
 * handling is over (the rootfs unmounted and nothing else to deliver); timers fire when nothing
 * can be delivered. Ends when the stop is answered.
 */
function runHoldingKillAnswer(sim: Simulation, stop: number): Message | undefined {
  const { wire, clock } = sim.world;
  let exitHandled = false;
  for (let guard = 0; guard < 10_000; guard++) {
    const answer = wire.trace.find((e) => e.type === 'message' && e.message.inReplyTo === stop);
    if (answer?.type === 'message') return answer.message;
    const waiting = wire.waiting().map((w) => w.pending);
    const next = waiting.find((p) => !isKillAnswer(p)) ?? (exitHandled ? waiting[0] : undefined);
    const due = clock.nextDue();
    if (next !== undefined && (due === undefined || due > clock.now())) {
      const msg = wire.deliverNext(next.id);
      if (msg?.op === 'dockerd.umountRootfs') exitHandled = true;
    } else if (due !== undefined) clock.fireNext();
    else if (waiting.length > 0 && !exitHandled) exitHandled = true;
    else return undefined;
  }
  return undefined;
}

describe('docker stop of a container that ended on SIGTERM', () => {
  it('answers once the exit is handled, without waiting out the grace period', () => {
    const sim = new Simulation([RUN]);
    sim.runToEnd();
    const stop = sim.world.wire.request(
      undefined,
      draft('CLI', 'dockerd', 'api.containers.stop', 'POST /v1.41/containers/t1/stop', {
        payload: { method: 'POST', path: '/v1.41/containers/t1/stop', query: {} },
      }),
    );
    const started = sim.world.clock.now();
    const reply = runHoldingKillAnswer(sim, stop);
    expect(reply?.status).toMatch(/^204/);
    const entries = sim.trace.entries;
    const ops = entries.flatMap((e) => (e.type === 'message' ? [e.message.op] : []));
    expect(ops).not.toContain('dockerd.graceExpired');
    const kills = entries.flatMap((e) =>
      e.type === 'docker-event' && e.event.Action === 'kill' ? [e.event.Actor.Attributes.signal] : [],
    );
    expect(kills).toEqual(['15']);
    // Virtual time: the answer comes long before the 10 s grace period would end.
    expect((reply?.at ?? Infinity) - started).toBeLessThan(10_000);
  });
});
