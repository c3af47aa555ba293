import type { JsonObject } from '../../model/json.ts';
import { TERMINATION_GRACE_SECONDS, type PodRecord } from './kubelet.ts';

/**
 * The CRI messages the kubelet builds for a pod (kuberuntime_sandbox.go
 * generatePodSandboxConfig, kuberuntime_container.go generateContainerConfig), as protobuf
 * field names. A pod made by `kubectl run` asks for no resources, so it is BestEffort and its
 * cgroup parent, with the systemd driver kubeadm configures, is
 * `kubepods-besteffort-pod<uid with _>.slice`. The pod shares the node's default DNS (the
 * cluster's kube-dns Service at 10.96.0.10) and gets the `kubernetes` Service's environment
 * variables (enableServiceLinks).
 */
const CLUSTER_DNS = '10.96.0.10';
const KUBERNETES_SERVICE = '10.96.0.1';

export function cgroupParent(pod: PodRecord): string {
  return `kubepods-besteffort-pod${pod.uid.replace(/-/g, '_')}.slice`;
}

export function podLogDirectory(pod: PodRecord): string {
  return `/var/log/pods/${pod.namespace}_${pod.name}_${pod.uid}`;
}

function podLabels(pod: PodRecord): Record<string, string> {
  return {
    'io.kubernetes.pod.name': pod.name,
    'io.kubernetes.pod.namespace': pod.namespace,
    'io.kubernetes.pod.uid': pod.uid,
    run: pod.name,
  };
}

export function sandboxConfig(pod: PodRecord): JsonObject {
  return {
    metadata: { name: pod.name, uid: pod.uid, namespace: pod.namespace, attempt: 0 },
    hostname: pod.name,
    log_directory: podLogDirectory(pod),
    dns_config: {
      servers: [CLUSTER_DNS],
      searches: [`${pod.namespace}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'],
      options: ['ndots:5'],
    },
    labels: podLabels(pod),
    annotations: { 'kubernetes.io/config.source': 'api' },
    linux: {
      cgroup_parent: cgroupParent(pod),
      security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
  };
}

/** The `kubernetes` Service's variables, docker-link style (pkg/kubelet/envvars). */
const SERVICE_ENV: readonly [string, string][] = [
  ['KUBERNETES_SERVICE_HOST', KUBERNETES_SERVICE],
  ['KUBERNETES_SERVICE_PORT', '443'],
  ['KUBERNETES_SERVICE_PORT_HTTPS', '443'],
  ['KUBERNETES_PORT', `tcp://${KUBERNETES_SERVICE}:443`],
  ['KUBERNETES_PORT_443_TCP', `tcp://${KUBERNETES_SERVICE}:443`],
  ['KUBERNETES_PORT_443_TCP_PROTO', 'tcp'],
  ['KUBERNETES_PORT_443_TCP_PORT', '443'],
  ['KUBERNETES_PORT_443_TCP_ADDR', KUBERNETES_SERVICE],
];

export function containerConfig(pod: PodRecord, imageRef: string): JsonObject {
  const env = [
    ...SERVICE_ENV,
    ...pod.env.map((e): [string, string] => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  ];
  return {
    metadata: { name: pod.name, attempt: 0 },
    image: { image: imageRef, user_specified_image: pod.image },
    command: [],
    args: pod.args,
    envs: env.map(([key, value]) => ({ key, value })),
    log_path: `${pod.name}/0.log`,
    stdin: false,
    tty: false,
    labels: { 'io.kubernetes.container.name': pod.name, ...podLabels(pod) },
    annotations: {
      'io.kubernetes.container.restartCount': '0',
      'io.kubernetes.container.terminationMessagePath': '/dev/termination-log',
      'io.kubernetes.container.terminationMessagePolicy': 'File',
      'io.kubernetes.pod.terminationGracePeriod': String(TERMINATION_GRACE_SECONDS),
    },
    linux: {
      resources: { cpu_period: 100000, cpu_shares: 2, oom_score_adj: 1000 },
      security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
  };
}

/**
 * images.applyDefaultImageTag: a name without tag or digest gets `:latest`, without the
 * docker.io prefix (the CRI stays agnostic of default registries).
 */
export function withDefaultTag(image: string): string {
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return image.includes('@') || lastPart.includes(':') ? image : `${image}:latest`;
}

/** The API server's default imagePullPolicy: Always for `:latest` (or no tag), else IfNotPresent. */
export function pullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return !lastPart.includes(':') || lastPart.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}
