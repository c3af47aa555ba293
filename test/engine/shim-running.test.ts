// A long-running container under the real shim: reconnecting after our client is gone, exec,
// pause and resume, pids, stats and update, a PID 1 that ignores SIGTERM killed with SIGKILL,
// and a shim that dies under its container cleaned up with the shim's own `delete`.
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { cleanupDeadShim } from '../../engine/shim/cleanup.ts';
import { cgroupLimits, cgroupOf } from '../../engine/shim/evidence/cgroup.ts';
import { Status } from '../../engine/shim/proto/gen/github.com/containerd/containerd/api/types/task/task_pb.ts';
import { RUNC_LOG_ENV, RuncLog } from '../../engine/shim/recorder.ts';
import { reconnectShim } from '../../engine/shim/reconnect.ts';
import { Code, TtrpcError } from '../../engine/shim/ttrpc/status.ts';
import type { Shim, ShimIdentity } from '../../engine/shim/shim.ts';
import { realSuite } from './helpers/caps.ts';
import {
  collect,
  counts,
  gone,
  labForSuite,
  makeBundle,
  runcOptions,
  startLabShim,
  type Counts,
  type Lab,
} from './shimFixture.ts';

const SIGTERM = 15;
const SIGKILL = 9;
const sockets: string[] = [];

/** A started `sleep` container (busybox sleep as PID 1: no handler, so SIGTERM is ignored). */
async function sleeper(lab: Lab, id: string): Promise<{ shim: Shim; pid: number }> {
  const c = await makeBundle(lab, id, { args: ['sleep', '1000'], cpuQuota: 50_000, cpuPeriod: 100_000 });
  const shim = await startLabShim(lab, c);
  sockets.push(shim.socketAddress);
  const pid = await shim.task.create({ bundle: c.bundle, runc: runcOptions(lab) });
  await shim.task.start();
  return { shim, pid };
}

/** SIGKILL, wait, delete, shutdown; the shim process goes. */
async function finish(shim: Shim): Promise<void> {
  await shim.task.kill(SIGKILL);
  await shim.task.wait();
  await shim.task.delete();
  const { shimPid } = await shim.task.connect();
  await shim.task.shutdown();
  shim.log.close();
  expect(await gone(shimPid)).toBe(true);
}

async function reconnectAndKill(lab: Lab): Promise<void> {
  const { shim, pid } = await sleeper(lab, 'sleeper');
  const { shimPid } = await shim.task.connect();
  await shim.detach();
  const again = await reconnectShim(shim.identity);
  expect(await again.task.connect()).toMatchObject({ shimPid, taskPid: pid });
  expect((await again.task.state()).status).toBe(Status.RUNNING);
  expect((await cgroupLimits(pid)).cpuQuota).toBe(50_000);
  await again.task.kill(SIGTERM);
  await new Promise((r) => setTimeout(r, 500));
  expect((await again.task.state()).status).toBe(Status.RUNNING);
  const exited = lab.events.next('/tasks/exit', (e) => e.event.containerId === 'sleeper');
  await again.task.kill(SIGKILL);
  expect((await exited).event.exitStatus).toBe(137);
  expect(await again.task.delete()).toMatchObject({ pid, exitStatus: 137 });
  await again.task.shutdown();
  again.log.close();
  expect(await gone(shimPid)).toBe(true);
}

async function execInto(lab: Lab, shim: Shim): Promise<void> {
  const [stdout, stderr] = [`${shim.identity.bundle}/exec-out`, `${shim.identity.bundle}/exec-err`];
  const out = await collect(stdout);
  // Both streams or neither: with stdout alone, Start fails opening "" for stderr (shim 1.6.20).
  const err = await collect(stderr);
  const added = lab.events.next('/tasks/exec-added', (e) => e.event.execId === 'e1');
  const startedExec = lab.events.next('/tasks/exec-started', (e) => e.event.execId === 'e1');
  const args = ['sh', '-c', 'echo in $HOSTNAME; exit 5'];
  const spec = { args, env: ['PATH=/bin', 'HOSTNAME=busy'], cwd: '/', user: { uid: 0, gid: 0 } };
  await shim.task.exec({ execId: 'e1', spec, stdout, stderr });
  const execPid = await shim.task.start('e1');
  expect((await added).event.containerId).toBe('busy');
  expect((await startedExec).event.pid).toBe(execPid);
  expect((await shim.task.wait('e1')).exitStatus).toBe(5);
  await expect.poll(() => out.text()).toBe('in busy\n');
  out.close();
  err.close();
  expect((await shim.task.delete('e1')).exitStatus).toBe(5);
}

