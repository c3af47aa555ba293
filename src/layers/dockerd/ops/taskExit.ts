import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { disconnectNetwork } from './containerStart.ts';
import { removeContainer } from './containerRemove.ts';

/**
 * containerd's `/tasks/exit` reaches dockerd's event loop (moby libcontainerd → daemon
 * monitor.go `handleContainerExit`). The order a real Engine shows is: delete the task
 * (/tasks/delete), emit `die`, release the network (`network disconnect`), delete the containerd
 * container (/containers/delete) — then waiters (stop, wait, `--rm`) are released.
 */
export function* taskExit(d: Daemon, event: Message): OperationProgram {
  const p = (event.payload ?? {}) as JsonObject;
  const c = d.containers.get(String(p.id));
  if (!c) return;
  if (typeof p.execId === 'string' && p.execId !== c.id) return yield* execExit(d, c, p.execId, Number(p.exitStatus ?? 0));
  yield d.call('containerd', 'ctrd.Tasks.Delete', `Tasks.Delete(${short(c.id)}…)`, { payload: { id: c.id } });
  c.exitCode = Number(p.exitStatus ?? 0);
  c.finishedMs = d.now();
  c.pid = 0;
  for (const e of d.execs.values()) if (e.containerId === c.id && e.running) e.running = false;
  c.actor.send({ type: 'EXITED' });
  d.containerEvent(c, 'die', { exitCode: String(c.exitCode) });
  yield* disconnectNetwork(d, c);
  yield d.call('containerd', 'ctrd.Containers.Delete', `Containers.Delete(${short(c.id)}…)`, { payload: { id: c.id } });
  if (d.profile === 'classic') yield d.call('Storage', 'storage.umount', `overlay2 Put(${short(c.id)}…): umount rootfs`, { payload: { driver: 'overlay2', key: c.rwKey, target: 'merged' } });
  d.waiters.notify(`exit:${c.id}`, c.exitCode);
  if (c.autoRemove) yield* autoRemove(d, c);
}

function* autoRemove(d: Daemon, c: ContainerRecord): OperationProgram {
  d.self('dockerd.autoRemove', `HostConfig.AutoRemove: remove ${short(c.id)}`, { params: { id: short(c.id) } });
  yield* removeContainer(d, c);
}

function* execExit(d: Daemon, c: ContainerRecord, execId: string, status: number): OperationProgram {
  const exec = d.execs.get(execId);
  if (!exec) return;
  exec.running = false;
  exec.exitCode = status;
  d.containerEvent(c, 'exec_die', { execID: execId, exitCode: String(status) });
  d.waiters.notify(`exec:${execId}`, status);
  yield* [];
}

/** `/tasks/oom`: the kernel's OOM killer fired in the container's cgroup. */
export function* taskOom(d: Daemon, event: Message): OperationProgram {
  const c = d.containers.get(String(((event.payload ?? {}) as JsonObject).id));
  if (!c) return;
  c.oomKilled = true;
  d.containerEvent(c, 'oom');
  yield* [];
}
