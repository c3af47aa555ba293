// An OCI bundle (runtime-spec bundle.md): a directory whose config.json describes the container,
// with Docker's defaults as dockerd 20.10 writes them (moby v20.10.24 oci/defaults.go,
// oci/caps/defaults.go, daemon/oci_linux.go): the default capability set as bounding, effective
// and permitted (inheritable empty since the CVE-2022-24769 fix), the default mounts with
// /dev/shm sized 64 MiB, masked and read-only /proc and /sys paths, the device cgroup rules
// (deny all, then null, zero, full, random, urandom, tty, console, ptmx; deny rtc), and
// mount, network, uts, pid and ipc namespaces (cgroup too when asked: Docker's default on a
// cgroup v2 host), the two network sysctls of a private network namespace, the primary group
// among the additional ones. runc adds the default devices itself. `linux.cgroupsPath` is always set:
// without it runc puts the container in `/<id>` (REFERENCE.md, "Shims and runc").
// Security options as dockerd sets them: Docker's default seccomp profile filtered for the
// capabilities and this host (seccomp.ts; daemon/seccomp_linux.go WithSeccomp), none with
// `seccomp=unconfined`; `noNewPrivileges` only with `--security-opt no-new-privileges`
// (daemon/oci_linux.go createSpec); the AppArmor profile `docker-default` only on a host where
// AppArmor is enabled (WithApparmor), where dockerd also loads that profile into the kernel.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostSecurity, type HostSecurity } from './hostSecurity.ts';
import { DEFAULT_SECCOMP_PROFILE, seccompFor, type SeccompProfile } from './seccomp.ts';
import { MASKED_PATHS, READONLY_PATHS } from '../../src/model/ociDefaults.ts';

export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
] as const;

const NETWORK_SYSCTLS = {
  'net.ipv4.ip_unprivileged_port_start': '0',
  'net.ipv4.ping_group_range': '0 2147483647',
};