async function pauseStatsUpdate(lab: Lab, shim: Shim, pid: number): Promise<void> {
  const mine = (e: { event: { containerId: string } }): boolean => e.event.containerId === 'busy';
  const paused = lab.events.next('/tasks/paused', mine);
  await shim.task.pause();
  await paused;
  expect((await shim.task.state()).status).toBe(Status.PAUSED);
  const resumed = lab.events.next('/tasks/resumed', mine);
  await shim.task.resume();
  await resumed;
  expect((await shim.task.pids()).map((p) => p.pid)).toEqual([pid]);
  // Many calls in flight on one connection, each answered on its own stream.
  const states = await Promise.all(
    Array.from({ length: 50 }, (_, i) => shim.task.state(i % 2 === 0 ? '' : 'none').catch((e: unknown) => e)),
  );
  const errors = states.filter((s): s is TtrpcError => s instanceof TtrpcError);
  expect(errors.map((e) => e.code)).toEqual(Array(25).fill(Code.notFound));
  expect(states.filter((s) => !(s instanceof TtrpcError))).toEqual(
    Array(25).fill(expect.objectContaining({ pid })),
  );
  expect((await shim.task.stats()).version).toBe((await cgroupOf(pid)).version);
  await shim.task.update({ memory: { limit: 32 * 1024 * 1024 } });
  expect((await cgroupLimits(pid)).memory).toBe(32 * 1024 * 1024);
}

/** The error of the first reconnection that fails, tried for a while as the socket is let go. */
async function refusedSoon(identity: ShimIdentity): Promise<unknown> {
  for (let i = 0; i < 200; i++) {
    const outcome = await reconnectShim(identity).then(
      async (back) => {
        await back.detach();
        return undefined;
      },
      (error: unknown) => error,
    );
    if (outcome !== undefined) return outcome;
    await new Promise((r) => setTimeout(r, 50));
  }
  return "the shim's socket still took connections";
}

async function deadShim(lab: Lab): Promise<void> {
  const { shim, pid } = await sleeper(lab, 'orphan');
  const { shimPid } = await shim.task.connect();
  await shim.detach();
  process.kill(shimPid, 'SIGKILL');
  expect(await gone(shimPid)).toBe(true);
  // The listening socket can outlive the shim's pid for a moment (a process of its that has not
  // yet closed its copy of the descriptor): once none holds it, a connection is refused.
  expect(await refusedSoon(shim.identity)).toMatchObject({ codeName: 'unavailable' });
  const log = new RuncLog(lab.runcLog);
  await log.next();
  const exit = await cleanupDeadShim(shim.identity, { [RUNC_LOG_ENV]: lab.runcLog });
  expect(exit).toMatchObject({ pid, exitStatus: 137 });
  expect(await gone(pid)).toBe(true);
  expect((await log.next()).map((c) => c.argv.slice(-3))).toContainEqual(['delete', '--force', 'orphan']);
}

/** Runs shimOrphanChild.ts, which starts a container and dies by SIGKILL; answers what it started. */
function orphanedByKill9(
  lab: Lab,
  id: string,
): Promise<{ identity: ShimIdentity; pid: number; shimPid: number }> {
  const { events: _events, ...paths } = lab;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/engine/shimOrphanChild.ts', JSON.stringify(paths), id],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL'
        ? resolve(JSON.parse(out))
        : reject(new Error(`child ended without kill -9: ${out}`)),
    );
  });
}

async function afterKill9(lab: Lab): Promise<void> {
  const { identity, pid, shimPid } = await orphanedByKill9(lab, 'survivor');
  // The shim and its container outlive the process that started them.
  expect(await gone(shimPid, 1000)).toBe(false);
  const shim = await reconnectShim(identity);
  sockets.push(shim.socketAddress);
  expect(await shim.task.connect()).toMatchObject({ shimPid, taskPid: pid });
  expect((await shim.task.state()).status).toBe(Status.RUNNING);
  const exited = lab.events.next('/tasks/exit', (e) => e.event.containerId === 'survivor');
  await shim.task.kill(SIGKILL);
  expect((await exited).event.exitStatus).toBe(137);
  expect((await shim.task.delete()).exitStatus).toBe(137);
  await shim.task.shutdown();
  shim.log.close();
  expect(await gone(shimPid)).toBe(true);
}

realSuite('a running container under the real shim', ['root', 'busybox', 'shim', 'runc'], () => {
  let before: Counts;
  const theLab = labForSuite(async (lab) => {
    before = await counts(lab);
  });

  it('reconnects from BUNDLE/address after the client is gone; SIGTERM is ignored, SIGKILL is 137', () =>
    reconnectAndKill(theLab()));

  it('execs a process, pauses and resumes, lists pids, reads stats and updates resources', async () => {
    const { shim, pid } = await sleeper(theLab(), 'busy');
    await execInto(theLab(), shim);
    await pauseStatsUpdate(theLab(), shim, pid);
    await finish(shim);
  });

  it('reconnects to a shim whose starting process died by kill -9', () => afterKill9(theLab()));

  it("cleans up after a shim killed under its container with the shim's own delete", () =>
    deadShim(theLab()));

  it('leaves no shim, runc state, cgroup, mount or socket behind', async () => {
    expect(await counts(theLab(), sockets)).toEqual({ ...before, sockets: [] });
  });
});
