import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine, loadFixture, simulate } from './fidelity-fixture.ts';

/**
 * Restart policies (o-restart-policies.txt, dockerd 20.10.24): `on-failure:2` runs a failing
 * command three times with the restart manager's back-off and no `restart` event; `always`
 * shows `Restarting (3) … ago` between runs; a daemon stop and start bring back `always` (even
 * one the user stopped) and `on-failure` (left with 137 by the shutdown), not a stopped
 * `unless-stopped` nor a container without a policy; the daemon refuses bad policies.
 * The capture's `systemctl` lines say how that daemon was stopped and started: the comment goes.
 */
const FIXTURE = 'o-restart-policies.txt';
const rewrite = (line: string) => line.replace(/ +#.*$/, '');
const events = (merged: string[] | undefined) =>
  (merged ?? []).filter((l) => l.startsWith('EV ')).map((l) => l.replace(/ \[.*\]$/, ''));

describe('fidelity: restart policies', () => {
  it('on-failure:2 with exit 1: three runs, RestartCount 2, the three runs in the log', () => {
    const { sim } = expectSameAsRealEngine(FIXTURE, (_line, i) => i <= 4, {
      rewrite,
      flat: true,
      // "Exited (1) 1 second ago": the real starts took 0.2 s each, the simulation's less.
      skipStdout: [4],
    });
    expect(
      events(sim.merged.flat())
        .filter((l) => l.startsWith('EV container'))
        .map((l) => l.replace(/ \{.*/, '')),
    ).toEqual([
      'EV container create',
      'EV container start',
      'EV container die',
      'EV container start',
      'EV container die',
      'EV container start',
      'EV container die',
    ]);
  });

  it('always with exit 3: Restarting (3) between runs in ps; a stop while it waits logs only stop', () => {
    // How many runs fit before a command depends on how long a start takes (0.2 s for real):
    // the runs of r2 are checked by their shape and back-off below, not one by one.
    expectSameAsRealEngine(FIXTURE, (_line, i) => i <= 10, {
      rewrite,
      flat: true,
      skipStdout: [4, 9],
      skipEvents: [5, 6, 7, 8, 9, 10],
    });
    const lines = loadFixture(FIXTURE, (_line, i) => i <= 10).map((s) => s.line);
    const sim = simulate(lines);
    const r2 = sim
      .slice(5, 8)
      .flatMap((s) => s.events)
      .map((e) => `EV ${e.Type} ${e.Action}`);
    expect(r2.slice(0, 7)).toEqual([
      'EV container create',
      'EV network connect',
      'EV container start',
      'EV container die',
      'EV network disconnect',
      'EV network connect',
      'EV container start',
    ]);
    expect(sim[7]?.stdout).toMatch(/^r2 Restarting \(3\) Less than a second ago\n/);
    // moby killWithSignal returns before the kill event when the container is Restarting (a first
    // run of the capture script saw exactly this; the recorded run caught r2 running: kill 15, die 3).
    expect(sim[8]?.events.map((e) => `${e.Action} ${e.Actor.Attributes.name ?? ''}`)).toEqual(['stop r2']);
  });
});

describe('fidelity: restart policies and a daemon restart', () => {
  it('a daemon stop and start: always and on-failure come back, unless-stopped (stopped) and no stay exited; bad policies refused', () => {
    const pick = (_line: string, i: number) => i >= 11;
    expectSameAsRealEngine(FIXTURE, pick, {
      rewrite,
      // "Up 1 second" after the restart: the real boot took a second longer.
      skipStdout: [9],
      // The shutdown stops, and `rm -f` removes, every container at once: any order.
      unordered: [7, 16],
      // containerd, started anew by that dockerd, had no `ctr events` reader during the boot.
      skipEvents: [8],
    });
    const real = loadFixture(FIXTURE, pick);
    const sim = simulate(real.map((s) => rewrite(s.line)));
    const brief = (e: {
      Type: string;
      Action: string;
      Actor: { ID: string; Attributes: Record<string, string> };
    }) =>
      `${e.Type} ${e.Action} ${e.Actor.Attributes.name === 'bridge' ? 'bridge' : (e.Actor.Attributes.name ?? '')}`;
    expect(sim[8]?.events.map(brief)).toEqual(real[8]?.events.map(brief));
    expect(sim[8]?.events.map(brief)).toEqual([
      'network connect bridge',
      'network connect bridge',
      'network connect bridge',
      'container start r4',
      'container start r6',
      'container start r7',
    ]);
  });
});
