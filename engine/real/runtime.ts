// The shim and runc participants' real effects (src/layers/shim/shimEffects.ts,
// src/layers/runc/runcEffects.ts): the same names as the simulated ones, doing the work on the
// host through the engine's real shims (tasks.ts). The shim's start runs containerd-shim-runc-v2
// in the container's bundle; a runc request is the task call that makes the real shim run runc
// (Create → `runc create`, Start → `runc start`, …), and its evidence is what was observed
// afterwards: the argv and exit status the recorder logged, and for a new container the init's
// namespaces, cgroup and root mount from /proc. Nothing the messages say is composed here.
import { readFile } from 'node:fs/promises';
import { fromPromise } from 'xstate';
import type { RuncEvidence, RuncInput, RuncObserved } from '../../src/layers/runc/runcEffects.ts';
import type {
  ShimShutdownInput,
  ShimStartEvidence,
  ShimStartInput,
} from '../../src/layers/shim/shimEffects.ts';
import { errorText } from '../../src/layers/effect.ts';
import { SHIM_BINARY } from '../shim/binaries.ts';
import { TtrpcError } from '../shim/ttrpc/status.ts';
import { cgroupLimits, cgroupOf } from '../shim/evidence/cgroup.ts';
import { namespaceInodes } from '../shim/evidence/namespaces.ts';
import { mountAt } from '../shim/evidence/processes.ts';
import { bundleOptions } from './bundleOptions.ts';
import { execInContainer } from './exec.ts';
import { feedContainerStdin } from './containerStdin.ts';
import { listPids, realShimCalls, realShimStats } from './shimCalls.ts';
import { shimProcessMachine } from '../../src/layers/shim/shimProcessMachine.ts';
import type { LiveTask, RealTasks } from './tasks.ts';

/** The recorder's last call of runc subcommand `sub` since the task's log was last read. */
async function lastCall(task: LiveTask, sub: string): Promise<RuncObserved | undefined> {
  const calls = await task.calls.next();
  const call = calls.filter((c) => c.argv.includes(sub)).at(-1);
  return call === undefined ? undefined : { argv: call.argv, exitStatus: call.exitStatus };
}

const NS_NAMES: Record<string, string> = { mnt: 'mount', net: 'network' };

/** The init right after `runc create`: what it does not share with the engine, its cgroup, its root. */
async function initSeen(pid: number): Promise<Omit<RuncObserved, 'argv' | 'exitStatus'>> {
  const [inodes, host, membership, limits, root] = await Promise.all([
    namespaceInodes(pid),
    namespaceInodes('self'),
    cgroupOf(pid),
    cgroupLimits(pid),
    mountAt(pid, '/'),
  ]);
  const namespaces = Object.entries(inodes)
    .filter(([name]) => !name.endsWith('_for_children'))
    .map(([name, inode]) => ({ type: NS_NAMES[name] ?? name, inode, fresh: inode !== host[name] }));
  const path = membership.version === 2 ? membership.paths[''] : membership.paths.memory;
  const seen: Record<string, string> = {};
  seen.memory = limits.memory === undefined ? 'max' : String(limits.memory);
  seen.cpu = limits.cpuQuota === undefined ? 'max' : `${limits.cpuQuota}/${limits.cpuPeriod ?? 100000}`;
  seen.pids = limits.pids === undefined ? 'max' : String(limits.pids);
  return {
    pid,
    namespaces,
    ...(path === undefined ? {} : { cgroup: { path, limits: seen } }),
    ...(root === undefined ? {} : { root: `${root.fsType} ${root.superOptions.join(',')}` }),
  };
}

/** The program the init runs once `runc start` has released it (runc start returns before the execve). */
async function programOf(pid: number): Promise<string | undefined> {
  // Bounded by a count of reads: a loaded host takes longer to exec, never forever.
  for (let i = 0; i < 400; i++) {
    const text = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
    // Gone already, or a zombie (an empty cmdline): the program ran and ended.
    if (text === undefined || text === '') return undefined;
    const argv = text.split('\0').filter(Boolean);
    if (argv.length > 0 && !argv[0]?.startsWith('runc')) return argv.join(' ');
    await new Promise((r) => setTimeout(r, 5));
  }
  return undefined;
}

async function create(tasks: RealTasks, task: LiveTask): Promise<RuncEvidence> {
  const { stdout, stderr, stdin } = task.stdio.paths;
  const pid = await task.shim.task.create({
    bundle: task.bundle,
    stdout,
    ...(stderr === undefined ? { terminal: true } : { stderr }),
    ...(stdin === undefined ? {} : { stdin }),
    runc: tasks.runcOptions(await tasks.recorder()),
  });
  task.pid = pid;
  // The shim opened its end of the stdin FIFO during Create: an attached client's input goes in.
  feedContainerStdin(tasks, task);
  // What the recorder logged and what /proc shows of the init: read side by side.
  const [call, seen] = await Promise.all([lastCall(task, 'create'), initSeen(pid)]);
  return { result: { ok: true, pid }, observed: { argv: [], exitStatus: 0, ...call, ...seen } };
}

