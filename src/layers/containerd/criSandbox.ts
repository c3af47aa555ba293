import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { Effect, OperationProgram } from '../operation.ts';
import { removeRecord, stopTask } from './criContainer.ts';
import { ensureImage } from './criImage.ts';
import { k8sSnapshot } from './criPull.ts';
import { sandboxSpec, specJson } from './criSpec.ts';
import { asReply, payloadOf, short, type Cri, type CriSandbox, type PodMetadata } from './criState.ts';

/**
 * The pod sandbox RPCs (internal/cri/server/sandbox_*.go and the podsandbox controller,
 * containerd 2.2). RunPodSandbox: reserve the name, create the network namespace, CNI ADD,
 * then start the sandbox — ensure the pause image (pulled by containerd itself), a snapshot,
 * the containerd container, the task (a new shim, `runc create`, `runc start`). StopPodSandbox:
 * SIGKILL the pause process, CNI DEL, remove the namespace. RemovePodSandbox: delete the
 * container, its snapshot and the sandbox's records.
 */
type Gen<T> = Generator<Effect, T, unknown>;

/** containerd 2.2's default sandbox image (internal/cri/config DefaultSandboxImage). */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10.1';
const CNI_BIN = '/opt/cni/bin';

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function sandboxOf(cri: Cri, req: Message): { sb: CriSandbox | undefined; id: string } {
  const id = String(payloadOf(req).pod_sandbox_id ?? '');
  return { sb: cri.state.sandboxes.get(id), id };
}

function newSandbox(cri: Cri, config: JsonObject): CriSandbox {
  const meta = (config.metadata ?? {}) as unknown as PodMetadata;
  const linux = (config.linux ?? {}) as JsonObject;
  const id = cri.newId();
  return {
    id,
    name: [meta.name, meta.namespace, meta.uid, meta.attempt].join('_'),
    metadata: meta,
    hostname: String(config.hostname ?? meta.name),
    logDirectory: String(config.log_directory ?? ''),
    cgroupParent: String(linux.cgroup_parent ?? ''),
    // netns.NewNetNS: /var/run/netns/cni-<random UUID>.
    netns: `/var/run/netns/cni-${uuid(cri.ports.ids.hex(32))}`,
    state: 'notready',
    pid: 0,
    ips: [],
    createdMs: cri.now(),
    snapshotKey: k8sSnapshot(id),
  };
}

/** go-cni Setup: the loopback network, then containerd-net's plugins in order. */
function* cniAdd(cri: Cri, sb: CriSandbox): Gen<string | undefined> {
  for (const [plugin, ifName] of [
    ['loopback', 'lo'],
    ['bridge', 'eth0'],
    ['portmap', 'eth0'],
  ] as const) {
    const call = `exec ${CNI_BIN}/${plugin} CNI_COMMAND=ADD CNI_IFNAME=${ifName} CNI_NETNS=${sb.netns.slice(0, 30)}…`;
    const reply = asReply(
      yield cri.call('Network', 'cni.add', call, {
        payload: { plugin, containerId: sb.id, netns: sb.netns, ifName },
        narration: `cni.add.${plugin}`,
      }),
    );
    if (!reply.ok) return String((reply.payload as JsonObject | undefined)?.error ?? 'cni error');
    const ips = ((reply.payload ?? {}) as { ips?: { address: string }[] }).ips;
    if (plugin === 'bridge' && ips) sb.ips = ips.map((i) => i.address.split('/')[0] ?? '');
  }
  return undefined;
}

/** go-cni Remove: each network in turn; a conflist's plugins in reverse order. */
function* cniDel(cri: Cri, sb: CriSandbox): Gen<void> {
  for (const [plugin, ifName] of [
    ['loopback', 'lo'],
    ['portmap', 'eth0'],
    ['bridge', 'eth0'],
  ] as const) {
    const call = `exec ${CNI_BIN}/${plugin} CNI_COMMAND=DEL CNI_IFNAME=${ifName} CNI_NETNS=${sb.netns.slice(0, 30)}…`;
    yield cri.call('Network', 'cni.del', call, {
      payload: { plugin, containerId: sb.id, netns: sb.netns, ifName },
      narration: `cni.del.${plugin}`,
    });
  }
}

