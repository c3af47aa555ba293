// The shim participant's real effects for containerd's restart (src/layers/shim/shimEffects.ts
// shimConnect, shimCleanup): a shim that outlived the engine that started it is found again the
// way containerd finds it (runtime/v2 shim_load.go loadShims: the bundle's `address` file, the
// log FIFO held open again, Connect and State over ttrpc), and dockerd's side of the container
// is put back as it was: its stdio FIFOs reopened (the shim kept their write ends, and what the
// container wrote meanwhile waits in them), their copy into the json-file log resumed, the
// attach tee set up again. A shim that does not answer is dead: its binary's `delete` kills what
// is left of the container and gives the exit status (shim.go cleanupAfterDeadShim).
import { readFileSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fromPromise } from 'xstate';
import type {
  ShimCleanupEvidence,
  ShimConnectEvidence,
  ShimConnectInput,
} from '../../src/layers/shim/shimEffects.ts';
import { unmount } from '../image/snapshot/mount.ts';
import { copyToLog, JsonFileLogger, openStdio, type StdioOptions } from '../logs/index.ts';
import { SHIM_BINARY } from '../shim/binaries.ts';
import { cleanupDeadShim } from '../shim/cleanup.ts';
import { Status } from '../shim/proto/gen/github.com/containerd/containerd/api/types/task/task_pb.ts';
import { reconnectShim } from '../shim/reconnect.ts';
import { RUNC_LOG_ENV, RuncLog } from '../shim/recorder.ts';
import type { LiveTask, RealTasks } from './tasks.ts';

const STATUS: Partial<Record<Status, ShimConnectEvidence['status']>> = {
  [Status.CREATED]: 'created',
  [Status.RUNNING]: 'running',
  [Status.PAUSED]: 'paused',
  [Status.PAUSING]: 'paused',
};

function mounted(path: string): boolean {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[1] === path);
}

/**
 * The container's stdio as it was made (moby restores it from Config.Tty and OpenStdin): a TTY
 * when the bundle's process has a terminal, a stdin FIFO when the last engine made one (the
 * shim holds its read end, so what a client attaches now reaches the process).
 */
async function stdioOf(bundle: string, fifos: string): Promise<StdioOptions> {
  const text = await readFile(join(bundle, 'config.json'), 'utf8').catch(() => '{}');
  const spec: { process?: { terminal?: unknown } } = JSON.parse(text);
  const terminal = spec.process?.terminal === true;
  const stdin = await stat(join(fifos, 'init-stdin')).then(
    (s) => s.isFIFO(),
    () => false,
  );
  return { terminal, stdin };
}

/** The shim is reached again, and the engine holds the container's stdio and log as before. */
export async function reconnectTask(tasks: RealTasks, namespace: string, id: string): Promise<LiveTask> {
  // The events socket listens again before anything asks the shim (its exits go there).
  await tasks.recorder();
  const bundle = tasks.bundleOf(namespace, id);
  const shim = await reconnectShim({ id, namespace, bundle, address: tasks.address });
  try {
    const { shimPid } = await shim.task.connect();
    const logger = await JsonFileLogger.open(await tasks.logPath(id));
    // What the container wrote while no engine read waits in the FIFOs: the copier and the tee
    // take the streams in the same tick, so nothing flows before both listen.
    const io = await stdioOf(bundle, join(tasks.runDir, 'fifo', id));
    const stdio = await openStdio(join(tasks.runDir, 'fifo'), id, io);
    tasks.teeToAttached(id, stdio);
    const copied = copyToLog(stdio, logger).finally(() => logger.close());
    const rootfs = join(bundle, 'rootfs');
    const live: LiveTask = {
      shim,
      bundle,
      rootfs,
      calls: new RuncLog(join(bundle, 'runc-calls.log')),
      shimPid,
      pid: 0,
      rootfsMounted: mounted(rootfs),
      stdio,
      logger,
      copied,
    };
    tasks.live.set(id, live);
    return live;
  } catch (error) {
    await shim.detach().catch(() => undefined);
    throw error;
  }
}

async function connect(tasks: RealTasks, p: ShimConnectInput): Promise<ShimConnectEvidence> {
  const task = await reconnectTask(tasks, p.namespace, p.id);
  const state = await task.shim.task.state();
  task.pid = state.pid;
  return {
    address: task.shim.socketAddress,
    shimPid: task.shimPid,
    pid: state.pid,
    status: STATUS[state.status] ?? 'stopped',
    exitStatus: state.exitStatus,
  };
}

/** The dead shim's `delete`; then what dockerd's side held for the task goes too. */
async function cleanup(tasks: RealTasks, p: ShimConnectInput): Promise<ShimCleanupEvidence> {
  const bundle = tasks.bundleOf(p.namespace, p.id);
  const identity = { id: p.id, namespace: p.namespace, bundle, address: tasks.address };
  const exit = await cleanupDeadShim(identity, { [RUNC_LOG_ENV]: join(bundle, 'runc-calls.log') });
  await rm(join(tasks.runDir, 'fifo', p.id), { recursive: true, force: true });
  // The shim's delete unmounts the rootfs; never remove the bundle through a mount still there.
  const rootfs = join(bundle, 'rootfs');
  if (mounted(rootfs)) await unmount(rootfs);
  await rm(bundle, { recursive: true, force: true });
  const argv = [SHIM_BINARY, '-namespace', p.namespace, '-address', tasks.address, '-id', p.id];
  return { pid: exit.pid, exitStatus: exit.exitStatus, argv: [...argv, '-bundle', bundle, 'delete'] };
}

/** The shim machine's restart effects, real. */
export function realReconnectEffects(tasks: RealTasks) {
  return {
    shimConnect: fromPromise<ShimConnectEvidence, ShimConnectInput>(({ input }) => connect(tasks, input)),
    shimCleanup: fromPromise<ShimCleanupEvidence, ShimConnectInput>(({ input }) => cleanup(tasks, input)),
  };
}