async function invoke(tasks: RealTasks, p: RuncInput): Promise<RuncEvidence> {
  const task = tasks.task(p.id);
  const client = task.shim.task;
  const observed = async (sub: string): Promise<RuncEvidence> => {
    const call = await lastCall(task, sub);
    return { result: { ok: true }, ...(call === undefined ? {} : { observed: call }) };
  };
  switch (p.op) {
    case 'runc.create':
      return create(tasks, task);
    case 'runc.start': {
      const pid = await client.start();
      const [call, cmdline] = await Promise.all([lastCall(task, 'start'), programOf(pid)]);
      const seen = { argv: [], exitStatus: 0, ...call, pid, ...(cmdline === undefined ? {} : { cmdline }) };
      return { result: { ok: true, pid }, observed: seen };
    }
    case 'runc.exec':
      return execInContainer(tasks, p);
    case 'runc.kill':
      await client.kill(p.signal ?? 15);
      return observed('kill');
    case 'runc.pause':
      await client.pause();
      return observed('pause');
    case 'runc.resume':
      await client.resume();
      return observed('resume');
    case 'runc.update':
      // The shim runs `runc update --resources -` with these LinuxResources on its stdin.
      await client.update(p.resources ?? {});
      return observed('update');
    case 'runc.ps': {
      // The shim runs `runc ps --format json` for its Pids (task/service.go getContainerPids).
      const pids = await listPids(tasks, p.id);
      return { ...(await observed('ps')), pids };
    }
    case 'runc.delete': {
      // The rootfs is unmounted when the shim goes (tasks.shutdown), off the delete's path.
      await client.delete();
      return observed('delete');
    }
    default:
      throw new Error(`${p.op} of ${p.id}: not supported by the engine yet`);
  }
}

/**
 * runc's own words from the shim's status: the shim wraps them as `OCI runtime create failed:
 * … : unknown` (pkg/process/utils.go), which dockerd wraps again; the runc participant says
 * only what runc said.
 */
function runcError(error: unknown): string {
  const text = error instanceof TtrpcError ? error.detail : errorText(error);
  return text.replace(/^OCI runtime \w+ failed: /, '').replace(/: unknown$/, '');
}

/** A refused call is runc's failure (its message as the shim gave it), not the effect's. */
async function runcCall(tasks: RealTasks, p: RuncInput): Promise<RuncEvidence> {
  try {
    return await invoke(tasks, p);
  } catch (error) {
    const task = tasks.live.get(p.id);
    const call = task === undefined ? undefined : await lastCall(task, p.op.slice('runc.'.length));
    return {
      result: { ok: false, error: runcError(error) },
      ...(call === undefined ? {} : { observed: call }),
    };
  }
}

async function shimStart(tasks: RealTasks, p: ShimStartInput): Promise<ShimStartEvidence> {
  if (p.spec === undefined) throw new Error(`shim start of ${p.id}: no spec for its bundle`);
  const options = bundleOptions(p.spec, p.id);
  // A TTY is one stream (no stderr FIFO); `-i` adds the stdin FIFO (libcontainerd newFIFOSet).
  const io = { terminal: options.terminal === true, stdin: p.stdin === true };
  const task = await tasks.start(p.namespace, p.id, options, io);
  const { id, namespace, address } = task.shim.identity;
  const argv = [SHIM_BINARY, '-namespace', namespace, '-address', address, '-id', id, 'start'];
  return { address: task.shim.socketAddress, pid: task.shimPid, argv };
}

/** The shim and runc machines' real effects, by machine. */
export function realRuntimeEffects(tasks: RealTasks) {
  return {
    shim: {
      shimStart: fromPromise<ShimStartEvidence, ShimStartInput>(({ input }) => shimStart(tasks, input)),
      shimShutdown: fromPromise<Record<string, never>, ShimShutdownInput>(async ({ input }) => {
        await tasks.shutdown(input.id);
        return {};
      }),
      // Stats: the shim reads the cgroup itself.
      ...realShimStats(tasks),
      // The calls a shim answers itself (an exec's Delete, ResizePty, CloseIO).
      shimProcess: shimProcessMachine.provide({ actors: realShimCalls(tasks) }),
    },
    runc: { runcCall: fromPromise<RuncEvidence, RuncInput>(({ input }) => runcCall(tasks, input)) },
  };
}
