import { expect } from 'vitest';
import type { OciSpec } from '../../src/model/oci.ts';
import type { OciRuntime, ProcessEvent } from '../../src/ports/runtime.ts';
import { defineContract, type ContractCases, type ContractOptions, type Factory } from './harness.ts';

/**
 * The OCI runtime's contract (src/ports/runtime.ts), checked against the runtime spec's
 * lifecycle and operations (https://github.com/opencontainers/runtime-spec/blob/main/runtime.md)
 * and what runc does where the spec leaves room:
 *   - `create` leaves the container *created*: init exists but the user's program has not run;
 *     an id in use, or a program the root file system lacks, fails and creates nothing;
 *   - `start` runs a *created* container and fails on any other state, with no effect;
 *   - `kill` signals a created or running container and fails on a stopped one; PID 1 ignores
 *     signals it has no handler for (pid_namespaces(7)), but not SIGKILL;
 *   - `pause`/`resume` freeze and thaw a running container (runc: "container not running");
 *   - `exec` runs another process in a running container, reported under its exec id; when
 *     init dies the kernel kills every other process of the PID namespace;
 *   - `delete` removes a stopped container and fails, with no effect, on a running or paused
 *     one (runc: "cannot delete container … that is not stopped");
 *   - the subscriber sees a process's output before its exit, an OOM kill as `oom` then exit
 *     137, a signal death as status 128+signal with `signal` set.
 */
export interface RuntimeFixture {
  runtime: OciRuntime;
  /**
   * A bundle whose process runs `args` in a BusyBox root file system (sh, echo, sleep, true),
   * PATH set, with an optional memory limit.
   */
  bundle(args: string[], options?: { memoryLimitBytes?: number }): { bundle: string; spec: OciSpec };
  /** Let `ms` of time pass (virtual time in simulation, real time in real mode). */
  advance(ms: number): Promise<void>;
}

export function describeRuntimeContract(
  name: string,
  factory: Factory<RuntimeFixture>,
  options?: ContractOptions<RuntimeFixture>,
): void {
  defineContract('OciRuntime', name, factory, options, (cases) => {
    cases.group('create', () => createCases(cases));
    cases.group('start', () => startCases(cases));
    cases.group('kill', () => killCases(cases));
    cases.group('pause and resume', () => pauseCases(cases));
    cases.group('exec', () => execCases(cases));
    cases.group('delete', () => deleteCases(cases));
    cases.group('processes', () => processCases(cases));
  });
}

const SIGKILL = 9;
const SIGTERM = 15;
const LONG = ['sleep', '1000'];
const TICKER = ['sh', '-c', 'while true; do echo tick; sleep 1; done'];

/** A 64-hex container id, distinct for each n. */
const cid = (n: number): string => n.toString(16).padStart(64, 'c');

/** Subscribes once and keeps every event. */
function recorder(fx: RuntimeFixture): ProcessEvent[] {
  const events: ProcessEvent[] = [];
  fx.runtime.subscribe((e) => events.push(e));
  return events;
}

/** Advance time in small steps until `done` holds or `limitMs` passed. */
async function until(fx: RuntimeFixture, done: () => boolean, limitMs = 5000): Promise<void> {
  for (let waited = 0; !done() && waited < limitMs; waited += 10) await fx.advance(10);
}

function mustCreate(
  fx: RuntimeFixture,
  id: string,
  args: string[],
  options?: { memoryLimitBytes?: number },
): number {
  const { bundle, spec } = fx.bundle(args, options);
  const result = fx.runtime.create(id, bundle, spec);
  if (!result.ok) throw new Error(`create ${id}: ${result.error}`);
  expect(result.pid).toBeGreaterThan(0);
  return result.pid ?? 0;
}

function mustStart(fx: RuntimeFixture, id: string, args: string[]): number {
  const pid = mustCreate(fx, id, args);
  const result = fx.runtime.start(id);
  if (!result.ok) throw new Error(`start ${id}: ${result.error}`);
  return pid;
}

