import { describe, expect, it } from 'vitest';
import {
  newRestartManager,
  restartPolicyError,
  shouldRestart,
} from '../../../src/layers/dockerd/restartManager.ts';
import { Simulation } from '../../../src/sim/simulation.ts';

/**
 * The restart manager as moby v20.10.24 restartmanager/restartmanager.go decides, and its
 * back-off as the simulation's events show it (o-restart-policies.txt measured 106, 207, 407 and
 * 807 ms from a `die` to the next `network connect`).
 */
describe('restart manager', () => {
  it('doubles the back-off from 100 ms up to a minute, and resets it after a run of 10 s', () => {
    const rm = newRestartManager({ Name: 'always', MaximumRetryCount: 0 }, 0);
    const waits = Array.from({ length: 12 }, () => {
      const d = shouldRestart(rm, 1, false, 50);
      rm.active = false;
      return d.restart ? d.timeoutMs : -1;
    });
    expect(waits).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000]);
    expect(shouldRestart(rm, 1, false, 10_000)).toEqual({ restart: true, timeoutMs: 100 });
  });

  it('on-failure:N restarts N times after a failure, never after exit 0; unless-stopped not after a stop', () => {
    const rm = newRestartManager({ Name: 'on-failure', MaximumRetryCount: 2 }, 0);
    expect([1, 1, 1].map((code) => shouldRestart(rm, code, false, 10).restart)).toEqual([true, true, false]);
    const ok = newRestartManager({ Name: 'on-failure', MaximumRetryCount: 0 }, 0);
    expect(shouldRestart(ok, 0, false, 10).restart).toBe(false);
    const us = newRestartManager({ Name: 'unless-stopped', MaximumRetryCount: 0 }, 0);
    expect(shouldRestart(us, 137, true, 10).restart).toBe(false);
    const always = newRestartManager({ Name: 'always', MaximumRetryCount: 0 }, 0);
    expect(shouldRestart(always, 137, true, 10).restart).toBe(true);
    always.canceled = true;
    expect(shouldRestart(always, 137, true, 10)).toEqual({ restart: false, canceled: true });
  });

  it('refuses what validateRestartPolicy refuses', () => {
    expect(restartPolicyError({ Name: 'bogus', MaximumRetryCount: 0 })).toBe(
      "invalid restart policy 'bogus'",
    );
    expect(restartPolicyError({ Name: 'always', MaximumRetryCount: 3 })).toBe(
      "maximum retry count cannot be used with restart policy 'always'",
    );
    expect(restartPolicyError({ Name: 'on-failure', MaximumRetryCount: -1 })).toBe(
      'maximum retry count cannot be negative',
    );
    expect(restartPolicyError({ Name: '', MaximumRetryCount: 0 })).toBeUndefined();
  });

  it('waits the back-off between a die and the next connect in the simulation', () => {
    const trace = new Simulation(
      ['docker pull busybox', "docker run -d --name r9 --restart always busybox sh -c 'exit 3'", 'sleep 3'],
      { seed: 1, profile: 'classic' },
    ).runToEnd();
    const events = trace.entries.flatMap((e) => (e.type === 'docker-event' ? [e.event] : []));
    const gaps: number[] = [];
    let died: number | undefined;
    for (const e of events) {
      if (e.Action === 'die') died = e.timeNano / 1e6;
      if (e.Action === 'connect' && died !== undefined) gaps.push(Math.floor(e.timeNano / 1e6 - died));
    }
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    [100, 200, 400, 800].forEach((backoff, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(backoff);
      expect(gaps[i]).toBeLessThan(backoff + 50);
    });
  });
});
