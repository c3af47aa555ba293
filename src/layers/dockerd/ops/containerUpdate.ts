import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { apiRequest, asMessage } from './request.ts';

const MIN_MEMORY = 6 * 1024 * 1024;

/**
 * The resources an update changes (zero or absent: unchanged), with moby's checks
 * (daemon/daemon_unix.go verifyPlatformContainerResources; container/container_unix.go
 * UpdateContainer). Returns the refusal, or the cgroup limits to write.
 */
function applyResources(
  c: ContainerRecord,
  body: JsonObject,
): { code: number; message: string } | Record<string, string> {
  const memory = Number(body.Memory ?? 0);
  const swap = Number(body.MemorySwap ?? 0);
  const nano = Number(body.NanoCpus ?? 0);
  const pids = body.PidsLimit === null || body.PidsLimit === undefined ? 0 : Number(body.PidsLimit);
  if (memory > 0 && memory < MIN_MEMORY) return { code: 400, message: 'Minimum memory limit allowed is 6MB' };
  const currentSwap = c.memorySwap ?? (c.memory > 0 ? c.memory * 2 : 0);
  if (memory > 0 && swap === 0 && currentSwap > 0 && memory > currentSwap)
    return {
      code: 409,
      message:
        'Cannot update container: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time',
    };
  const limits: Record<string, string> = {};
  if (memory !== 0) {
    c.memory = memory;
    limits['memory.max'] = String(memory);
  }
  if (swap !== 0) {
    c.memorySwap = swap;
    limits['memory.swap.max'] = swap === -1 ? 'max' : String(swap - c.memory);
  }
  if (nano !== 0) {
    c.nanoCpus = nano;
    limits['cpu.max'] = `${nano / 10_000} 100000`;
  }
  if (pids !== 0) {
    c.pidsLimit = pids;
    limits['pids.max'] = pids < 0 ? 'max' : String(pids);
  }
  return limits;
}

/**
 * `POST /containers/{id}/update` (moby v20.10.24 daemon/update.go ContainerUpdate, update):
 * the resources are checked before the container is looked up, stored with the restart policy
 * in config.v2.json, and, for a running container, handed to containerd (`Tasks.Update`: the
 * shim runs `runc update --resources -`, which writes the cgroup's files); an `update` event in
 * every case. A stopped container only keeps them for its next start. Engine 29 does the same
 * (moby docker-v29.0.0 daemon/update.go, containerd's `Task.Update`).
 * Recorded: u-top-update-stats.txt.
 */
export function* containerUpdate(d: Daemon, req: Message): OperationProgram {
  const { target, body } = apiRequest(req);
  const memory = Number(body.Memory ?? 0);
  if (memory > 0 && memory < MIN_MEMORY) return d.error(req, 400, 'Minimum memory limit allowed is 6MB');
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const policy = (body.RestartPolicy ?? {}) as JsonObject;
  const policyName = String(policy.Name ?? '');
  if (policyName !== '' && c.autoRemove && policyName !== 'no')
    return d.error(
      req,
      409,
      'Restart policy cannot be updated because AutoRemove is enabled for the container',
    );
  const limits = applyResources(c, body);
  if ('code' in limits && 'message' in limits)
    return d.error(req, Number(limits.code), String(limits.message));
  if (policyName !== '') {
    c.restartPolicy = { Name: policyName, MaximumRetryCount: Number(policy.MaximumRetryCount ?? 0) };
    if (c.restartManager) c.restartManager.policy = c.restartPolicy;
  }
  d.self('dockerd.updateConfig', `write /var/lib/docker/containers/${short(c.id)}…/hostconfig.json`, {
    params: { id: short(c.id) },
  });
  const snap = c.actor.getSnapshot();
  const live = snap.matches('running') && !snap.matches({ running: 'restarting' });
  if (live && Object.keys(limits).length > 0) {
    const reply = asMessage(
      yield d.call('containerd', 'ctrd.Tasks.Update', `Tasks.Update(${short(c.id)}…)`, {
        payload: { id: c.id, limits },
        params: {
          limits: Object.entries(limits)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
        },
      }),
    );
    if (!reply?.ok) {
      const why = String(((reply?.payload ?? {}) as JsonObject).error ?? 'no task');
      return d.error(req, 500, `Cannot update container ${c.id}: ${why}`);
    }
  }
  d.containerEvent(c, 'update');
  d.reply(req, 200, { Warnings: null });
}