/** The podsandbox controller's Start: the pause container and its task. */
function* startSandbox(cri: Cri, sb: CriSandbox): Gen<string | undefined> {
  const image = yield* ensureImage(cri, PAUSE_IMAGE, false);
  if (typeof image === 'string') return `failed to get sandbox image "${PAUSE_IMAGE}": ${image}`;
  const top = image.layers.at(-1)?.chainId;
  yield cri.call(
    'Storage',
    'storage.prepare',
    `overlayfs Prepare(${sb.snapshotKey.slice(0, 25)}…, parent=pause)`,
    {
      payload: { driver: 'overlayfs', key: sb.snapshotKey, ...(top ? { parent: k8sSnapshot(top) } : {}) },
      narration: 'cri.storage.prepare.sandbox',
    },
  );
  const spec = sandboxSpec(sb, image, PAUSE_IMAGE);
  yield cri.service(
    'ctrd.Containers.Create',
    `Containers.Create(${short(sb.id)}…, image=${PAUSE_IMAGE})`,
    {
      id: sb.id,
      image: PAUSE_IMAGE,
      snapshotKey: sb.snapshotKey,
      spec: specJson(spec),
      runtimeOptions: { type_url: 'containerd.runc.v1.Options' },
    },
    'cri.ctrd.Containers.Create.sandbox',
  );
  cri.self(
    'cri.sandbox.files',
    `setupSandboxFiles: hostname, resolv.conf, /dev/shm (tmpfs) in sandboxes/${short(sb.id)}…`,
  );
  const created = asReply(
    yield cri.service(
      'ctrd.Tasks.Create',
      `Tasks.Create(${short(sb.id)}…, no stdio)`,
      { id: sb.id },
      'cri.ctrd.Tasks.Create.sandbox',
    ),
  );
  if (!created.ok)
    return `failed to create containerd task: ${String((created.payload as JsonObject | undefined)?.error ?? '')}`;
  sb.pid = Number((created.payload as JsonObject).pid ?? 0);
  const started = asReply(
    yield cri.service(
      'ctrd.Tasks.Start',
      `Tasks.Start(${short(sb.id)}…)`,
      { id: sb.id },
      'cri.ctrd.Tasks.Start.sandbox',
    ),
  );
  if (!started.ok) return `failed to start sandbox container task "${sb.id}"`;
  sb.state = 'ready';
  return undefined;
}

export function* runPodSandbox(cri: Cri, req: Message): OperationProgram {
  const sb = newSandbox(cri, (payloadOf(req).config ?? {}) as JsonObject);
  if ([...cri.state.sandboxes.values()].some((s) => s.name === sb.name)) {
    cri.fail(
      req,
      'Unknown',
      `failed to reserve sandbox name "${sb.name}": name "${sb.name}" is reserved for "${short(sb.id)}"`,
    );
    return;
  }
  cri.state.sandboxes.set(sb.id, sb);
  cri.self(
    'cri.sandbox.reserve',
    `reserve name ${sb.name.slice(0, 24)}…; lease and sandbox record ${short(sb.id)}…`,
    { params: { name: sb.name } },
  );
  cri.syscall(
    'kernel.netns',
    `unshare(CLONE_NEWNET); mount --bind /proc/self/task/<tid>/ns/net ${sb.netns}`,
    { containerId: sb.id, namespaces: ['network'] },
    { path: sb.netns },
  );
  const cniError = yield* cniAdd(cri, sb);
  if (cniError) {
    cri.fail(
      req,
      'Unknown',
      `failed to setup network for sandbox "${sb.id}": plugin type="bridge" name="containerd-net" failed (add): ${cniError}`,
    );
    return;
  }
  const failure = yield* startSandbox(cri, sb);
  if (failure) {
    cri.fail(req, 'Unknown', `failed to start sandbox "${sb.id}": ${failure}`);
    return;
  }
  cri.reply(
    req,
    `OK pod_sandbox_id=${short(sb.id)}…`,
    { pod_sandbox_id: sb.id },
    { params: { pid: sb.pid } },
  );
}

