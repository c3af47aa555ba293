import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { disconnectNetwork, unmountRootfs } from './containerStart.ts';
import { volumeEvents } from './volumeMounts.ts';
import { removeContainer } from './containerRemove.ts';
import { deleteExecProcess } from './exec.ts';
import { decideAfterExit, restartAfterBackoff } from './restartPolicy.ts';

/** Containers whose exit is being handled: exited to containerd, not yet to their waiters. */
const handlingExit = new WeakSet<ContainerRecord>();

/** True from the exit's `/tasks/exit` until its waiters (a stop, `docker wait`) are released. */
export const exitUnderWay = (c: ContainerRecord): boolean => handlingExit.has(c);

/**
 * containerd's `/tasks/exit` reaches dockerd's event loop (moby libcontainerd → daemon
 * monitor.go `handleContainerExit`). The order a real Engine shows is: delete the task
 * (/tasks/delete), emit `die`, release the network (`network disconnect`), delete the containerd
 * container (/containers/delete) — then waiters (stop, wait, `--rm`) are released. A restart
 * policy that brings the container back leaves it *restarting* (still running, to dockerd's
 * checks) and waits out its back-off (ops/restartPolicy.ts).
 */
export function* taskExit(d: Daemon, event: Message): OperationProgram {
  const p = (event.payload ?? {}) as JsonObject;
  const c = d.containers.get(String(p.id));
  if (!c) return;
  if (typeof p.execId === 'string' && p.execId !== c.id)
    return yield* execExit(d, c, p.execId, Number(p.exitStatus ?? 0));
  handlingExit.add(c);
  // handleContainerExit takes the container's lock, which a start in progress still holds.
  if (c.actor.getSnapshot().matches('starting')) yield { kind: 'waitFor', topic: `started:${c.id}` };
  yield d.call('containerd', 'ctrd.Tasks.Delete', `Tasks.Delete(${short(c.id)}…)`, { payload: { id: c.id } });
  c.exitCode = Number(p.exitStatus ?? 0);
  c.finishedMs = d.now();
  c.pid = 0;
  for (const e of d.execs.values()) if (e.containerId === c.id && e.running) e.running = false;
  const decision = decideAfterExit(d, c);
  if (decision.restart) {
    c.restartCount++;
    c.actor.send({ type: 'RESTARTING' });
  } else c.actor.send({ type: 'EXITED' });
  // The attach stream ends with the container's stdio (the next start attaches anew, or not).
  c.attached = false;
  d.containerEvent(c, 'die', { exitCode: String(c.exitCode) });
  // daemon.Cleanup. dockerd 20.10 releases the network, unmounts the rootfs, then deletes the
  // containerd container (moby v20.10.24 daemon/start.go; recorded: network disconnect before
  // /containers/delete). Engine 29 deletes the containerd container first (docker-v29.0.0
  // daemon/start.go Cleanup: ctr.Delete, then releaseNetwork).
  const deleteContainer = () =>
    d.call('containerd', 'ctrd.Containers.Delete', `Containers.Delete(${short(c.id)}…)`, {
      payload: { id: c.id },
    });
  if (d.profile === 'v29') yield deleteContainer();
  yield* disconnectNetwork(d, c);
  yield* unmountRootfs(d, c);
  volumeEvents(d, c, 'unmount');
  if (d.profile === 'classic') yield deleteContainer();
  handlingExit.delete(c);
  if (decision.restart) return yield* restartAfterBackoff(d, c, decision.timeoutMs);
  d.waiters.notify(`exit:${c.id}`, c.exitCode);
  if (c.autoRemove) yield* autoRemove(d, c);
}

function* autoRemove(d: Daemon, c: ContainerRecord): OperationProgram {
  d.self('dockerd.autoRemove', `HostConfig.AutoRemove: remove ${short(c.id)}`, {
    params: { id: short(c.id) },
  });
  // moby daemon/monitor.go: the auto-remove is ContainerRm with RemoveVolume set.
  yield* removeContainer(d, c, true);
}

/**
 * An exec process exited: dockerd records it and logs exec_die, then libcontainerd deletes the
 * process in containerd (moby 20.10 libcontainerd/remote client.go processEvent).
 */
function* execExit(d: Daemon, c: ContainerRecord, execId: string, status: number): OperationProgram {
  const exec = d.execs.get(execId);
  if (!exec) return;
  // A process that exits at once: its exit waits for the exec's lock, which the start holds
  // until Tasks.Start is answered (moby daemon/exec.go, "Synchronize with libcontainerd").
  if (!exec.running && exec.exitCode === null && exec.client !== undefined)
    yield { kind: 'waitFor', topic: `execStarted:${execId}`, timeoutMs: 10_000 };
  exec.running = false;
  exec.exitCode = status;
  d.containerEvent(c, 'exec_die', { execID: execId, exitCode: String(status) });
  d.waiters.notify(`exec:${execId}`, status);
  yield deleteExecProcess(d, c, exec);
}

/** `/tasks/oom`: the kernel's OOM killer fired in the container's cgroup. */
export function* taskOom(d: Daemon, event: Message): OperationProgram {
  const c = d.containers.get(String(((event.payload ?? {}) as JsonObject).id));
  if (!c) return;
  // dockerd handles the OOM under the container's lock (moby v20.10.24 daemon/monitor.go,
  // EventOOM), which a start in progress still holds: a process killed at once still shows
  // `start` before `oom`, as recorded in e-oom.txt. The wait is bounded: a failed start tells no one.
  if (c.actor.getSnapshot().matches('starting'))
    yield { kind: 'waitFor', topic: `started:${c.id}`, timeoutMs: 10_000 };
  c.oomKilled = true;
  d.containerEvent(c, 'oom');
}

/**
 * `/tasks/paused` and `/tasks/resumed`: the freezer changed under dockerd. A `docker pause` or
 * `docker unpause` has already recorded it and logged its event; this matters when dockerd thawed
 * the container itself to deliver a stop or kill signal: `unpause` is logged only now.
 */
function* freezerChanged(
  d: Daemon,
  event: Message,
  type: 'PAUSE' | 'UNPAUSE',
  action: 'pause' | 'unpause',
): OperationProgram {
  const c = d.containers.get(String(((event.payload ?? {}) as JsonObject).id));
  if (c?.actor.getSnapshot().can({ type })) {
    c.actor.send({ type });
    d.containerEvent(c, action);
  }
  yield* [];
}

export const taskPaused = (d: Daemon, event: Message): OperationProgram =>
  freezerChanged(d, event, 'PAUSE', 'pause');
export const taskResumed = (d: Daemon, event: Message): OperationProgram =>
  freezerChanged(d, event, 'UNPAUSE', 'unpause');