const exitOf = (events: ProcessEvent[], id: string, execId?: string) =>
  events.find((e) => e.type === 'exit' && e.containerId === id && e.execId === execId);
const initOf = (fx: RuntimeFixture, id: string) =>
  fx.runtime.processes().find((p) => p.containerId === id && p.execId === undefined);
const ofContainer = (fx: RuntimeFixture, id: string) =>
  fx.runtime.processes().filter((p) => p.containerId === id);
const outputOf = (events: ProcessEvent[], id: string) =>
  events
    .flatMap((e) => (e.type === 'output' && e.containerId === id && e.execId === undefined ? [e.text] : []))
    .join('');

/** Start a container that exits at once and wait for its exit. */
async function stopped(fx: RuntimeFixture, events: ProcessEvent[], id: string): Promise<void> {
  mustStart(fx, id, ['true']);
  await until(fx, () => exitOf(events, id) !== undefined);
  expect(exitOf(events, id)).toMatchObject({ status: 0 });
}

function createCases(cases: ContractCases<RuntimeFixture>): void {
  cases.it('create leaves the container created: init exists, the program has not run', async (fx) => {
    const events = recorder(fx);
    const pid = mustCreate(fx, cid(1), ['echo', 'hello']);
    expect(initOf(fx, cid(1))).toMatchObject({ pid, containerId: cid(1), state: 'created' });
    await fx.advance(500);
    expect(events).toEqual([]);
    expect(initOf(fx, cid(1))?.state).toBe('created');
  });

  cases.it('a created container’s process is still runc init; start execs the program', async (fx) => {
    // runc create leaves `runc init` (comm "runc:[2:INIT]") blocked on exec.fifo; the user's
    // program replaces it only at start (execve), so ps shows runc init until then.
    const pid = mustCreate(fx, cid(1), LONG);
    const created = initOf(fx, cid(1));
    expect(created?.comm).toMatch(/^runc/);
    expect(fx.runtime.start(cid(1)).ok).toBe(true);
    await fx.advance(10);
    expect(initOf(fx, cid(1))).toMatchObject({ pid, comm: 'sleep', state: 'running' });
  });

  cases.it('create with an id in use fails and leaves the first container alone', async (fx) => {
    const events = recorder(fx);
    const pid = mustCreate(fx, cid(1), LONG);
    const { bundle, spec } = fx.bundle(['echo', 'second']);
    expect(fx.runtime.create(cid(1), bundle, spec).ok).toBe(false);
    expect(ofContainer(fx, cid(1))).toMatchObject([{ pid, state: 'created' }]);
    expect(fx.runtime.start(cid(1))).toMatchObject({ ok: true });
    await fx.advance(100);
    expect(outputOf(events, cid(1))).toBe('');
    expect(initOf(fx, cid(1))?.state).toBe('running');
  });

  cases.it('create of a program the root file system lacks fails and leaves nothing', (fx) => {
    const { bundle, spec } = fx.bundle(['no-such-program']);
    const result = fx.runtime.create(cid(1), bundle, spec);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/executable file not found in \$PATH/);
    expect(ofContainer(fx, cid(1))).toEqual([]);
    expect(fx.runtime.start(cid(1)).ok).toBe(false);
    mustCreate(fx, cid(1), LONG);
  });
}

