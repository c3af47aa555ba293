// A `docker stop` of an `always` container that keeps exiting cancels its restart for good,
// whenever it lands: while the exit is handled, while the back-off runs, while the restart's start
// is under way (moby v20.10.24 daemon/kill.go killWithSignal → container.ExitOnNext →
// restartmanager.go Cancel; daemon/monitor.go handleContainerExit). Stops at several moments of
// the restart loop, then `docker events`: no `start` after a container's `stop`, and it stays
// exited. A process that exits the moment it starts races the stop's Kill with its exit's Delete
// in the shim: every stop is still answered. And a stop that comes while a container's first
// start is under way (held at the gate before `runc create`) waits for it and stops the started
// container (moby: the start holds the container's lock, which the stop's IsRunning takes).
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

/** A container's `docker events` actions so far, in order. */
async function actionsOf(name: string): Promise<string[]> {
  const until = String(Math.ceil(Date.now() / 1000) + 1);
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
  return events.stdout.split('\n').filter((a) => a !== '');
}

const SCRIPT = "trap 'exit 0' TERM; sleep 0.2 & wait; exit 3";

/** `sh -c 'exit 3'`: stopped this long after its `docker run`, in and around its first restarts. */
const AT_ONCE_DELAYS_MS = [0, 100, 200, 300, 450, 600, 750, 900, 1100, 1300];

/** A stop left without an answer ends here, as a failure instead of a hang. */
const STOP_TIMEOUT_MS = 60_000;

/** How long after its `docker run` each container is stopped: in and around its first back-offs. */
const DELAYS_MS = [0, 120, 220, 300, 380, 460, 560, 700, 900, 1100];

/**
 * Runs of 0.2 s that exit 3, and a SIGTERM ends one at once; `ms` after its `docker run`,
 * `docker stop`. (A process that exits the moment it starts would race the stop's kill with its
 * own exit, a race of its own: answersEveryStop.)
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
    afterAll(async () => {
      // Nothing left held at the gate, whatever a failed case left, so the containers can go.
      await engine?.request('DELETE', '/dockstep/v1/gate/breakpoints');
      while ((await engine?.request('POST', '/dockstep/v1/gate/release'))?.status === 200);
      await suite.stop();
    }, 120_000);

    cancelsRestart();
    answersEveryStop();
    waitsForFirstStart();
  },
);

function cancelsRestart(): void {
  it('cancels its restart for good, wherever in the restart loop it lands', async () => {
    const names = DELAYS_MS.map((ms) => `rs${ms}`);
    await Promise.all(DELAYS_MS.map((ms, i) => runThenStop(names[i] ?? '', ms)));
    // A start that a stop failed to cancel comes after at most a back-off (under a second here).
    await new Promise((r) => setTimeout(r, 1500));
    for (const name of names) {
      const actions = await actionsOf(name);
      const stop = actions.indexOf('stop');
      expect(stop, `${name}: ${actions.join(' ')}`).toBeGreaterThan(0);
      expect(actions.slice(stop + 1), `${name}: ${actions.join(' ')}`).not.toContain('start');
      const state = await docker('inspect', '-f', '{{.State.Status}}', name);
      expect(state.stdout, name).toBe('exited\n');
    }
    const rm = await docker('rm', ...names);
    expect(rm.code, rm.stderr).toBe(0);
  }, 180_000);
}

function answersEveryStop(): void {
  it('answers every stop of a container that exits the moment it starts', async () => {
    const names = AT_ONCE_DELAYS_MS.map((ms) => `rx${ms}`);
    const stops = await Promise.all(
      AT_ONCE_DELAYS_MS.map(async (ms, i) => {
        const name = names[i] ?? '';
        const run = await docker(
          'run',
          '-d',
          '--name',
          name,
          '--restart',
          'always',
          image,
          'sh',
          '-c',
          'exit 3',
        );
        expect(run.code, run.stderr).toBe(0);
        await new Promise((r) => setTimeout(r, ms));
        return { name, ...(await engine.docker(['stop', name], { timeoutMs: STOP_TIMEOUT_MS })) };
      }),
    );
    for (const stop of stops) expect(stop.code, `${stop.name}: ${stop.stderr}`).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    for (const name of names) {
      const state = await docker('inspect', '-f', '{{.State.Status}}', name);
      expect(state.stdout, name).toBe('exited\n');
    }
    const rm = await docker('rm', ...names);
    expect(rm.code, rm.stderr).toBe(0);
  }, 180_000);
}

function waitsForFirstStart(): void {
  it('waits for a first start under way, then stops the started container', async () => {
    const mark = await engine.request('POST', '/dockstep/v1/gate/breakpoints', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ op: 'runc.create' }),
    });
    expect(mark.status, mark.text).toBe(201);
    const run = docker(
      'run',
      '-d',
      '--name',
      'first',
      '--network',
      'none',
      image,
      '/bin/busybox',
      'sleep',
      '1000',
    );
    await heldAtGate();
    const stop = docker('stop', '-t', '1', 'first');
    // The stop reaches dockerd while the start is held (a pause, not a measure: a stop that came
    // later would find the container running anyway).
    await new Promise((r) => setTimeout(r, 1500));
    await engine.request('DELETE', '/dockstep/v1/gate/breakpoints');
    while ((await engine.request('POST', '/dockstep/v1/gate/release')).status === 200);
    const [ran, stopped] = await Promise.all([run, stop]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(stopped.code, stopped.stderr).toBe(0);
    const state = await docker('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'first');
    expect(state.stdout).toBe('exited 137\n');
    const actions = await actionsOf('first');
    expect(actions.indexOf('stop'), actions.join(' ')).toBeGreaterThan(actions.indexOf('start'));
    expect(actions.indexOf('start'), actions.join(' ')).toBeGreaterThan(-1);
    const rm = await docker('rm', 'first');
    expect(rm.code, rm.stderr).toBe(0);
  }, 180_000);
}

/** Once a message is held at the engine's gate (checked a bounded number of times). */
async function heldAtGate(): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const status = JSON.parse((await engine.request('GET', '/dockstep/v1/gate')).text) as {
      holds: unknown[];
    };
    if (status.holds.length > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('gave up waiting for a message held at the gate');
}
