import type { JsonObject } from '../../model/json.ts';
import type { Effect } from '../operation.ts';
import { asReply, short, type Kubelet, type PodRecord } from './kubelet.ts';
import { containerConfig, pullPolicy, sandboxConfig, withDefaultTag } from './podConfig.ts';

/**
 * What the kubelet's pod worker does for one pod, through CRI (kuberuntime_manager.go SyncPod,
 * kuberuntime_container.go startContainer and killContainer, images/image_manager.go):
 *
 * - a new pod: RunPodSandbox, PodSandboxStatus (for the pod's IP), then for each container
 *   EnsureImageExists — ImageStatus, and PullImage as the pull policy says — then ImageStatus
 *   of the image as the spec names it (getImageUser, for runAsNonRoot), CreateContainer,
 *   StartContainer;
 * - a deleted pod: StopContainer with the grace period for each container, StopPodSandbox;
 *   later the pod container deletor removes the exited containers (RemoveContainer) and the
 *   garbage collector the sandbox (RemovePodSandbox).
 */
type Gen<T> = Generator<Effect, T, unknown>;

const body = (value: unknown): JsonObject => (value as { payload?: JsonObject }).payload ?? {};

function* ensureImage(k: Kubelet, pod: PodRecord, config: JsonObject): Gen<string | undefined> {
  const image = withDefaultTag(pod.image);
  const status = asReply(
    yield k.cri(
      'cri.ImageStatus',
      `ImageService/ImageStatus(${image})`,
      { image: { image }, verbose: false },
      { params: { image }, phase: 'phase.cri.image' },
    ),
  );
  const present = status.ok && body(status).image !== null && body(status).image !== undefined;
  const policy = pullPolicy(pod.image);
  if (present && policy === 'IfNotPresent') return String((body(status).image as JsonObject).id ?? '');
  const pulled = asReply(
    yield k.cri(
      'cri.PullImage',
      `ImageService/PullImage(${image})`,
      { image: { image }, sandbox_config: config },
      { params: { image, policy } },
    ),
  );
  if (!pulled.ok) {
    pod.status = 'ErrImagePull';
    return undefined;
  }
  return String(body(pulled).image_ref ?? '');
}

/** startContainer: image, then CreateContainer and StartContainer. */
function* startContainer(k: Kubelet, pod: PodRecord, sandboxId: string, config: JsonObject): Gen<void> {
  const imageRef = yield* ensureImage(k, pod, config);
  if (imageRef === undefined) return;
  // generateContainerConfig → getImageUser(container.Image): the image as the pod spec names it.
  yield k.cri(
    'cri.ImageStatus',
    `ImageService/ImageStatus(${pod.image})`,
    { image: { image: pod.image }, verbose: false },
    { narration: 'cri.ImageStatus.user', params: { image: pod.image } },
  );
  const created = asReply(
    yield k.cri(
      'cri.CreateContainer',
      `RuntimeService/CreateContainer(${short(sandboxId)}…, ${pod.name}, image=${imageRef.slice(7, 19)})`,
      { pod_sandbox_id: sandboxId, config: containerConfig(pod, imageRef), sandbox_config: config },
      { params: { name: pod.name }, phase: 'phase.cri.container' },
    ),
  );
  if (!created.ok) {
    pod.status = 'CreateContainerError';
    return;
  }
  pod.containerId = String(body(created).container_id ?? '');
  const started = asReply(
    yield k.cri('cri.StartContainer', `RuntimeService/StartContainer(${short(pod.containerId)}…)`, {
      container_id: pod.containerId,
    }),
  );
  if (!started.ok) {
    pod.status = 'RunContainerError';
    return;
  }
  pod.status = 'Running';
  pod.ready = true;
}

export function* syncPod(k: Kubelet, pod: PodRecord): Gen<void> {
  const config = sandboxConfig(pod);
  pod.status = 'ContainerCreating';
  const run = asReply(
    yield k.cri(
      'cri.RunPodSandbox',
      `RuntimeService/RunPodSandbox(${pod.name}, namespace=${pod.namespace})`,
      { config, runtime_handler: '' },
      { params: { pod: pod.name }, phase: 'phase.cri.sandbox' },
    ),
  );
  if (!run.ok) return;
  const sandboxId = String(body(run).pod_sandbox_id ?? '');
  pod.sandboxId = sandboxId;
  const status = asReply(
    yield k.cri('cri.PodSandboxStatus', `RuntimeService/PodSandboxStatus(${short(sandboxId)}…)`, {
      pod_sandbox_id: sandboxId,
      verbose: false,
    }),
  );
  pod.ip = String(
    ((body(status).status as JsonObject | undefined)?.network as JsonObject | undefined)?.ip ?? '',
  );
  yield* startContainer(k, pod, sandboxId, config);
}

/** killPodWithSyncResult: stop the containers (with the grace period), then the sandbox. */
export function* killPod(k: Kubelet, pod: PodRecord, graceSeconds: number): Gen<void> {
  if (pod.containerId !== undefined) {
    yield k.cri(
      'cri.StopContainer',
      `RuntimeService/StopContainer(${short(pod.containerId)}…, timeout=${graceSeconds})`,
      { container_id: pod.containerId, timeout: graceSeconds },
      { params: { seconds: graceSeconds }, phase: 'phase.cri.stop' },
    );
  }
  if (pod.sandboxId !== undefined) {
    yield k.cri(
      'cri.StopPodSandbox',
      `RuntimeService/StopPodSandbox(${short(pod.sandboxId)}…)`,
      { pod_sandbox_id: pod.sandboxId },
      { phase: 'phase.cri.sandboxStop' },
    );
  }
}

/** The pod container deletor (on PLEG's ContainerDied) and the garbage collector's sandbox eviction. */
export function* removePod(k: Kubelet, pod: PodRecord): Gen<void> {
  if (pod.containerId !== undefined) {
    yield k.cri(
      'cri.RemoveContainer',
      `RuntimeService/RemoveContainer(${short(pod.containerId)}…)`,
      { container_id: pod.containerId },
      { phase: 'phase.cri.remove' },
    );
  }
  if (pod.sandboxId !== undefined) {
    yield k.cri('cri.RemovePodSandbox', `RuntimeService/RemovePodSandbox(${short(pod.sandboxId)}…)`, {
      pod_sandbox_id: pod.sandboxId,
    });
  }
}