function startCases(cases: ContractCases<RuntimeFixture>): void {
  cases.it('start runs init: its output, then its exit status, reach the subscriber', async (fx) => {
    const events = recorder(fx);
    const pid = mustCreate(fx, cid(1), ['sh', '-c', 'echo hello; exit 3']);
    expect(fx.runtime.start(cid(1))).toEqual({ ok: true, pid });
    await until(fx, () => exitOf(events, cid(1)) !== undefined);
    expect(events).toEqual([
      { type: 'output', containerId: cid(1), stream: 'stdout', text: 'hello\n' },
      { type: 'exit', containerId: cid(1), pid, status: 3 },
    ]);
    expect(ofContainer(fx, cid(1))).toEqual([]);
  });

  cases.it('output to fd 2 is reported on stderr', async (fx) => {
    const events = recorder(fx);
    mustStart(fx, cid(1), ['sh', '-c', 'echo oops >&2; echo fine']);
    await until(fx, () => exitOf(events, cid(1)) !== undefined);
    const output = events.filter((e) => e.type === 'output');
    expect(output).toEqual([
      { type: 'output', containerId: cid(1), stream: 'stderr', text: 'oops\n' },
      { type: 'output', containerId: cid(1), stream: 'stdout', text: 'fine\n' },
    ]);
  });

  cases.it('start of a running container fails and changes nothing', async (fx) => {
    const events = recorder(fx);
    const pid = mustStart(fx, cid(1), LONG);
    expect(fx.runtime.start(cid(1)).ok).toBe(false);
    await fx.advance(200);
    expect(ofContainer(fx, cid(1))).toMatchObject([{ pid, state: 'running' }]);
    expect(events).toEqual([]);
  });

  cases.it('start of a stopped or unknown container fails', async (fx) => {
    const events = recorder(fx);
    await stopped(fx, events, cid(1));
    expect(fx.runtime.start(cid(1)).ok).toBe(false);
    expect(fx.runtime.start(cid(2)).ok).toBe(false);
    await fx.advance(200);
    expect(events.filter((e) => e.containerId === cid(1))).toHaveLength(1);
  });
}

function killCases(cases: ContractCases<RuntimeFixture>): void {
  cases.it('SIGKILL stops a running container: status 137, signal 9', async (fx) => {
    const events = recorder(fx);
    const pid = mustStart(fx, cid(1), LONG);
    expect(fx.runtime.kill(cid(1), SIGKILL).ok).toBe(true);
    await until(fx, () => exitOf(events, cid(1)) !== undefined);
    expect(exitOf(events, cid(1))).toEqual({
      type: 'exit',
      containerId: cid(1),
      pid,
      status: 137,
      signal: SIGKILL,
    });
    expect(ofContainer(fx, cid(1))).toEqual([]);
  });

  cases.it('PID 1 without a handler ignores SIGTERM, not SIGKILL', async (fx) => {
    const events = recorder(fx);
    const pid = mustStart(fx, cid(1), LONG);
    expect(fx.runtime.kill(cid(1), SIGTERM).ok).toBe(true);
    await fx.advance(1000);
    expect(events).toEqual([]);
    expect(ofContainer(fx, cid(1))).toMatchObject([{ pid, state: 'running' }]);
    expect(fx.runtime.kill(cid(1), SIGKILL).ok).toBe(true);
    await until(fx, () => exitOf(events, cid(1)) !== undefined);
    expect(exitOf(events, cid(1))).toMatchObject({ status: 137, signal: SIGKILL });
  });

  cases.it('kill of a stopped or unknown container fails', async (fx) => {
    const events = recorder(fx);
    await stopped(fx, events, cid(1));
    expect(fx.runtime.kill(cid(1), SIGKILL).ok).toBe(false);
    expect(fx.runtime.kill(cid(2), SIGKILL).ok).toBe(false);
  });

  cases.it('SIGKILL to a created container stops it: it can no longer start', async (fx) => {
    // runc kill on a created container signals `runc init`; SIGKILL ends it, the state becomes
    // stopped, and `runc start` then fails ("cannot start a container that has stopped").
    const events = recorder(fx);
    const pid = mustCreate(fx, cid(1), ['echo', 'never']);
    expect(fx.runtime.kill(cid(1), SIGKILL).ok).toBe(true);
    await until(fx, () => exitOf(events, cid(1)) !== undefined, 1000);
    expect(exitOf(events, cid(1))).toMatchObject({ pid, status: 137 });
    expect(fx.runtime.start(cid(1)).ok).toBe(false);
    await fx.advance(200);
    expect(outputOf(events, cid(1))).toBe('');
  });

  cases.it('a process over its memory limit is OOM-killed: oom, then exit 137', async (fx) => {
    const events = recorder(fx);
    const { bundle, spec } = fx.bundle(['sh', '-c', 'x=a; while true; do x=$x$x; done'], {
      memoryLimitBytes: 8 * 1024 * 1024,
    });
    expect(fx.runtime.create(cid(1), bundle, spec).ok).toBe(true);
    expect(fx.runtime.start(cid(1)).ok).toBe(true);
    await until(fx, () => exitOf(events, cid(1)) !== undefined, 10_000);
    const oom = events.findIndex((e) => e.type === 'oom' && e.containerId === cid(1));
    const exit = events.findIndex((e) => e.type === 'exit' && e.containerId === cid(1));
    expect(oom).toBeGreaterThanOrEqual(0);
    expect(exit).toBeGreaterThan(oom);
    expect(events[exit]).toMatchObject({ status: 137, signal: SIGKILL });
  });
}