/** dockerd's default --shm-size. */
const SHM_SIZE = 64 * 1024 * 1024;

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface BundleOptions {
  /** The root file system's path (an overlay snapshot's mount, or any directory). */
  rootfs: string;
  args: string[];
  /** Defaults to Docker's PATH for a container whose image sets none, and HOSTNAME. */
  env?: string[];
  cwd?: string;
  hostname?: string;
  user?: { uid: number; gid: number; additionalGids?: number[] };
  terminal?: boolean;
  readonlyRootfs?: boolean;
  /** Required: where runc puts the container (`/dockstep/<id>` with the cgroupfs driver). */
  cgroupsPath: string;
  /** Bytes. */
  memoryLimit?: number;
  /** CPU quota and period in microseconds (`--cpus 1.5` is 150000/100000). */
  cpuQuota?: number;
  cpuPeriod?: number;
  pidsLimit?: number;
  /** A network namespace to join (a bind-mounted netns file); a new one when undefined. */
  netns?: string;
  /** The host's network (`--network host`): no network namespace, no network sysctls. */
  hostNetwork?: boolean;
  /** A private cgroup namespace (Docker's default on cgroup v2). */
  cgroupns?: boolean;
  /** More mounts after the defaults (binds of /etc/hosts, resolv.conf, hostname, volumes). */
  mounts?: OciMount[];
  /** The process's capabilities (bounding, effective, permitted): Docker's 14 when undefined;
   * `--cap-add`/`--cap-drop` change them, and the seccomp rules follow them. */
  capabilities?: readonly string[];
  /** `--security-opt seccomp=…`: a profile, or 'unconfined'; Docker's default profile when undefined. */
  seccompProfile?: SeccompProfile | 'unconfined';
  /** `--security-opt no-new-privileges`; off by default, as in Docker. */
  noNewPrivileges?: boolean;
  /** `--security-opt apparmor=…`; used only where AppArmor is enabled (docker-default by default). */
  appArmorProfile?: string;
  /** The host facts the security defaults depend on; this host's when undefined. */
  host?: HostSecurity;
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function defaultMounts(): OciMount[] {
  const m = (destination: string, type: string, source: string, options: string[]): OciMount => ({
    destination,
    type,
    source,
    options,
  });
  return [
    m('/proc', 'proc', 'proc', ['nosuid', 'noexec', 'nodev']),
    m('/dev', 'tmpfs', 'tmpfs', ['nosuid', 'strictatime', 'mode=755', 'size=65536k']),
    m('/dev/pts', 'devpts', 'devpts', [
      'nosuid',
      'noexec',
      'newinstance',
      'ptmxmode=0666',
      'mode=0620',
      'gid=5',
    ]),
    m('/sys', 'sysfs', 'sysfs', ['nosuid', 'noexec', 'nodev', 'ro']),
    m('/sys/fs/cgroup', 'cgroup', 'cgroup', ['ro', 'nosuid', 'noexec', 'nodev']),
    m('/dev/mqueue', 'mqueue', 'mqueue', ['nosuid', 'noexec', 'nodev']),
    m('/dev/shm', 'tmpfs', 'shm', ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${SHM_SIZE}`]),
  ];
}

function deviceRules(): object[] {
  const allow = (major: number, minor: number): object => ({
    allow: true,
    type: 'c',
    major,
    minor,
    access: 'rwm',
  });
  return [
    { allow: false, access: 'rwm' },
    allow(1, 5),
    allow(1, 3),
    allow(1, 9),
    allow(1, 8),
    allow(5, 0),
    allow(5, 1),
    { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' },
  ];
}

function resources(o: BundleOptions): object {
  return {
    devices: deviceRules(),
    ...(o.memoryLimit === undefined ? {} : { memory: { limit: o.memoryLimit } }),
    ...(o.cpuQuota === undefined ? {} : { cpu: { quota: o.cpuQuota, period: o.cpuPeriod ?? 100_000 } }),
    ...(o.pidsLimit === undefined ? {} : { pids: { limit: o.pidsLimit } }),
  };
}

function processSection(o: BundleOptions, host: HostSecurity): object {
  const caps = [...(o.capabilities ?? DEFAULT_CAPABILITIES)];
  const gid = o.user?.gid ?? 0;
  return {
    terminal: o.terminal ?? false,
    // dockerd always lists the primary group among the additional ones (daemon/oci_linux.go getUser).
    user: { uid: o.user?.uid ?? 0, gid, additionalGids: o.user?.additionalGids ?? [gid] },
    args: o.args,
    env: o.env ?? [DEFAULT_PATH, ...(o.hostname === undefined ? [] : [`HOSTNAME=${o.hostname}`])],
    cwd: o.cwd ?? '/',
    capabilities: { bounding: caps, effective: caps, permitted: caps },
    ...(host.appArmor ? { apparmorProfile: o.appArmorProfile ?? 'docker-default' } : {}),
    ...(o.noNewPrivileges === true ? { noNewPrivileges: true } : {}),
    oomScoreAdj: 0,
  };
}

/** The spec's `linux.seccomp`, or undefined for an unconfined container. */
function seccompSection(o: BundleOptions, host: HostSecurity): object | undefined {
  if (o.seccompProfile === 'unconfined') return undefined;
  return seccompFor(
    o.seccompProfile ?? DEFAULT_SECCOMP_PROFILE,
    o.capabilities ?? DEFAULT_CAPABILITIES,
    host,
  );
}

/** The config.json object for `o`, Docker's defaults filled in. */
export function dockerSpec(o: BundleOptions): object {
  const host = o.host ?? hostSecurity();
  const seccomp = seccompSection(o, host);
  const network = o.netns === undefined ? { type: 'network' } : { type: 'network', path: o.netns };
  const namespaces: object[] = [
    { type: 'mount' },
    ...(o.hostNetwork === true ? [] : [network]),
    { type: 'uts' },
    { type: 'pid' },
    { type: 'ipc' },
    ...(o.cgroupns === true ? [{ type: 'cgroup' }] : []),
  ];
  return {
    ociVersion: '1.0.2-dev',
    process: processSection(o, host),
    root: { path: o.rootfs, readonly: o.readonlyRootfs ?? false },
    hostname: o.hostname ?? '',
    mounts: [...defaultMounts(), ...(o.mounts ?? [])],
    linux: {
      // A private network namespace gets dockerd's two sysctls: ICMP echo sockets and ports
      // under 1024 without capabilities (daemon/oci_linux.go WithSysctls, 20.10).
      ...(o.hostNetwork === true ? {} : { sysctl: NETWORK_SYSCTLS }),
      resources: resources(o),
      cgroupsPath: o.cgroupsPath,
      namespaces,
      ...(seccomp === undefined ? {} : { seccomp }),
      maskedPaths: [...MASKED_PATHS],
      readonlyPaths: [...READONLY_PATHS],
    },
  };
}

/** Writes BUNDLE/config.json; answers its path. The bundle directory must exist. */
export async function writeBundle(bundle: string, o: BundleOptions): Promise<string> {
  const path = join(bundle, 'config.json');
  await writeFile(path, JSON.stringify(dockerSpec(o), null, 2));
  return path;
}
