// A `docker stop` of an `always` container that keeps exiting cancels its restart for good,
// whenever it lands: while the exit is handled, while the back-off runs, while the restart's start
// is under way (moby v20.10.24 daemon/kill.go killWithSignal → container.ExitOnNext →
// restartmanager.go Cancel; daemon/monitor.go handleContainerExit). Stops at several moments of
// the restart loop, then `docker events`: no `start` after a container's `stop`, and it stays
// exited.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';

const suite = suiteEngine('restart-stop', 'dso');
let engine: RunningEngine;
let image: string;

async function docker(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return engine.docker(args, { timeoutMs: 120_000 });
}

const SCRIPT = "trap 'exit 0' TERM; sleep 0.2 & wait; exit 3";

/** How long after its `docker run` each container is stopped: in and around its first back-offs. */
const DELAYS_MS = [0, 120, 220, 300, 380, 460, 560, 700, 900, 1100];

/**
 * Runs of 0.2 s that exit 3, and a SIGTERM ends one at once; `ms` after its `docker run`,
 * `docker stop`. (A process that exits the moment it starts would race the stop's kill with its
 * own exit, a race of its own.)
 */
async function runThenStop(name: string, ms: number): Promise<void> {
  const run = await docker('run', '-d', '--name', name, '--restart', 'always', image, 'sh', '-c', SCRIPT);
  expect(run.code, run.stderr).toBe(0);
  await new Promise((r) => setTimeout(r, ms));
  const stop = await docker('stop', name);
  expect(stop.code, stop.stderr).toBe(0);
}

realSuite(
  'docker stop of a restarting container',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker', 'shim', 'runc'],
  () => {
    beforeAll(async () => {
      ({ engine, image } = await suite.start());
    }, 180_000);
    afterAll(() => suite.stop(), 120_000);

    it('cancels its restart for good, wherever in the restart loop it lands', async () => {
      const names = DELAYS_MS.map((ms) => `rs${ms}`);
      await Promise.all(DELAYS_MS.map((ms, i) => runThenStop(names[i] ?? '', ms)));
      // A start that a stop failed to cancel comes after at most a back-off (under a second here).
      await new Promise((r) => setTimeout(r, 1500));
      const until = String(Math.ceil(Date.now() / 1000) + 1);
      for (const name of names) {
        const events = await docker(
          'events',
          '--since',
          '0',
          '--until',
          until,
          '--filter',
          `container=${name}`,
          '--format',
          '{{.Action}}',
        );
        const actions = events.stdout.split('\n').filter((a) => a !== '');
        const stop = actions.indexOf('stop');
        expect(stop, `${name}: ${actions.join(' ')}`).toBeGreaterThan(0);
        expect(actions.slice(stop + 1), `${name}: ${actions.join(' ')}`).not.toContain('start');
        const state = await docker('inspect', '-f', '{{.State.Status}}', name);
        expect(state.stdout, name).toBe('exited\n');
      }
      const rm = await docker('rm', ...names);
      expect(rm.code, rm.stderr).toBe(0);
    }, 180_000);
  },
);