function pauseCases(cases: ContractCases<RuntimeFixture>): void {
  cases.it('pause freezes a running container and resume thaws it', async (fx) => {
    const events = recorder(fx);
    mustStart(fx, cid(1), TICKER);
    await fx.advance(2500);
    const ticks = () => outputOf(events, cid(1)).split('\n').length - 1;
    const before = ticks();
    expect(before).toBeGreaterThanOrEqual(2);
    expect(fx.runtime.pause(cid(1)).ok).toBe(true);
    expect(initOf(fx, cid(1))?.state).toBe('paused');
    await fx.advance(5000);
    expect(ticks()).toBe(before);
    expect(fx.runtime.resume(cid(1)).ok).toBe(true);
    expect(initOf(fx, cid(1))?.state).toBe('running');
    await fx.advance(2500);
    expect(ticks()).toBeGreaterThan(before);
    expect(exitOf(events, cid(1))).toBeUndefined();
  });

  cases.it('pause of a created, stopped or unknown container fails', async (fx) => {
    const events = recorder(fx);
    mustCreate(fx, cid(1), LONG);
    expect(fx.runtime.pause(cid(1)).ok).toBe(false);
    expect(initOf(fx, cid(1))?.state).toBe('created');
    await stopped(fx, events, cid(2));
    expect(fx.runtime.pause(cid(2)).ok).toBe(false);
    expect(fx.runtime.pause(cid(3)).ok).toBe(false);
  });

  cases.it('resume of a container that is not paused fails', (fx) => {
    mustStart(fx, cid(1), LONG);
    expect(fx.runtime.resume(cid(1)).ok).toBe(false);
    expect(initOf(fx, cid(1))?.state).toBe('running');
    expect(fx.runtime.resume(cid(2)).ok).toBe(false);
  });
}

function execCases(cases: ContractCases<RuntimeFixture>): void {
  cases.it('exec runs another process in a running container, under its exec id', async (fx) => {
    const events = recorder(fx);
    const initPid = mustStart(fx, cid(1), LONG);
    const { spec } = fx.bundle(['sh', '-c', 'echo from-exec; exit 4']);
    const result = fx.runtime.exec(cid(1), 'exec-1', spec.process);
    expect(result.ok).toBe(true);
    const pid = result.ok ? result.pid : undefined;
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(initPid);
    await until(fx, () => exitOf(events, cid(1), 'exec-1') !== undefined);
    expect(events).toEqual([
      { type: 'output', containerId: cid(1), execId: 'exec-1', stream: 'stdout', text: 'from-exec\n' },
      { type: 'exit', containerId: cid(1), execId: 'exec-1', pid, status: 4 },
    ]);
    expect(initOf(fx, cid(1))).toMatchObject({ pid: initPid, state: 'running' });
  });

  cases.it('exec in a paused, stopped or unknown container fails', async (fx) => {
    const events = recorder(fx);
    const { spec } = fx.bundle(['echo', 'hi']);
    mustStart(fx, cid(1), LONG);
    fx.runtime.pause(cid(1));
    expect(fx.runtime.exec(cid(1), 'e1', spec.process).ok).toBe(false);
    await stopped(fx, events, cid(2));
    expect(fx.runtime.exec(cid(2), 'e2', spec.process).ok).toBe(false);
    expect(fx.runtime.exec(cid(3), 'e3', spec.process).ok).toBe(false);
    expect(ofContainer(fx, cid(1))).toHaveLength(1);
  });

  cases.it('when init dies, processes exec’d into the container die first', async (fx) => {
    const events = recorder(fx);
    mustStart(fx, cid(1), LONG);
    const { spec } = fx.bundle(LONG);
    const exec = fx.runtime.exec(cid(1), 'exec-1', spec.process);
    expect(exec.ok).toBe(true);
    await fx.advance(100);
    expect(ofContainer(fx, cid(1))).toHaveLength(2);
    fx.runtime.kill(cid(1), SIGKILL);
    await until(fx, () => exitOf(events, cid(1)) !== undefined);
    await fx.advance(100);
    const execExit = events.findIndex((e) => e.type === 'exit' && e.execId === 'exec-1');
    expect(execExit).toBeGreaterThanOrEqual(0);
    expect(events[execExit]).toMatchObject({ status: 137, signal: SIGKILL });
    expect(execExit).toBeLessThan(events.indexOf(exitOf(events, cid(1)) as ProcessEvent));
    expect(ofContainer(fx, cid(1))).toEqual([]);
  });
}

