import { describe, expect, it } from 'vitest';
import { goldenLines } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * `attach` events (c-run-rm-exit-code.txt, g-errors-part2.txt): dockerd logs `attach` when the
 * CLI attaches, which `docker run` without -d does right after create (so: create, attach,
 * connect, start) and `docker start -a` does before starting. `run -d` and a plain `start` do
 * not attach. The CLI's requests: run is create → attach → wait → start; start -a is inspect →
 * attach → wait → start (docker/cli run.go, start.go).
 */
const requests = (commands: string[]) =>
  goldenLines(
    new Simulation(['docker pull busybox', ...commands], { seed: 1, profile: 'classic' }).runToEnd(),
  )
    .filter((l) => l.startsWith('CLI -> dockerd: '))
    .map((l) =>
      l
        .replace('CLI -> dockerd: ', '')
        .replace(/[0-9a-f]{64}/g, 'ID')
        .replace(/\?.*$/, ''),
    );

describe('fidelity: attach', () => {
  it('run without -d: create, attach, connect, start … (and --rm: destroy at the end)', () => {
    const { sim } = expectSameAsRealEngine('c-run-rm-exit-code.txt', (line, i) => i <= 2);
    expect(sim.merged[0]?.slice(0, 3).map((l) => l.replace(/ \{.*/, ''))).toEqual([
      'EV container create',
      'EV container attach',
      'EV network connect',
    ]);
  });

  it('start -a: attach, connect, start, then the output and the exit code of the container', () => {
    // 31–33: a plain create (Path sh, Args [] from the image's CMD) and rm; 34–36: start -a.
    const { sim } = expectSameAsRealEngine('g-errors-part2.txt', (_line, i) => i >= 31 && i <= 36);
    expect(sim.steps[1]?.stdout).toBe('created sh []\n');
    expect(sim.steps[4]).toMatchObject({ stdout: 'fromcreate\n', exitCode: 0 });
    expect(sim.merged[4]?.[0]).toMatch(/^EV container attach /);
  });

  it('the CLI asks in docker/cli order', () => {
    const tail = (list: string[]) => list.slice(list.indexOf('HEAD /_ping', 1));
    expect(tail(requests(['docker run --rm busybox true']))).toEqual([
      'HEAD /_ping',
      'POST /v1.41/containers/create',
      'POST /v1.41/containers/ID/attach',
      'POST /v1.41/containers/ID/wait',
      'POST /v1.41/containers/ID/start',
    ]);
    expect(tail(requests(['docker create --name a1 busybox true', 'docker start -a a1'])).slice(-5)).toEqual([
      'HEAD /_ping',
      'GET /v1.41/containers/a1/json',
      'POST /v1.41/containers/ID/attach',
      'POST /v1.41/containers/ID/wait',
      'POST /v1.41/containers/ID/start',
    ]);
  });
});
