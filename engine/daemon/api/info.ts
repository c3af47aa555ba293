// GET /info: `docker info`'s server part, served by the machines (gateway.ts): the dockerd
// machine's info operation counts the images as dockerd does, with containerd's Images.List
// (moby daemon/info.go SystemInfo → the image service's CountImages), and its containers; the
// engine answers with that and the facts of its own host, limited to what is true of this
// engine — images only, an overlayfs snapshotter, no swarm, no plugins (moby api/types/system
// Info). The root is the engine's --root.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { hostPlatform } from '../../image/platform.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../src/model/json.ts';
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';
import { ENGINE_VERSION } from './version.ts';

/** The host's PRETTY_NAME from os-release, as dockerd's OperatingSystem shows it (os-release(5)). */
function operatingSystem(): string {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      const m = /^PRETTY_NAME=(?:"([^"]*)"|(.*))$/m.exec(readFileSync(path, 'utf8'));
      if (m !== null) return m[1] ?? m[2] ?? os.type();
    } catch {
      // try the next one
    }
  }
  return os.type();
}

const count = (machines: JsonObject, field: string): number =>
  typeof machines[field] === 'number' ? machines[field] : 0;

/** The engine's answer: the machines' counts, this host's facts. */
function engineInfo(rootDir: string, answered: JsonValue): JsonObject {
  const machines: JsonObject = isJsonObject(answered) ? answered : {};
  return {
    ID: '',
    Name: os.hostname(),
    Containers: count(machines, 'Containers'),
    ContainersRunning: count(machines, 'ContainersRunning'),
    ContainersPaused: count(machines, 'ContainersPaused'),
    ContainersStopped: count(machines, 'ContainersStopped'),
    Images: count(machines, 'Images'),
    Driver: 'overlayfs',
    DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']],
    DockerRootDir: rootDir,
    Plugins: { Volume: null, Network: null, Authorization: null, Log: null },
    MemoryLimit: false,
    SwapLimit: false,
    Debug: false,
    NFd: 0,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: '',
    CgroupDriver: '',
    NEventsListener: 0,
    KernelVersion: os.release(),
    OperatingSystem: operatingSystem(),
    OSType: 'linux',
    Architecture: hostPlatform().architecture,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: null,
    NCPU: os.cpus().length,
    MemTotal: os.totalmem(),
    ServerVersion: ENGINE_VERSION,
    Labels: [],
    ExperimentalBuild: false,
    Swarm: {
      LocalNodeState: 'inactive',
      ControlAvailable: false,
      NodeID: '',
      NodeAddr: '',
      RemoteManagers: null,
    },
    Warnings: null,
  };
}

export const routes: Route[] = [
  {
    method: 'GET',
    path: '/info',
    handler: (call) =>
      throughMachines({ op: 'api.info', finish: (answered) => engineInfo(call.engine.root.root, answered) })(
        call,
      ),
  },
];
