import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import { goldenLines } from '../../src/views/trace.ts';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * pause / unpause (b-pause-unpause-kill-restart.txt, g-errors-part1.txt). The freezer cgroup is
 * frozen through containerd ([/tasks/paused] → `pause`, [/tasks/resumed] → `unpause`). Errors:
 * pause of a stopped container 409 `is not running`; unpause of a running one 500 (not 409)
 * `is not paused`; pause twice `is already paused`. `docker stop` of a paused container sends
 * SIGTERM while frozen, unpauses, waits the grace period, then SIGKILL.
 */
describe('fidelity: pause and unpause', () => {
  it('pause, inspect shows paused true, unpause', () => {
    const { sim } = expectSameAsRealEngine('b-pause-unpause-kill-restart.txt', (line, i) => i <= 3);
    expect(sim.merged[1]).toEqual([
      'CT /tasks/paused c2',
      'EV container pause {image=busybox, name=c2} [status=Action id=Actor.ID from=busybox]',
    ]);
    expect(sim.merged[3]).toEqual([
      'CT /tasks/resumed c2',
      'EV container unpause {image=busybox, name=c2} [status=Action id=Actor.ID from=busybox]',
    ]);
  });

  it('the refusals, and stop of a paused container: kill 15, unpause, kill 9, die 137, disconnect, stop', () => {
    const pick = (line: string) =>
      /^docker (run (--name g1|-d --name g2)|pause g[12]|unpause g2|stop -t 1 g2|inspect -f .* g2)/.test(
        line,
      );
    const { sim } = expectSameAsRealEngine('g-errors-part1.txt', pick);
    const stop = sim.merged.find((m) => m.some((l) => l.startsWith('EV container stop'))) ?? [];
    expect(
      stop
        .filter((l) => l.startsWith('EV'))
        .map((l) =>
          l.replace(/ \{.*\}( \[.*\])?$/, (m) =>
            m.includes('signal=')
              ? ` ${/signal=\d+/.exec(m)?.[0] ?? ''}`
              : m.includes('exitCode=')
                ? ` ${/exitCode=\d+/.exec(m)?.[0] ?? ''}`
                : '',
          ),
        ),
    ).toEqual([
      'EV container kill signal=15',
      'EV container unpause',
      'EV container kill signal=9',
      'EV container die exitCode=137',
      'EV network disconnect',
      'EV container stop',
    ]);
  });

  it('unpause of a running container that is not paused answers HTTP 500', () => {
    const trace = new Simulation(
      ['docker pull busybox', 'docker run -d --name c2 busybox sleep 1000', 'docker unpause c2'],
      { seed: 1, profile: 'classic' },
    ).runToEnd();
    const lines = goldenLines(trace);
    const request = lines.findIndex((l) => l.startsWith('CLI -> dockerd: POST /v1.41/containers/c2/unpause'));
    expect(lines.slice(request).find((l) => l.startsWith('dockerd --> CLI:'))).toBe(
      'dockerd --> CLI: 500 Internal Server Error',
    );
  });
});
