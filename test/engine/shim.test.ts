// The real containerd-shim-runc-v2 and runc, driven without containerd: start the shim, create
// and start a busybox container, see its events arrive, read the evidence, delete, shut down —
// and nothing left behind.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cgroupLimits, cgroupOf } from '../../engine/shim/evidence/cgroup.ts';
import { namespaceInodes } from '../../engine/shim/evidence/namespaces.ts';
import { Status } from '../../engine/shim/proto/gen/github.com/containerd/containerd/api/types/task/task_pb.ts';
import { readRuncCalls } from '../../engine/shim/recorder.ts';
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

realSuite(
  'containerd-shim-runc-v2 and runc, driven by the engine',
  ['root', 'busybox', 'shim', 'runc'],
  () => {
    let lab: Lab;
    let before: Counts;
    beforeAll(async () => {
      lab = await makeLab();
      before = await counts(lab);
    });
    afterAll(async () => {
      if (lab !== undefined) await closeLab(lab);
    });

    it('creates, starts, waits for, deletes and shuts down a container, events and runc argv observed', async () => {
      const id = 'hello';
      const c = await makeBundle(lab, id, {
        args: ['sh', '-c', 'echo hello from $$; echo to stderr >&2; exit 3'],
        memoryLimit: 64 * 1024 * 1024,
        pidsLimit: 50,
      });
      const shim = await startLabShim(lab, c);
      expect(shim.socketAddress).toMatch(/^unix:\/\/\/run\/containerd\/s\/[0-9a-f]{64}$/);
      const created = lab.events.next('/tasks/create', (e) => e.event.containerId === id);
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

      // Evidence: the init has its own namespaces, sits in the cgroup we named, with our limits.
      const [mine, its] = await Promise.all([namespaceInodes('self'), namespaceInodes(pid)]);
      for (const ns of ['mnt', 'net', 'pid', 'uts', 'ipc']) expect(its[ns], ns).not.toBe(mine[ns]);
      const membership = await cgroupOf(pid);
      expect(Object.values(membership.paths)).toContain(`${lab.cgroupParent}/${id}`);
      const limits = await cgroupLimits(pid);
      expect(limits.memory).toBe(64 * 1024 * 1024);
      expect(limits.pids).toBe(50);

      const started = lab.events.next('/tasks/start', (e) => e.event.containerId === id);
      const exited = lab.events.next('/tasks/exit', (e) => e.event.containerId === id);
      expect(await shim.task.start()).toBe(pid);
      expect((await started).event.pid).toBe(pid);
      const exit = await exited;
      expect(exit.event).toMatchObject({ id, pid, exitStatus: 3 });
      expect(exit.namespace).toBe(lab.namespace);
      expect((await shim.task.wait()).exitStatus).toBe(3);
      // The shim's own copiers move the output from the container's pipes: wait for all of it.
      await expect.poll(() => out.text() + err.text()).toContain('to stderr');
      expect((await shim.task.state()).status).toBe(Status.STOPPED);

      const deleted = lab.events.next('/tasks/delete', (e) => e.event.containerId === id);
      expect(await shim.task.delete()).toMatchObject({ pid, exitStatus: 3 });
      expect((await deleted).event.exitStatus).toBe(3);
      const { shimPid } = await shim.task.connect();
      await shim.task.shutdown();
      shim.log.close();
      expect(await gone(shimPid)).toBe(true);

      expect(out.text()).toBe('hello from 1\n');
      expect(err.text()).toBe('to stderr\n');
      out.close();
      err.close();
      const calls = (await readRuncCalls(lab.runcLog)).filter((r) => r.argv.at(-1) === id);
      const verbs = calls.map((r) => r.argv.find((a) => ['create', 'start', 'delete'].includes(a)));
      expect(verbs).toEqual(['create', 'start', 'delete']);
      expect(calls[0]?.argv.slice(1)).toEqual([
        '--root',
        `${lab.runcRoot}/${lab.namespace}`,
        '--log',
        `${c.bundle}/log.json`,
        '--log-format',
        'json',
        'create',
        '--bundle',
        c.bundle,
        '--pid-file',
        `${c.bundle}/init.pid`,
        id,
      ]);
      expect(calls.every((r) => r.exitStatus === 0 && r.endedAt >= r.startedAt)).toBe(true);
      expect(await counts(lab, [shim.socketAddress])).toEqual(before);
    });
  },
);
