import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/model/message.ts';
import { draft } from '../../../src/layers/post.ts';
import { Simulation } from '../../../src/sim/simulation.ts';

/**
 * A `docker stop` that comes while the container's first start is under way waits for it: the
 * start holds the container's lock and the stop's IsRunning takes it too (moby v20.10.24
 * daemon/start.go containerStart, container/state.go IsRunning), so the stop finds the container
 * running and stops it; it never answers 304 as if there were nothing to stop.
 */
const RUN = 'docker run -d --name s1 busybox sleep 100';

interface Outcome {
  status: string | undefined;
  actionsAfterStop: string[];
}

function stopAt(index: number): Outcome {
  const sim = new Simulation([RUN, 'sleep 30']);
  let stop: number | undefined;
  let n = 0;
  for (let m = sim.step(); m !== undefined; m = sim.step(), n++) {
    if (n !== index) continue;
    stop = sim.world.wire.request(
      undefined,
      draft('CLI', 'dockerd', 'api.containers.stop', 'POST /v1.41/containers/s1/stop?t=1', {
        payload: { method: 'POST', path: '/v1.41/containers/s1/stop', query: { t: '1' } },
      }),
    );
  }
  let reply: Message | undefined;
  const actionsAfterStop: string[] = [];
  for (const e of sim.trace.entries) {
    if (e.type === 'message' && e.message.inReplyTo === stop) reply = e.message;
    else if (stop !== undefined && e.type === 'docker-event' && e.event.Type === 'container')
      actionsAfterStop.push(e.event.Action);
  }
  return { status: reply?.status, actionsAfterStop };
}

/** The steps of the run from its `POST /containers/{id}/start` to the `start` event. */
function startSteps(): [number, number] {
  const sim = new Simulation([RUN, 'sleep 30']);
  let first = -1;
  let n = 0;
  for (let m = sim.step(); m !== undefined; m = sim.step(), n++) {
    if (first < 0 && m.op === 'api.containers.start' && m.kind === 'request') first = n;
    if (first >= 0 && m.op === 'dockerd.checkpoint') return [first, n];
  }
  throw new Error('no start in the run');
}

describe('docker stop during the first start', () => {
  it('waits for the start and stops the started container, wherever in the start it lands', () => {
    const [first, last] = startSteps();
    expect(last - first).toBeGreaterThan(5);
    for (let i = first; i <= last; i++) {
      const outcome = stopAt(i);
      expect(outcome.status, `stop at ${i}`).toMatch(/^204/);
      expect(outcome.actionsAfterStop, `stop at ${i}`).toEqual(
        expect.arrayContaining(['start', 'die', 'stop']),
      );
      const { actionsAfterStop: actions } = outcome;
      expect(actions.indexOf('stop'), `stop at ${i}: ${actions.join(' ')}`).toBeGreaterThan(
        actions.indexOf('start'),
      );
    }
  }, 120_000);
});
