import { describe, expect, it } from 'vitest';
import { draft } from '../../../src/layers/post.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import { messagesOf } from '../../../src/views/trace.ts';

/**
 * dockerd creates its API socket before it restores its containers (moby v20.10.24
 * cmd/dockerd/daemon.go start: loadListeners, then NewDaemon; docker-v29.0.0
 * daemon/command/daemon.go): a request that arrives while it restores is accepted and waits,
 * and is answered once the API is served. It is not refused.
 */
describe('a request during dockerd start-up', () => {
  it('waits in the backlog and is answered after the restore', () => {
    const sim = new Simulation(['pkill -9 dockerd', 'systemctl start docker'], {
      setup: ['docker run -d --name sl busybox sleep 1000'],
    });
    let sent: number | undefined;
    for (let m = sim.step(); m !== undefined; m = sim.step()) {
      if (sent === undefined && m.call.startsWith('Events.Subscribe')) {
        sent = sim.world.wire.request(
          undefined,
          draft('CLI', 'dockerd', 'api.containers.list', 'GET /v1.50/containers/json', {
            payload: { method: 'GET', path: '/v1.50/containers/json', query: {} },
          }),
        );
      }
    }
    expect(sent).toBeDefined();
    const messages = messagesOf(sim.trace);
    const reply = messages.find((m) => m.inReplyTo === sent);
    expect(reply?.status).toBe('200');
    const served = messages.findIndex((m) => m.call.startsWith('Loading containers: done'));
    expect(messages.indexOf(reply as never)).toBeGreaterThan(served);
    expect(messages.some((m) => m.status === 'ECONNREFUSED')).toBe(false);
  });
});
