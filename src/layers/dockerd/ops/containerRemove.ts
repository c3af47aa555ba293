import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import { deleteLease } from './rootfs.ts';
import type { ContainerRecord } from '../records.ts';
import { killAndWait } from './containerStop.ts';
import { releaseLayers } from './imageDelete.ts';
import { apiRequest } from './request.ts';
import { removeAnonymousVolumes } from './volumeMounts.ts';

/**
 * `DELETE /containers/{id}` (moby daemon/delete.go). A running container is refused with 409
 * unless `force=1`, in which case it is killed with SIGKILL first (no SIGTERM, no grace period —
 * seed 000 draws a graceful stop here; the real Engine does not). Then the read-write layer,
 * the container's directory and its logs go, and `destroy` is emitted.
 */
export function* containerRemove(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const snap = c.actor.getSnapshot();
  const running = snap.matches('running');
  if (running && query.force !== '1') {
    // moby delete.go names the state: running, restarting, or paused (then "Unpause and then stop…").
    const state = snap.matches({ running: 'paused' })
      ? 'paused'
      : snap.matches({ running: 'restarting' })
        ? 'restarting'
        : 'running';
    const procedure = 'stop the container before attempting removal or force remove';
    return d.error(
      req,
      409,
      `You cannot remove a ${state} container ${c.id}. ${state === 'paused' ? `Unpause and then ${procedure}` : `S${procedure.slice(1)}`}`,
    );
  }
  if (running) yield* killAndWait(d, c, 9);
  if (c.actor.getSnapshot().matches('removed') || !d.containers.has(c.id)) return d.reply(req, 204);
  yield* removeContainer(d, c, query.v === '1');
  d.reply(req, 204, undefined, { fidelity: 'fidelity.rmNoStop' });
}

export function* removeContainer(d: Daemon, c: ContainerRecord, removeVolumes = false): OperationProgram {
  if (!c.actor.getSnapshot().can({ type: 'REMOVE' })) return;
  c.actor.send({ type: 'REMOVE' });
  if (d.profile === 'v29') yield* deleteLease(d, c);
  else {
    yield d.call('Storage', 'storage.remove', `overlay2 Remove(${short(c.id)}…)`, {
      payload: { driver: 'overlay2', key: c.rwKey },
    });
    // An image deleted with `rmi -f` while this container existed left its layers to it.
    yield* releaseLayers(d, c.image);
  }
  d.ports.logs.remove(c.id);
  yield* d.work('removeContainerFiles', { id: c.id }, () => ({}));
  d.self('dockerd.removeDir', `rm -rf /var/lib/docker/containers/${short(c.id)}…`, {
    params: { id: short(c.id) },
  });
  if (removeVolumes) yield* removeAnonymousVolumes(d, c);
  d.containerEvent(c, 'destroy');
  c.actor.send({ type: 'REMOVED' });
  d.containers.delete(c.id);
  d.waiters.notify(`removed:${c.id}`, c.exitCode);
}
