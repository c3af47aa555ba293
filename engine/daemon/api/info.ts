// GET /info: `docker info`'s server part, limited to what is true of this engine — images
// only, an overlayfs snapshotter, no containers, no swarm, no plugins (moby api/types/system
// Info). Counts are live; the root is the engine's --root.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { hostPlatform } from '../../image/platform.ts';
import type { Call, Route } from '../context.ts';
import { sendJson } from '../http.ts';
import { imagesById } from '../names.ts';
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

function info(call: Call): void {
  const { root } = call.engine;
  sendJson(call.res, 200, {
    ID: '',
    Name: os.hostname(),
    Containers: 0,
    ContainersRunning: 0,
    ContainersPaused: 0,
    ContainersStopped: 0,
    Images: imagesById(root).size,
    Driver: 'overlayfs',
    DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']],
    DockerRootDir: root.root,
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
  });
}

export const routes: Route[] = [{ method: 'GET', path: '/info', handler: info }];
