import { describe, expect, it } from 'vitest';
import { goldenLines } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * stop and rm (a-create-start-stop.txt, a2-stop-default-timeout.txt, c2-run-trap-stop.txt,
 * g-errors-part1.txt, g-errors-part2.txt). stop: the stop signal, the grace period, SIGKILL; a
 * shell that traps TERM exits 0 by itself (after the `sleep 1` it is in), with no kill 9. rm of
 * a running container is a 409; rm -f sends SIGKILL at once (no 15). Stop of a stopped container
 * and start of a running one answer 304: the CLI prints the name and nothing happens.
 */
const docker = (line: string) => line.startsWith('docker ');
const actions = (merged: string[] | undefined) =>
  (merged ?? []).filter((l) => l.startsWith('EV ')).map((l) => l.replace(/ \[.*\]$/, ''));

describe('fidelity: stop and rm', () => {
  it('create, start, stop -t 1 (15, then 9), start again, rm refused (409), rm -f (9 only, then destroy)', () => {
    const { sim } = expectSameAsRealEngine('a-create-start-stop.txt', docker);
    expect(
      actions(sim.merged[6]).map((l) =>
        l.replace(/ \{.*?(signal=\d+)?\}$/, (_m, sig: string | undefined) => (sig ? ` ${sig}` : '')),
      ),
    ).toEqual([
      'EV container kill signal=9',
      'EV container die',
      'EV network disconnect',
      'EV container destroy',
    ]);
  });

  it('the default grace period (10 s) and --stop-signal HUP with -t 2; rm of three containers at once', () => {
    // ps ages depend on real timing; `docker rm a b c` removes in parallel, in no fixed order.
    expectSameAsRealEngine('a2-stop-default-timeout.txt', docker, { skipStdout: [6], unordered: [7] });
  });

  it('a shell that traps TERM: kill 15, die 0, disconnect, stop — no kill 9', () => {
    const { sim } = expectSameAsRealEngine('c2-run-trap-stop.txt', docker);
    expect(actions(sim.merged[1]).map((l) => l.replace(/ \{.*/, ''))).toEqual([
      'EV container kill',
      'EV container die',
      'EV network disconnect',
      'EV container stop',
    ]);
    expect(sim.merged[1]?.[0]).toContain('signal=15');
    expect(sim.steps[2]?.stdout).toMatch(/^exited 0 <time> <time>\n$/);
  });

  it('a one-character name is refused (125), so `--name t` never makes a container', () => {
    expectSameAsRealEngine('c-run-rm-exit-code.txt', docker);
  });

  it('rm of missing containers (rm -f exits 0), stop of a stopped container and start of a running one print the name: no events', () => {
    const { sim } = expectSameAsRealEngine(
      'g-errors-part1.txt',
      (line, i) => docker(line) && (i === 6 || (i >= 15 && i <= 24) || i === 35),
    );
    expect(sim.merged.at(-1)).toEqual([]);
    expectSameAsRealEngine('g-errors-part2.txt', (line) =>
      /^docker (run --pull=never -d --name g2 |start g2)/.test(line),
    );
  });

  it('stop and start that change nothing answer 304 Not Modified', () => {
    const trace = new Simulation(
      [
        'docker pull busybox',
        'docker run -d --name s1 busybox sleep 1000',
        'docker start s1',
        'docker stop -t 0 s1',
        'docker stop s1',
      ],
      { seed: 1, profile: 'classic' },
    ).runToEnd();
    const lines = goldenLines(trace);
    const last = (request: string) =>
      lines
        .map((l, i) => (l.startsWith(`CLI -> dockerd: POST /v1.41/containers/s1/${request}`) ? i : -1))
        .reduce((a, b) => Math.max(a, b), -1);
    const answer = (request: string) =>
      lines.slice(last(request)).find((l) => l.startsWith('dockerd --> CLI:'));
    expect(answer('start')).toBe('dockerd --> CLI: 304 Not Modified');
    expect(answer('stop')).toBe('dockerd --> CLI: 304 Not Modified');
  });
});
