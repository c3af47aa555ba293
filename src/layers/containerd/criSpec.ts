import type { JsonObject } from '../../model/json.ts';
import type { OciNamespace, OciSpec } from '../../model/oci.ts';
import type { CriImage, CriSandbox } from './criState.ts';

/**
 * The OCI specs the CRI plugin writes for a pod (containerd 2.2): the sandbox's
 * (podsandbox/sandbox_run_linux.go sandboxContainerSpec) and each container's
 * (container_create_linux.go). The sandbox container runs the pause image's entrypoint with a
 * read-only root, in new PID, IPC, UTS and mount namespaces and in the network namespace the
 * plugin created and CNI configured. A container joins the sandbox's network, IPC and UTS
 * namespaces through the pause process (`/proc/<pid>/ns/net`, opts.WithPodNamespaces), keeps a
 * PID namespace of its own (the kubelet's default, NamespaceMode CONTAINER) and, on cgroup v2,
 * a cgroup namespace. Both carry the `io.kubernetes.cri.*` annotations; the shim groups a pod's
 * tasks by `io.kubernetes.cri.sandbox-id`.
 * https://github.com/containerd/containerd/blob/v2.2.0/internal/cri/opts/spec_opts.go
 */
const CRI_ROOT = '/run/containerd/io.containerd.grpc.v1.cri';
const CRI_STATE = '/var/lib/containerd/io.containerd.grpc.v1.cri';

/** getCgroupsPath: with the systemd driver, `slice:cri-containerd:id`. */
export function cgroupsPath(parent: string, id: string): string {
  return parent.endsWith('.slice') ? `${parent}:cri-containerd:${id}` : `${parent}/${id}`;
}

const processArgs = (image: CriImage, command: string[], args: string[]): string[] => {
  const cfg = image.config.config ?? {};
  // customopts.WithProcessArgs: the CRI command replaces the entrypoint, args replace the cmd.
  if (command.length > 0) return [...command, ...args];
  return [...(cfg.Entrypoint ?? []), ...(args.length > 0 ? args : (cfg.Cmd ?? []))];
};

/** oci.WithEnv: later values replace earlier ones of the same name, in place. */
function withEnv(base: string[], more: string[]): string[] {
  const out = [...base];
  for (const kv of more) {
    const key = kv.split('=')[0] ?? '';
    const at = out.findIndex((e) => e.split('=')[0] === key);
    if (at >= 0) out[at] = kv;
    else out.push(kv);
  }
  return out;
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const BASE_MOUNTS: OciSpec['mounts'] = [
  { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
  {
    destination: '/dev',
    type: 'tmpfs',
    source: 'tmpfs',
    options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
  },
  { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
];

function annotations(sb: CriSandbox, extra: Record<string, string>): Record<string, string> {
  return {
    'io.kubernetes.cri.sandbox-id': sb.id,
    'io.kubernetes.cri.sandbox-namespace': sb.metadata.namespace,
    'io.kubernetes.cri.sandbox-uid': sb.metadata.uid,
    'io.kubernetes.cri.sandbox-name': sb.metadata.name,
    ...extra,
  };
}

export function sandboxSpec(sb: CriSandbox, image: CriImage, imageName: string): OciSpec {
  const cfg = image.config.config ?? {};
  const [uid = 0, gid = uid] = (cfg.User ?? '0').split(':').map(Number);
  return {
    ociVersion: '1.2.1',
    process: {
      terminal: false,
      user: { uid, gid },
      args: processArgs(image, [], []),
      env: withEnv([DEFAULT_PATH], cfg.Env ?? []),
      cwd: cfg.WorkingDir || '/',
    },
    root: { path: 'rootfs', readonly: true },
    hostname: sb.hostname,
    annotations: annotations(sb, {
      'io.kubernetes.cri.sandbox-log-directory': sb.logDirectory,
      'io.kubernetes.cri.podsandbox.image-name': imageName,
      'io.kubernetes.cri.container-type': 'sandbox',
    }),
    mounts: [
      ...BASE_MOUNTS,
      {
        destination: '/dev/shm',
        type: 'bind',
        source: `${CRI_ROOT}/sandboxes/${sb.id}/shm`,
        options: ['rbind', 'ro', 'nosuid', 'nodev', 'noexec'],
      },
    ],
    linux: {
      namespaces: [
        { type: 'pid' },
        { type: 'ipc' },
        { type: 'uts' },
        { type: 'mount' },
        { type: 'network', path: sb.netns },
      ],
      cgroupsPath: cgroupsPath(sb.cgroupParent, sb.id),
      resources: {},
      maskedPaths: ['/proc/kcore', '/proc/keys', '/sys/firmware'],
      readonlyPaths: ['/proc/bus', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

export interface ContainerInput {
  id: string;
  name: string;
  image: CriImage;
  imageName: string;
  command: string[];
  args: string[];
  env: string[];
  podUid: string;
}

/** The files a pod's containers share: the kubelet's /etc/hosts, the sandbox's hostname and resolv.conf. */
function containerMounts(sb: CriSandbox, c: ContainerInput): OciSpec['mounts'] {
  const bind = (destination: string, source: string, ro = false) => ({
    destination,
    type: 'bind',
    source,
    options: ['rbind', 'rprivate', ro ? 'ro' : 'rw'],
  });
  return [
    ...BASE_MOUNTS,
    bind('/etc/hosts', `/var/lib/kubelet/pods/${c.podUid}/etc-hosts`),
    bind(
      '/dev/termination-log',
      `/var/lib/kubelet/pods/${c.podUid}/containers/${c.name}/${c.id.slice(0, 8)}`,
    ),
    bind('/etc/hostname', `${CRI_STATE}/sandboxes/${sb.id}/hostname`),
    bind('/etc/resolv.conf', `${CRI_STATE}/sandboxes/${sb.id}/resolv.conf`),
    bind('/dev/shm', `${CRI_ROOT}/sandboxes/${sb.id}/shm`),
    bind(
      '/var/run/secrets/kubernetes.io/serviceaccount',
      `/var/lib/kubelet/pods/${c.podUid}/volumes/kubernetes.io~projected/kube-api-access`,
      true,
    ),
  ];
}

export function containerSpec(sb: CriSandbox, c: ContainerInput): OciSpec {
  const cfg = c.image.config.config ?? {};
  const pod = `/proc/${sb.pid}/ns`;
  const namespaces: OciNamespace[] = [
    { type: 'pid' },
    { type: 'ipc', path: `${pod}/ipc` },
    { type: 'uts', path: `${pod}/uts` },
    { type: 'mount' },
    { type: 'network', path: `${pod}/net` },
    { type: 'cgroup' },
  ];
  return {
    ociVersion: '1.2.1',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: processArgs(c.image, c.command, c.args),
      env: withEnv(withEnv([DEFAULT_PATH, `HOSTNAME=${sb.hostname}`], cfg.Env ?? []), c.env),
      cwd: cfg.WorkingDir || '/',
    },
    root: { path: 'rootfs', readonly: false },
    hostname: sb.hostname,
    annotations: annotations(sb, {
      'io.kubernetes.cri.container-name': c.name,
      'io.kubernetes.cri.image-name': c.imageName,
      'io.kubernetes.cri.container-type': 'container',
    }),
    mounts: containerMounts(sb, c),
    linux: {
      namespaces,
      cgroupsPath: cgroupsPath(sb.cgroupParent, c.id),
      resources: {},
      maskedPaths: ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/sys/firmware'],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

export const specJson = (spec: OciSpec): JsonObject => spec as unknown as JsonObject;
