import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { Profile } from '../../../model/trace.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { listImages } from './imageLookup.ts';

/**
 * `GET /version` and `GET /info` (moby daemon/info.go, api/types/system). The simulated engine
 * says what it models. Profile classic is the engine whose behaviour the fixtures recorded:
 * dockerd 20.10.24 with containerd 1.6.20 and runc 1.1.5, API 1.41 (moby v20.10.24
 * api/common.go DefaultVersion; test/fixtures/real-engine/VERSIONS.txt). Profile v29 is Docker
 * Engine 29.0.0: API 1.52, minimum 1.44 (moby docker-v29.0.0 daemon/config/config.go
 * MaxAPIVersion, defaultMinAPIVersion), built with containerd v2.1.5 and runc v1.3.3 (its
 * Dockerfile CONTAINERD_VERSION, RUNC_VERSION).
 * https://docs.docker.com/reference/api/engine/version/v1.52/#tag/System
 */
interface EngineModel {
  engine: string;
  api: string;
  minApi: string;
  containerd: string;
  runc: string;
  init: string;
  storageDriver: string;
  driverStatus: [string, string][];
  /**
   * The host's cgroups: the recorded 20.10 ran on a cgroup v1 host with the cgroupfs driver
   * (test/fixtures/real-engine). Engine 29 is modelled on a cgroup v2 host, where dockerd's
   * default driver is systemd (moby docker-v29.0.0 daemon/daemon_unix.go UsingSystemd: on a
   * unified cgroup v2 host booted with systemd), which makes each container a `docker-ID.scope` under system.slice, as the
   * runc narration shows.
   */
  cgroupDriver: 'cgroupfs' | 'systemd';
  cgroupVersion: '1' | '2';
}

const MODELS: Record<Profile, EngineModel> = {
  classic: {
    engine: '20.10.24',
    api: '1.41',
    minApi: '1.12',
    containerd: '1.6.20',
    runc: '1.1.5',
    init: '0.19.0',
    storageDriver: 'overlay2',
    driverStatus: [
      ['Backing Filesystem', 'extfs'],
      ['Supports d_type', 'true'],
      ['Native Overlay Diff', 'true'],
      ['userxattr', 'false'],
    ],
    cgroupDriver: 'cgroupfs',
    cgroupVersion: '1',
  },
  v29: {
    // Engine 29 refuses API versions below 1.44 (its release notes: "requires API version v1.44").
    engine: '29.0.0',
    api: '1.52',
    minApi: '1.44',
    containerd: '2.1.5',
    runc: '1.3.3',
    init: '0.19.0',
    storageDriver: 'overlayfs',
    driverStatus: [['driver-type', 'io.containerd.snapshotter.v1']],
    cgroupDriver: 'systemd',
    cgroupVersion: '2',
  },
};

/** The Engine API version the profile's daemon speaks (its `Api-Version` header). */
export function apiVersion(profile: Profile): string {
  return MODELS[profile].api;
}

/** The engine's version string (`docker_version` in the configs the legacy builder writes). */
export function engineVersion(profile: Profile): string {
  return MODELS[profile].engine;
}

const KERNEL = '6.1.0';
/** The simulated host: the process model's 16 GiB (src/sim/process/driver.ts), 2 CPUs. */
/** The simulated host's memory: `docker info`'s Total Memory, a container's limit when it has none. */
export const HOST_MEMORY = 16 * 1024 ** 3;
const HOST = { cpus: 2, memory: HOST_MEMORY, name: 'dockstep' };

/** Nothing here is a real build: the details say so instead of inventing commits and dates. */
const SIMULATED = 'dockstep (simulated)';

