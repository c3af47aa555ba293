import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * kill and restart (b-pause-unpause-kill-restart.txt, g-errors-part2.txt, h-events-verbatim.txt).
 * `docker kill` sends SIGKILL unless told otherwise; the event's `signal` is the number as a
 * string. A `sleep` as PID 1 has no handler for SIGHUP, so it keeps running. `restart` of a
 * running container is a stop (kill 15, kill 9 after -t, die, disconnect, stop) then a start
 * (connect, start) and finally `restart`; of a stopped one only connect, start, restart.
 */
const events = (merged: string[] | undefined) =>
  (merged ?? []).filter((l) => l.startsWith('EV ')).map((l) => l.replace(/ \[.*\]$/, ''));

describe('fidelity: kill and restart', () => {
  it('kill (SIGKILL by default), kill -s HUP on sleep (still running), restart of a running container, rm and rm -f', () => {
    const { sim } = expectSameAsRealEngine('b-pause-unpause-kill-restart.txt', (line) =>
      line.startsWith('docker '),
    );
    expect(events(sim.merged[4])).toEqual([
      'EV container kill {image=busybox, name=c2, signal=9}',
      'EV container die {exitCode=137, image=busybox, name=c2}',
      'EV network disconnect {container=c2, name=bridge, type=bridge}',
    ]);
    expect(events(sim.merged[7])).toEqual(['EV container kill {image=busybox, name=c3, signal=1}']);
    expect(sim.steps[8]?.stdout).toBe('running 0\n');
    expect(events(sim.merged[9]).map((l) => l.replace(/ \{.*/, ''))).toEqual([
      'EV container kill',
      'EV container kill',
      'EV container die',
      'EV network disconnect',
      'EV container stop',
      'EV network connect',
      'EV container start',
      'EV container restart',
    ]);
    expect(sim.steps[10]?.stdout).toBe('running 0 0\n');
  });

  it('kill -s USR1 reports signal "10"', () => {
    const { sim } = expectSameAsRealEngine('h-events-verbatim.txt', (line) =>
      /^docker (run .*h1|kill -s USR1 h1)/.test(line),
    );
    expect(events(sim.merged[1])).toEqual(['EV container kill {image=busybox, name=h1, signal=10}']);
  });

  it('restart of a stopped container: connect, start, restart — no die, no stop', () => {
    // g1's die lands in the next command (`kill g5`), so that one is replayed too.
    const pick = (line: string) =>
      /^docker (run --pull=never --name g1 |run --pull=never -d --name g5 |restart -t 1 g1|kill g5)/.test(
        line,
      );
    const { sim } = expectSameAsRealEngine('g-errors-part2.txt', pick, { flat: true });
    // echo exits at once, so its die follows; the restart itself is connect, start, restart.
    expect(
      events(sim.merged[2])
        .slice(0, 3)
        .map((l) => l.replace(/ \{.*/, '')),
    ).toEqual(['EV network connect', 'EV container start', 'EV container restart']);
  });

  it('kill of a stopped container: 409 with the name and the full id', () => {
    expectSameAsRealEngine('g-errors-part2.txt', (line) =>
      /^docker (run --pull=never -d --name g5 |kill g5)/.test(line),
    );
  });
});
