import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import { apiRequest, asMessage } from './request.ts';

/** The CFS period dockerd pairs with `--cpus` (daemon/daemon_unix.go: 100 ms). */
const CPU_PERIOD_US = 100_000;

/** HostConfig resources of an update body, as the OCI LinuxResources the runtime applies. */
export function linuxResources(body: JsonObject): JsonObject {
  const memory = Number(body.Memory ?? 0);
  const swap = Number(body.MemorySwap ?? 0);
  const nano = Number(body.NanoCpus ?? 0);
  const quota = nano > 0 ? Math.round((nano * CPU_PERIOD_US) / 1e9) : Number(body.CpuQuota ?? 0);
  const period = nano > 0 ? CPU_PERIOD_US : Number(body.CpuPeriod ?? 0);
  return {
    ...(memory > 0 || swap !== 0
      ? { memory: { ...(memory > 0 ? { limit: memory } : {}), ...(swap !== 0 ? { swap } : {}) } }
      : {}),
    ...(quota > 0 ? { cpu: { quota, ...(period > 0 ? { period } : {}) } } : {}),
  };
}

/**
 * `POST /containers/{id}/update` (moby v20.10.24 daemon/update.go, update_linux.go): the new
 * limits are checked as a create's are, kept in the container's HostConfig, and — when it runs
 * — given to containerd's Tasks.Update, whose shim runs `runc update` on the container's cgroup;
 * then the `update` event. A failure there is `Cannot update container ID: …`. dockerd 20.10
 * refuses a memory limit above the swap limit it has unless the swap limit comes with it — and
 * a container never given one has 0 (twice its -m when created with one): 409, recorded in
 * test/fixtures/real-engine/w-update.txt (container/container_unix.go UpdateContainer).
 */
export function* containerUpdate(d: Daemon, req: Message): OperationProgram {
  const { target, body } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const memory = Number(body.Memory ?? 0);
  if (memory > 0 && memory < 6 * 1024 * 1024) return d.error(req, 400, 'Minimum memory limit allowed is 6MB');
  const swap = Number(body.MemorySwap ?? 0);
  const swapNow = c.memorySwap ?? (c.memory > 0 ? 2 * c.memory : 0);
  if (memory > 0 && memory > swapNow && swap === 0)
    return d.error(
      req,
      409,
      `Cannot update container ${c.id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time`,
    );
  const resources = linuxResources(body);
  if (c.actor.getSnapshot().matches('running') && Object.keys(resources).length > 0) {
    const updated = asMessage(
      yield d.call('containerd', 'ctrd.Tasks.Update', `Tasks.Update(${short(c.id)}…)`, {
        payload: { id: c.id, resources },
      }),
    );
    if (updated?.ok === false) {
      const error = String((updated.payload as JsonObject | undefined)?.error ?? 'unknown');
      return d.error(req, 500, `Cannot update container ${c.id}: ${error}`);
    }
  }
  if (memory > 0) c.memory = memory;
  if (swap !== 0 || memory > 0) c.memorySwap = swap !== 0 ? swap : swapNow;
  d.containerEvent(c, 'update');
  d.reply(req, 200, { Warnings: null }, { params: { id: short(c.id) } });
}
