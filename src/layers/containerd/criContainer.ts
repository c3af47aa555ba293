import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import { signalName, signalNumber } from '../../model/signals.ts';
import type { Effect, OperationProgram } from '../operation.ts';
import { lookup } from './criImage.ts';
import { k8sSnapshot } from './criPull.ts';
import { containerSpec, specJson } from './criSpec.ts';
import { asReply, payloadOf, short, type Cri, type CriContainer } from './criState.ts';

/**
 * The container RPCs (internal/cri/server/container_*.go, containerd 2.2). CreateContainer
 * makes metadata only — the spec that joins the sandbox's namespaces, a snapshot, a containerd
 * container; StartContainer creates and starts the task, in the sandbox's shim. StopContainer
 * sends the stop signal (the image's STOPSIGNAL, else SIGTERM), waits up to the timeout the
 * kubelet gives, then SIGKILLs; the plugin's event monitor deletes the task when the exit
 * arrives. RemoveContainer deletes the container and its snapshot.
 */
type Gen<T> = Generator<Effect, T, unknown>;

function containerOf(cri: Cri, req: Message): { c: CriContainer | undefined; id: string } {
  const id = String(payloadOf(req).container_id ?? '');
  return { c: cri.state.containers.get(id), id };
}

export function* createContainer(cri: Cri, req: Message): OperationProgram {
  const p = payloadOf(req);
  const config = (p.config ?? {}) as JsonObject;
  const meta = (config.metadata ?? {}) as { name?: string; attempt?: number };
  const sb = cri.state.sandboxes.get(String(p.pod_sandbox_id ?? ''));
  if (!sb)
    return cri.fail(req, 'NotFound', `failed to get sandbox "${String(p.pod_sandbox_id ?? '')}": not found`);
  const imageName = String((config.image as JsonObject | undefined)?.image ?? '');
  const image = lookup(cri, imageName);
  if (!image) return cri.fail(req, 'NotFound', `failed to resolve image "${imageName}": not found`);
  const id = cri.newId();
  const name = [
    meta.name ?? '',
    sb.metadata.name,
    sb.metadata.namespace,
    sb.metadata.uid,
    meta.attempt ?? 0,
  ].join('_');
  const envs = ((config.envs ?? []) as { key: string; value: string }[]).map((e) => `${e.key}=${e.value}`);
  const userImage = image.repoTags[0] ?? imageName;
  const spec = containerSpec(sb, {
    id,
    name: meta.name ?? '',
    image,
    imageName: userImage,
    command: (config.command ?? []) as string[],
    args: (config.args ?? []) as string[],
    env: envs,
    podUid: sb.metadata.uid,
  });
  cri.self(
    'cri.container.spec',
    `OCI spec: setns net, ipc, uts of pause (pid ${sb.pid}); new pid, mnt, cgroup namespaces`,
    { payload: specJson(spec), params: { pid: sb.pid } },
  );
  const key = k8sSnapshot(id);
  const top = image.layers.at(-1)?.chainId;
  yield cri.call(
    'Storage',
    'storage.prepare',
    `overlayfs Prepare(${key.slice(0, 25)}…, parent=${top?.slice(7, 19) ?? '-'})`,
    {
      payload: { driver: 'overlayfs', key, ...(top ? { parent: k8sSnapshot(top) } : {}) },
      narration: 'cri.storage.prepare.container',
    },
  );
  yield cri.service(
    'ctrd.Containers.Create',
    `Containers.Create(${short(id)}…, image=${userImage})`,
    {
      id,
      image: userImage,
      snapshotKey: key,
      spec: specJson(spec),
      runtimeOptions: { type_url: 'containerd.runc.v1.Options' },
    },
    'cri.ctrd.Containers.Create',
  );
  cri.state.containers.set(id, {
    id,
    name,
    metadataName: meta.name ?? '',
    sandboxId: sb.id,
    imageId: image.id,
    imageName: userImage,
    state: 'created',
    pid: 0,
    exitCode: 0,
    createdMs: cri.now(),
    startedMs: 0,
    finishedMs: 0,
    logPath: `${sb.logDirectory}/${String(config.log_path ?? '')}`,
    stopSignal: image.config.config?.StopSignal ?? 'SIGTERM',
    snapshotKey: key,
    log: [],
  });
  cri.reply(req, `OK container_id=${short(id)}…`, { container_id: id });
}

