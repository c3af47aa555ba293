import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { LinuxResources } from '../../../model/oci.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { apiRequest, asMessage } from './request.ts';

const MIN_MEMORY = 6 * 1024 * 1024;
/** The CFS period dockerd pairs with `--cpus` (daemon/daemon_unix.go: 100 ms). */
const CPU_PERIOD_US = 100_000;

/** The resources an update body changes (zero or absent: unchanged), as numbers. */
function asked(body: JsonObject) {
  const pids = body.PidsLimit === null || body.PidsLimit === undefined ? 0 : Number(body.PidsLimit);
  return {
    memory: Number(body.Memory ?? 0),
    swap: Number(body.MemorySwap ?? 0),
    nano: Number(body.NanoCpus ?? 0),
    quota: Number(body.CpuQuota ?? 0),
    period: Number(body.CpuPeriod ?? 0),
    pids,
  };
}

/** HostConfig.MemorySwap: as updated, or twice the -m of the create, or 0 (none). */
const swapOf = (c: ContainerRecord): number => c.memorySwap ?? (c.memory > 0 ? 2 * c.memory : 0);

/**
 * moby's check of the new limits against the container's (container/container_unix.go
 * UpdateContainer): a memory limit above the swap limit the container has is refused unless the
 * swap limit comes with it — and a container never given one has 0 (twice its -m when created
 * with one), so any --memory alone is refused there. Recorded: w-update.txt.
 */
function refusal(c: ContainerRecord, body: JsonObject): { code: number; message: string } | undefined {
  const { memory, swap } = asked(body);
  if (memory > 0 && memory < MIN_MEMORY) return { code: 400, message: 'Minimum memory limit allowed is 6MB' };
  const swapNow = swapOf(c);
  if (memory > 0 && memory > swapNow && swap === 0)
    return {
      code: 409,
      message: `Cannot update container ${c.id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time`,
    };
  return undefined;
}

/**
 * The new limits kept in the container's HostConfig, and the OCI LinuxResources the runtime is
 * given (moby daemon/update.go toContainerdResources): a swap limit goes with the memory limit
 * it counts, `--cpus` is a quota per 100 ms period.
 */
function keep(c: ContainerRecord, body: JsonObject): LinuxResources {
  const { memory, swap, nano, quota, period, pids } = asked(body);
  // The swap limit the container has stays unless a new one comes (twice a create's -m).
  c.memorySwap = swap !== 0 ? swap : swapOf(c);
  if (memory > 0) c.memory = memory;
  if (nano > 0) c.nanoCpus = nano;
  if (pids !== 0) c.pidsLimit = pids;
  const cpuQuota = nano > 0 ? Math.round((nano * CPU_PERIOD_US) / 1e9) : quota;
  const cpuPeriod = nano > 0 ? CPU_PERIOD_US : period;
  return {
    ...(memory > 0 || swap !== 0 ? { memory: { limit: c.memory, ...(swap !== 0 ? { swap } : {}) } } : {}),
    ...(cpuQuota > 0 ? { cpu: { quota: cpuQuota, ...(cpuPeriod > 0 ? { period: cpuPeriod } : {}) } } : {}),
    ...(pids !== 0 ? { pids: { limit: pids } } : {}),
  };
}

const describe = (r: LinuxResources): string =>
  [
    r.memory?.limit !== undefined ? `memory ${r.memory.limit}` : '',
    r.memory?.swap !== undefined ? `memory+swap ${r.memory.swap}` : '',
    r.cpu ? `cpu ${r.cpu.quota ?? 0}/${r.cpu.period ?? CPU_PERIOD_US}µs` : '',
    r.pids ? `pids ${r.pids.limit}` : '',
  ]
    .filter(Boolean)
    .join(', ');

/**
 * `POST /containers/{id}/update` (moby v20.10.24 daemon/update.go ContainerUpdate, update): the
 * container is looked up, the new resources checked (verifyContainerSettings, then
 * UpdateContainer's swap rule), stored with the restart policy in hostconfig.json, and, for a
 * running container that is not restarting, handed to containerd (`Tasks.Update` with the OCI
 * LinuxResources: the shim runs `runc update --resources -`, which writes the cgroup's files);
 * an `update` event in every case, none for a refusal. A stopped container only keeps them for
 * its next start. A failure below is `Cannot update container ID: …`. Engine 29 does the same
 * (moby docker-v29.0.0 daemon/update.go, containerd's `Task.Update`).
 * Recorded: u-top-update-stats.txt, w-update.txt.
 */
export function* containerUpdate(d: Daemon, req: Message): OperationProgram {
  const { target, body } = apiRequest(req);
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
  const refused = refusal(c, body);
  if (refused) return d.error(req, refused.code, refused.message);
  // moby restores the HostConfig when containerd refuses (daemon/update.go restoreConfig).
  const before = { memory: c.memory, memorySwap: c.memorySwap, nanoCpus: c.nanoCpus, pidsLimit: c.pidsLimit };
  const resources = keep(c, body);
  if (policyName !== '') {
    c.restartPolicy = { Name: policyName, MaximumRetryCount: Number(policy.MaximumRetryCount ?? 0) };
    if (c.restartManager) c.restartManager.policy = c.restartPolicy;
  }
  d.self('dockerd.updateConfig', `write /var/lib/docker/containers/${short(c.id)}…/hostconfig.json`, {
    params: { id: short(c.id) },
  });
  const snap = c.actor.getSnapshot();
  const live = snap.matches('running') && !snap.matches({ running: 'restarting' });
  if (live && Object.keys(resources).length > 0) {
    const reply = asMessage(
      yield d.call('containerd', 'ctrd.Tasks.Update', `Tasks.Update(${short(c.id)}…)`, {
        payload: { id: c.id, resources: { ...resources } },
        params: { limits: describe(resources) },
      }),
    );
    if (!reply?.ok) {
      Object.assign(c, before);
      const why = String(((reply?.payload ?? {}) as JsonObject).error ?? 'no task');
      return d.error(req, 500, `Cannot update container ${c.id}: ${why}`);
    }
  }
  d.containerEvent(c, 'update');
  d.reply(req, 200, { Warnings: null }, { params: { id: short(c.id) } });
}