export function* version(d: Daemon, req: Message): OperationProgram {
  const m = MODELS[d.profile];
  const engineDetails = {
    ApiVersion: m.api,
    Arch: 'amd64',
    BuildTime: SIMULATED,
    Experimental: 'false',
    GitCommit: SIMULATED,
    GoVersion: SIMULATED,
    KernelVersion: KERNEL,
    MinAPIVersion: m.minApi,
    Os: 'linux',
  };
  const component = (Name: string, Version: string): JsonObject => ({
    Name,
    Version,
    Details: { GitCommit: SIMULATED },
  });
  d.reply(
    req,
    200,
    {
      Platform: { Name: `dockstep simulated engine (profile ${d.profile})` },
      Components: [
        { Name: 'Engine', Version: m.engine, Details: engineDetails },
        component('containerd', m.containerd),
        component('runc', m.runc),
        component('docker-init', m.init),
      ],
      Version: m.engine,
      ApiVersion: m.api,
      MinAPIVersion: m.minApi,
      GitCommit: SIMULATED,
      GoVersion: SIMULATED,
      Os: 'linux',
      Arch: 'amd64',
      KernelVersion: KERNEL,
      BuildTime: SIMULATED,
    },
    { params: { version: m.engine } },
  );
  yield* [];
}

export function* info(d: Daemon, req: Message): OperationProgram {
  const m = MODELS[d.profile];
  const images = yield* listImages(d);
  const states = [...d.containers.values()].map((c) => c.actor.getSnapshot());
  const paused = states.filter((s) => s.matches({ running: 'paused' })).length;
  const running = states.filter((s) => s.matches('running')).length - paused;
  d.reply(
    req,
    200,
    {
      ID: daemonId(d),
      Containers: states.length,
      ContainersRunning: running,
      ContainersPaused: paused,
      ContainersStopped: states.length - running - paused,
      Images: new Set(images.map((i) => i.id)).size,
      Driver: m.storageDriver,
      DriverStatus: m.driverStatus,
      LoggingDriver: 'json-file',
      CgroupDriver: m.cgroupDriver,
      CgroupVersion: m.cgroupVersion,
      Plugins: {
        Volume: ['local'],
        Network: ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'],
        Authorization: null,
        Log: [
          'awslogs',
          'fluentd',
          'gcplogs',
          'gelf',
          'journald',
          'json-file',
          'local',
          'logentries',
          'splunk',
          'syslog',
        ],
      },
      Swarm: {
        NodeID: '',
        NodeAddr: '',
        LocalNodeState: 'inactive',
        ControlAvailable: false,
        Error: '',
        RemoteManagers: null,
      },
      Runtimes: { 'io.containerd.runc.v2': { path: 'runc' }, runc: { path: 'runc' } },
      DefaultRuntime: 'runc',
      InitBinary: 'docker-init',
      ContainerdCommit: { ID: m.containerd },
      RuncCommit: { ID: m.runc },
      InitCommit: { ID: m.init },
      SecurityOptions: ['name=seccomp,profile=default'],
      KernelVersion: KERNEL,
      OperatingSystem: 'dockstep simulated host',
      OSType: 'linux',
      Architecture: 'x86_64',
      NCPU: HOST.cpus,
      MemTotal: HOST.memory,
      Name: HOST.name,
      DockerRootDir: '/var/lib/docker',
      Debug: false,
      ExperimentalBuild: false,
      ServerVersion: m.engine,
      IndexServerAddress: 'https://index.docker.io/v1/',
      RegistryConfig: { InsecureRegistryCIDRs: ['127.0.0.0/8'], IndexConfigs: {}, Mirrors: [] },
      LiveRestoreEnabled: false,
      Labels: [],
      Warnings: null,
    },
    { params: { containers: states.length } },
  );
}

/**
 * The engine ID: 20.10 shows a libtrust key id (12 groups of 4 base32 characters); it is drawn
 * from the bridge network id here, so asking costs no random draw and stays the same.
 */
function daemonId(d: Daemon): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const hex = d.ports.network.bridge.id;
  const chars = [...hex.slice(0, 48)].map((h, i) => alphabet[(parseInt(h, 16) * 2 + (i % 2)) % 32] ?? 'A');
  const groups: string[] = [];
  for (let i = 0; i < 48; i += 4) groups.push(chars.slice(i, i + 4).join(''));
  return groups.join(':');
}
