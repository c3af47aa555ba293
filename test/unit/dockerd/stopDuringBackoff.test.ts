import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/model/message.ts';
import { draft } from '../../../src/layers/post.ts';
import { Simulation } from '../../../src/sim/simulation.ts';

/**
 * A `docker stop` of an `always` container that keeps exiting cancels its restart manager for
 * good, whenever it comes (moby v20.10.24 daemon/kill.go killWithSignal → ExitOnNext →
 * restartmanager Cancel, which closes a channel: a back-off that begins waiting after the
 * cancel sees it too). The stop is injected at each message of the first exit's handling and
 * back-off; after its reply the container is never started again.
 */
const RUN = "docker run -d --name r2 --restart always busybox sh -c 'exit 3'";

interface Outcome {
  status: string | undefined;
  actionsAfterStop: string[];
}

function stopAt(index: number): Outcome | undefined {
  const sim = new Simulation([RUN, 'sleep 5']);
  let stop: number | undefined;
  let n = 0;
  for (let m = sim.step(); m !== undefined; m = sim.step(), n++) {
    if (n !== index) continue;
    stop = sim.world.wire.request(
      undefined,
      draft('CLI', 'dockerd', 'api.containers.stop', 'POST /v1.41/containers/r2/stop', {
        payload: { method: 'POST', path: '/v1.41/containers/r2/stop', query: {} },
      }),
    );
  }
  if (stop === undefined) return undefined;
  let reply: Message | undefined;
  const actionsAfterStop: string[] = [];
  for (const e of sim.trace.entries) {
    if (e.type === 'message' && e.message.inReplyTo === stop) reply = e.message;
    else if (reply && e.type === 'docker-event' && e.event.Type === 'container')
      actionsAfterStop.push(e.event.Action);
  }
  return { status: reply?.status, actionsAfterStop };
}

describe('docker stop while an always container restarts', () => {
  it('is never followed by a start, wherever in the exit handling and back-off it lands', () => {
    const sim = new Simulation([RUN, 'sleep 5']);
    let first = 0;
    for (let m = sim.step(); m !== undefined && !m.call.startsWith('Tasks.Delete('); m = sim.step()) first++;
    // From the first exit's handling through its back-off, the next start and the next exit.
    for (let i = first; i < first + 130; i++) {
      const outcome = stopAt(i);
      expect(outcome, `stop at ${i}`).toBeDefined();
      expect(outcome?.actionsAfterStop, `stop at ${i}`).not.toContain('start');
      expect(outcome?.status, `stop at ${i}`).toMatch(/^204|^304/);
    }
  }, 120_000);
});