// eslint-disable-next-line require-yield -- answered from the plugin's store, with no call
export function* podSandboxStatus(cri: Cri, req: Message): OperationProgram {
  const { sb, id } = sandboxOf(cri, req);
  if (!sb) return cri.fail(req, 'NotFound', `an error occurred when try to find sandbox: not found: ${id}`);
  const state = sb.state === 'ready' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY';
  const [ip = '', ...more] = sb.ips;
  const status = {
    id: sb.id,
    metadata: sb.metadata as unknown as JsonObject,
    state,
    created_at: sb.createdMs * 1_000_000,
    network: { ip, additional_ips: more.map((m) => ({ ip: m })) },
  };
  cri.reply(req, `OK ${state}, network.ip=${ip}`, { status }, { params: { ip, state } });
}

export function* stopPodSandbox(cri: Cri, req: Message): OperationProgram {
  const { sb } = sandboxOf(cri, req);
  // StopPodSandbox is idempotent: a sandbox already gone is no error.
  if (!sb) return cri.reply(req, 'OK (no such sandbox)', {});
  // Containers still running in the pod are stopped forcibly first (timeout 0: SIGKILL).
  for (const c of [...cri.state.containers.values()].filter((x) => x.sandboxId === sb.id))
    yield* stopTask(cri, c, 0);
  if (sb.state === 'ready') {
    yield cri.service(
      'ctrd.Tasks.Kill',
      `Tasks.Kill(${short(sb.id)}…, SIGKILL)`,
      { id: sb.id, signal: 9 },
      'cri.ctrd.Tasks.Kill.sandbox',
      { params: { signal: 'SIGKILL' } },
    );
    yield* cri.stopped(sb.id);
  }
  cri.self('cri.sandbox.files.cleanup', `cleanupSandboxFiles: umount sandboxes/${short(sb.id)}…/shm`);
  if (sb.ips.length > 0) yield* cniDel(cri, sb);
  cri.syscall(
    'kernel.netnsRemove',
    `umount ${sb.netns}; unlink it`,
    { containerId: sb.id, gone: true },
    { path: sb.netns },
  );
  sb.ips = [];
  cri.reply(req, 'OK', {});
}

export function* removePodSandbox(cri: Cri, req: Message): OperationProgram {
  const { sb } = sandboxOf(cri, req);
  if (!sb) return cri.reply(req, 'OK (no such sandbox)', {});
  if (sb.state === 'ready')
    return cri.fail(req, 'FailedPrecondition', `sandbox container "${sb.id}" is not fully stopped`);
  // Containers left in the pod are removed with it (sandbox_remove.go).
  for (const c of [...cri.state.containers.values()].filter((x) => x.sandboxId === sb.id)) {
    if (c.state === 'running')
      return cri.fail(
        req,
        'FailedPrecondition',
        `failed to remove container "${c.id}": container is still running, to stop first`,
      );
    yield* removeRecord(cri, c);
  }
  yield cri.service(
    'ctrd.Containers.Delete',
    `Containers.Delete(${short(sb.id)}…)`,
    { id: sb.id },
    'cri.ctrd.Containers.Delete.sandbox',
  );
  yield cri.call('Storage', 'storage.remove', `overlayfs Remove(${sb.snapshotKey.slice(0, 25)}…)`, {
    payload: { driver: 'overlayfs', key: sb.snapshotKey },
  });
  cri.self(
    'cri.sandbox.release',
    `rm -r sandboxes/${short(sb.id)}…; delete sandbox record and lease; release name`,
    { params: { name: sb.name } },
  );
  cri.state.sandboxes.delete(sb.id);
  cri.reply(req, 'OK', {});
}
