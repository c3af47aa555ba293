import type { ClockPort, IdsPort } from '../ports/clock.ts';
import type { CniNetwork } from '../ports/cni.ts';
import type { ContentStore } from '../ports/contentStore.ts';
import type { HostFiles } from '../ports/hostFiles.ts';
import type { LogStore } from '../ports/logs.ts';
import type { NetworkDriver } from '../ports/network.ts';
import type { RegistryTransport } from '../ports/registry.ts';
import type { OciRuntime } from '../ports/runtime.ts';
import type { Snapshotter } from '../ports/snapshotter.ts';
import type { Platform } from '../model/platform.ts';
import type { Profile } from '../model/trace.ts';
import type { Wire } from '../wire/wire.ts';
import type { DaemonConfig } from './dockerd/daemon.ts';

/** Every port a world needs; the simulation provides all of them from `src/sim`. */
export interface Ports {
  registry: RegistryTransport;
  content: ContentStore;
  /** containerd's overlayfs snapshotter (profile v29). */
  snapshotter: Snapshotter;
  /** dockerd's overlay2 graphdriver (profile classic). */
  graphdriver: Snapshotter;
  network: NetworkDriver;
  /** The CNI network containerd's CRI plugin attaches pods to (Kubernetes nodes, no dockerd). */
  cni: CniNetwork;
  runtime: OciRuntime;
  logs: LogStore;
  clock: ClockPort;
  ids: IdsPort;
  /** The host's files the CLI reads (`docker build`'s context). */
  files: HostFiles;
}

/** What every layer machine gets as input: the wire to talk on, its ports, the profile. */
export interface LayerInput {
  wire: Wire;
  ports: Ports;
  profile: Profile;
  /** dockerd's configuration (/etc/docker/daemon.json); defaults when absent. */
  daemonConfig?: DaemonConfig;
  /** Where Docker runs (model/platform.ts); `linux` when absent. */
  platform?: Platform;
}