function deleteCases(cases: ContractCases<RuntimeFixture>): void {
  cases.it('delete of a running container fails and leaves it running', async (fx) => {
    const events = recorder(fx);
    const pid = mustStart(fx, cid(1), TICKER);
    expect(fx.runtime.delete(cid(1)).ok).toBe(false);
    expect(ofContainer(fx, cid(1))).toMatchObject([{ pid, state: 'running' }]);
    await fx.advance(2500);
    expect(outputOf(events, cid(1))).toMatch(/^(tick\n){2,}$/);
    expect(fx.runtime.kill(cid(1), SIGKILL).ok).toBe(true);
  });

  cases.it('delete of a paused container fails and leaves it paused', (fx) => {
    const pid = mustStart(fx, cid(1), LONG);
    expect(fx.runtime.pause(cid(1)).ok).toBe(true);
    expect(fx.runtime.delete(cid(1)).ok).toBe(false);
    expect(ofContainer(fx, cid(1))).toMatchObject([{ pid, state: 'paused' }]);
    expect(fx.runtime.resume(cid(1)).ok).toBe(true);
  });

  cases.it('delete of a stopped container removes it and frees its id', async (fx) => {
    const events = recorder(fx);
    await stopped(fx, events, cid(1));
    expect(fx.runtime.delete(cid(1)).ok).toBe(true);
    expect(fx.runtime.start(cid(1)).ok).toBe(false);
    expect(fx.runtime.kill(cid(1), SIGKILL).ok).toBe(false);
    expect(fx.runtime.delete(cid(1)).ok).toBe(false);
    mustCreate(fx, cid(1), LONG);
    expect(initOf(fx, cid(1))?.state).toBe('created');
  });

  cases.it('delete of an unknown container fails', (fx) => {
    expect(fx.runtime.delete(cid(1)).ok).toBe(false);
  });
}

function processCases(cases: ContractCases<RuntimeFixture>): void {
  cases.it('pids are distinct across containers and execs', (fx) => {
    const pids = [mustStart(fx, cid(1), LONG), mustStart(fx, cid(2), LONG), mustCreate(fx, cid(3), LONG)];
    const { spec } = fx.bundle(LONG);
    const exec = fx.runtime.exec(cid(1), 'e1', spec.process);
    if (exec.ok && exec.pid !== undefined) pids.push(exec.pid);
    expect(pids).toHaveLength(4);
    expect(new Set(pids).size).toBe(4);
    expect(new Set(fx.runtime.processes().map((p) => p.pid))).toEqual(new Set(pids));
    const started = fx.runtime.processes().filter((p) => p.containerId !== cid(3));
    expect(started.map((p) => p.comm)).toEqual(['sleep', 'sleep', 'sleep']);
  });
}