export function* startContainer(cri: Cri, req: Message): OperationProgram {
  const { c, id } = containerOf(cri, req);
  if (!c) return cri.fail(req, 'NotFound', `an error occurred when try to find container "${id}": not found`);
  if (c.state !== 'created')
    return cri.fail(
      req,
      'FailedPrecondition',
      `container is in ${c.state === 'running' ? 'CONTAINER_RUNNING' : 'CONTAINER_EXITED'} state`,
    );
  const created = asReply(
    yield cri.service(
      'ctrd.Tasks.Create',
      `Tasks.Create(${short(id)}…, stdio → CRI log ${c.metadataName}/0.log)`,
      { id },
      'cri.ctrd.Tasks.Create',
    ),
  );
  if (!created.ok) {
    c.state = 'exited';
    c.exitCode = 128;
    return cri.fail(
      req,
      'Unknown',
      `failed to create containerd task: failed to create shim task: OCI runtime create failed: ${String((created.payload as JsonObject | undefined)?.error ?? '')}`,
    );
  }
  c.pid = Number((created.payload as JsonObject).pid ?? 0);
  yield cri.service('ctrd.Tasks.Start', `Tasks.Start(${short(id)}…)`, { id }, 'cri.ctrd.Tasks.Start');
  c.state = 'running';
  c.startedMs = cri.now();
  cri.reply(req, 'OK', {}, { params: { pid: c.pid } });
}

/** stopContainer: the stop signal, the wait, SIGKILL when the wait runs out (timeout 0: SIGKILL at once). */
export function* stopTask(cri: Cri, c: CriContainer, timeoutSeconds: number): Gen<void> {
  if (c.state !== 'running') return;
  if (timeoutSeconds > 0) {
    const sig = signalNumber(c.stopSignal) ?? 15;
    yield cri.service(
      'ctrd.Tasks.Kill',
      `Tasks.Kill(${short(c.id)}…, ${signalName(sig)})`,
      { id: c.id, signal: sig },
      'cri.ctrd.Tasks.Kill',
      { params: { signal: signalName(sig), seconds: timeoutSeconds } },
    );
    if ((yield* cri.stopped(c.id, timeoutSeconds * 1000)) === 'stopped') return;
  }
  const block =
    timeoutSeconds > 0
      ? {
          block: {
            open: {
              type: 'alt' as const,
              label: { key: 'block.graceExpired', params: { seconds: timeoutSeconds } },
            },
            closeAfter: 1,
          },
        }
      : {};
  yield cri.service(
    'ctrd.Tasks.Kill',
    `Tasks.Kill(${short(c.id)}…, SIGKILL)`,
    { id: c.id, signal: 9 },
    'cri.ctrd.Tasks.Kill.force',
    { params: { signal: 'SIGKILL' }, ...block },
  );
  yield* cri.stopped(c.id);
}

export function* stopContainer(cri: Cri, req: Message): OperationProgram {
  const { c, id } = containerOf(cri, req);
  if (!c) return cri.fail(req, 'NotFound', `an error occurred when try to find container "${id}": not found`);
  yield* stopTask(cri, c, Number(payloadOf(req).timeout ?? 0));
  cri.reply(req, 'OK', {}, { params: { code: c.exitCode } });
}

/** container.Delete(WithSnapshotCleanup): the containerd container, then its snapshot. */
export function* removeRecord(cri: Cri, c: CriContainer): Gen<void> {
  yield cri.service(
    'ctrd.Containers.Delete',
    `Containers.Delete(${short(c.id)}…)`,
    { id: c.id },
    'cri.ctrd.Containers.Delete',
  );
  yield cri.call('Storage', 'storage.remove', `overlayfs Remove(${c.snapshotKey.slice(0, 25)}…)`, {
    payload: { driver: 'overlayfs', key: c.snapshotKey },
  });
  cri.state.containers.delete(c.id);
}

export function* removeContainer(cri: Cri, req: Message): OperationProgram {
  const { c } = containerOf(cri, req);
  // RemoveContainer is idempotent: a container already gone is no error.
  if (!c) return cri.reply(req, 'OK (no such container)', {});
  if (c.state === 'running')
    return cri.fail(req, 'FailedPrecondition', `container "${c.id}" is running, stop it first`);
  yield* removeRecord(cri, c);
  cri.reply(req, 'OK', {});
}

/**
 * The event monitor's TaskExit handling (events.go handleContainerExit, podsandbox
 * handleSandboxTaskExit): delete the task, record the exit, wake whoever waits for it.
 */
export function* handleTaskExit(cri: Cri, id: string, exitStatus: number): OperationProgram {
  const c = cri.state.containers.get(id);
  const sb = cri.state.sandboxes.get(id);
  if (!c && !sb) return;
  yield cri.service(
    'ctrd.Tasks.Delete',
    `Tasks.Delete(${short(id)}…)`,
    { id },
    sb ? 'cri.ctrd.Tasks.Delete.sandbox' : 'cri.ctrd.Tasks.Delete',
    { params: { code: exitStatus } },
  );
  if (c) {
    c.state = 'exited';
    c.exitCode = exitStatus;
    c.finishedMs = cri.now();
  }
  if (sb) sb.state = 'notready';
  cri.state.waiters.notify(`stopped:${id}`, exitStatus);
}
