// The real containerd-shim-runc-v2 and runc, driven without containerd: start the shim, create
// and start a busybox container, see its events arrive, read the evidence, delete, shut down —
// and nothing left behind.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cgroupLimits, cgroupOf } from '../../engine/shim/evidence/cgroup.ts';
import { namespaceInodes } from '../../engine/shim/evidence/namespaces.ts';
import { mountAt, processTree } from '../../engine/shim/evidence/processes.ts';
import { Status } from '../../engine/shim/proto/gen/github.com/containerd/containerd/api/types/task/task_pb.ts';
import { readRuncCalls } from '../../engine/shim/recorder.ts';
import type { Shim } from '../../engine/shim/shim.ts';
import { realSuite } from './helpers/caps.ts';
import {
  closeLab,
  collect,
  counts,
  gone,
  makeBundle,
  makeLab,
  runcOptions,
  startLabShim,
  type Counts,
  type Lab,
} from './shimFixture.ts';

const ID = 'hello';
const MiB = 1024 * 1024;

/** Evidence of `runc create`: its own namespaces, the cgroup we named, our limits, its root. */
async function expectIsolated(lab: Lab, shim: Shim, pid: number): Promise<void> {
  const tree = await processTree((await shim.task.connect()).shimPid);
  expect(tree?.name).toBe('containerd-shim');
  expect(tree?.children.map((c) => [c.pid, c.name])).toEqual([[pid, 'runc:[2:INIT]']]);
  expect((await mountAt(pid, '/'))?.options).toContain('rw');
  const [mine, its] = await Promise.all([namespaceInodes('self'), namespaceInodes(pid)]);
  for (const ns of ['mnt', 'net', 'pid', 'uts', 'ipc']) expect(its[ns], ns).not.toBe(mine[ns]);
  expect(Object.values((await cgroupOf(pid)).paths)).toContain(`${lab.cgroupParent}/${ID}`);
  const limits = await cgroupLimits(pid);
  expect(limits.memory).toBe(64 * MiB);
  expect(limits.pids).toBe(50);
}

/** Start → /tasks/start and /tasks/exit (status 3) → Wait → Delete → /tasks/delete. */
async function runToExit(lab: Lab, shim: Shim, pid: number): Promise<void> {
  const mine = (e: { event: { containerId: string } }): boolean => e.event.containerId === ID;
  const started = lab.events.next('/tasks/start', mine);
  const exited = lab.events.next('/tasks/exit', mine);
  expect(await shim.task.start()).toBe(pid);
  expect((await started).event.pid).toBe(pid);
  const exit = await exited;
  expect(exit.event).toMatchObject({ id: ID, pid, exitStatus: 3 });
  expect(exit.namespace).toBe(lab.namespace);
  expect((await shim.task.wait()).exitStatus).toBe(3);
  expect((await shim.task.state()).status).toBe(Status.STOPPED);
  const deleted = lab.events.next('/tasks/delete', mine);
  expect(await shim.task.delete()).toMatchObject({ pid, exitStatus: 3 });
  expect((await deleted).event.exitStatus).toBe(3);
}

/** The recorder saw `runc create`, `start`, `delete`, with create's argv as the shim wrote it. */
async function expectRuncCalls(lab: Lab, bundle: string): Promise<void> {
  const calls = (await readRuncCalls(lab.runcLog)).filter((r) => r.argv.at(-1) === ID);
  const verbs = calls.map((r) => r.argv.find((a) => ['create', 'start', 'delete'].includes(a)));
  expect(verbs).toEqual(['create', 'start', 'delete']);
  expect(calls[0]?.argv.slice(1)).toEqual(
    [
      '--root',
      `${lab.runcRoot}/${lab.namespace}`,
      '--log',
      `${bundle}/log.json`,
      '--log-format',
      'json',
    ].concat(['create', '--bundle', bundle, '--pid-file', `${bundle}/init.pid`, ID]),
  );
  expect(calls.every((r) => r.exitStatus === 0 && r.endedAt >= r.startedAt)).toBe(true);
}

async function lifecycle(lab: Lab, before: Counts): Promise<void> {
  const args = ['sh', '-c', 'echo hello from $$; echo to stderr >&2; exit 3'];
  const c = await makeBundle(lab, ID, { args, memoryLimit: 64 * MiB, pidsLimit: 50 });
  const shim = await startLabShim(lab, c);
  expect(shim.socketAddress).toMatch(/^unix:\/\/\/run\/containerd\/s\/[0-9a-f]{64}$/);
  const created = lab.events.next('/tasks/create', (e) => e.event.containerId === ID);
  const out = await collect(c.stdout);
  const err = await collect(c.stderr);
  const pid = await shim.task.create({
    bundle: c.bundle,
    stdout: c.stdout,
    stderr: c.stderr,
    runc: runcOptions(lab),
  });
  expect(pid).toBeGreaterThan(1);
  expect((await created).event.pid).toBe(pid);
  expect((await shim.task.state()).status).toBe(Status.CREATED);
  await expectIsolated(lab, shim, pid);
  await runToExit(lab, shim, pid);
  // The shim's own copiers move the output from the container's pipes: wait for all of it.
  await expect.poll(() => out.text() + err.text()).toContain('to stderr');
  expect([out.text(), err.text()]).toEqual(['hello from 1\n', 'to stderr\n']);
  out.close();
  err.close();
  const { shimPid } = await shim.task.connect();
  await shim.task.shutdown();
  shim.log.close();
  expect(await gone(shimPid)).toBe(true);
  await expectRuncCalls(lab, c.bundle);
  expect(await counts(lab, [shim.socketAddress])).toEqual(before);
}

realSuite(
  'containerd-shim-runc-v2 and runc, driven by the engine',
  ['root', 'busybox', 'shim', 'runc'],
  () => {
    let lab: Lab | undefined;
    let before: Counts;
    beforeAll(async () => {
      lab = await makeLab();
      before = await counts(lab);
    });
    afterAll(async () => {
      if (lab !== undefined) await closeLab(lab);
    });

    it('creates, starts, waits for, deletes and shuts down a container, events and runc argv observed', async () => {
      if (lab === undefined) throw new Error('no lab');
      await lifecycle(lab, before);
    });
  },
);
