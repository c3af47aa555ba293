import { createActor, type AnyActorRef, type AnyStateMachine } from 'xstate';
import { builderMachine } from '../layers/builder/builderMachine.ts';
import { cliMachine } from '../layers/cli/cliMachine.ts';
import { containerdMachine } from '../layers/containerd/containerdMachine.ts';
import { dockerdMachine } from '../layers/dockerd/dockerdMachine.ts';
import { kernelMachine } from '../layers/kernel/kernelMachine.ts';
import { kubeletMachine } from '../layers/kubelet/kubeletMachine.ts';
import { networkMachine } from '../layers/network/networkMachine.ts';
import type { LayerInput, Ports } from '../layers/ports.ts';
import type { DaemonConfig } from '../layers/dockerd/daemon.ts';
import { draft } from '../layers/post.ts';
import { registryMachine } from '../layers/registry/registryMachine.ts';
import { runcMachine } from '../layers/runc/runcMachine.ts';
import { shimMachine } from '../layers/shim/shimMachine.ts';
import { storageMachine } from '../layers/storage/storageMachine.ts';
import { vmMachine } from '../layers/vm/vmMachine.ts';
import type { Layer } from '../model/participants.ts';
import type { Platform } from '../model/platform.ts';
import type { HostFiles } from '../ports/hostFiles.ts';
import type { ProcessEvent } from '../ports/runtime.ts';
import type { MessageDraft } from '../model/message.ts';
import type { Profile } from '../model/trace.ts';
import { cgroupHost, cgroupNarration } from '../model/cgroupHost.ts';
import { VirtualClock } from '../wire/clock.ts';
import { randomName, SeededIds } from '../wire/ids.ts';
import { Wire } from '../wire/wire.ts';
import { Scheduler } from '../wire/scheduler.ts';
import { findImage, footprintOf } from './catalogue/index.ts';
import { SimContentStore } from './contentStore.ts';
import { SimHostFiles } from './hostFiles.ts';
import { SimLogStore } from './logs.ts';
import { SimBridge } from './network.ts';
import { dnsViewOf, SimNetworks } from './networks.ts';
import { SimCni } from './cni.ts';
import { CatalogueRegistry } from './registry.ts';
import {
  BusyPortsNetwork,
  FaultyRegistry,
  faultsOf,
  FullDiskSnapshotter,
  ignoredSignals,
  type FaultSwitch,
} from './faults.ts';
import { signalNumber } from '../model/signals.ts';
import type { Fault } from '../model/faults.ts';
import { SimRuntime } from './runtime.ts';
import { SimSnapshotter } from './snapshotter.ts';

/**
 * A simulated world: every layer machine started on one wire, one virtual clock and one seed,
 * with the simulated ports. `createSimWorld` is the only place that knows which adapters the
 * simulation uses; real mode builds the same machines with its own ports.
 */
export interface WorldOptions {
  seed: number;
  profile: Profile;
  /** Faults the simulated adapters inject (lessons); none by default. */
  faults?: readonly Fault[];
  /** dockerd's configuration; live-restore off by default, as in Docker. */
  daemon?: DaemonConfig;
  /** Where Docker runs (model/platform.ts); `linux` by default. */
  platform?: Platform;
  /** The host's files (absolute path → text) and working directory, for `docker build`. */
  files?: Readonly<Record<string, string>>;
  cwd?: string;
}

export const MACHINES: Record<Layer, AnyStateMachine> = {
  kubelet: kubeletMachine,
  CLI: cliMachine,
  VM: vmMachine,
  dockerd: dockerdMachine,
  Builder: builderMachine,
  Registry: registryMachine,
  containerd: containerdMachine,
  shim: shimMachine,
  runc: runcMachine,
  Storage: storageMachine,
  Network: networkMachine,
  Kernel: kernelMachine,
};

export interface World {
  wire: Wire;
  clock: VirtualClock;
  /** The one owner of delivery, with its gate (wire/scheduler.ts). */
  scheduler: Scheduler;
  ports: Ports;
  actors: Record<Layer, AnyActorRef>;
  /** Whether a lesson's faults are in force (off while its world is built). */
  faults: FaultSwitch;
}

/** What a world adds to the simulated ports: a lesson's faults (and their switch), the host's files. */
export interface PortOptions {
  faults?: readonly Fault[];
  on?: FaultSwitch;
  files?: HostFiles;
  /** Whose texts a fault speaks in (a busy port: 20.10's docker-proxy or Engine 29's own bind). */
  profile?: Profile;
}

export function simPorts(
  clock: VirtualClock,
  ids: SeededIds,
  { faults = [], on = { armed: true }, files = new SimHostFiles(), profile = 'v29' }: PortOptions = {},
): Ports {
  let pid = 4000 + ids.int(0, 999);
  const ignored = faultsOf(faults, 'process');
  const ports: Ports = {
    registry: new CatalogueRegistry(() => `eyJhbGciOiJSUzI1NiJ9.${ids.hex(32)}`),
    content: new SimContentStore(),
    snapshotter: new SimSnapshotter(
      'overlayfs',
      '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs',
      (n) => `snapshots/${n}`,
    ),
    graphdriver: new SimSnapshotter('overlay2', '/var/lib/docker/overlay2', () => ids.hex(25)),
    network: new SimNetworks(
      new SimBridge(
        { name: 'docker0', id: ids.hex(64), subnet: '172.17.0.0/16', gateway: '172.17.0.1' },
        () => ids.hex(7),
        () => ids.hex(64),
      ),
      () => ids.hex(7),
      () => ids.hex(64),
    ),
    cni: new SimCni(undefined, (n) => ids.hex(n)),
    runtime: new SimRuntime(
      clock,
      () => (pid += ids.int(1, 40)),
      (reference) => {
        const image = findImage(reference);
        return { name: image?.name ?? 'unknown', executables: image?.executables ?? [] };
      },
      (image) => ignoredSignals(ignored, image).flatMap((name) => signalNumber(name) ?? []),
      (containerId) => dnsViewOf(ports.network, containerId),
    ),
    logs: new SimLogStore(),
    clock: {
      now: () => clock.now(),
      setTimeout: (fn, ms) => Number(clock.setTimeout(fn, ms)),
      clearTimeout: (id) => clock.clearTimeout(id),
    },
    ids: {
      id64: () => ids.id64(),
      hex: (n) => ids.hex(n),
      name: () => randomName(ids),
      pid: () => (pid += ids.int(1, 40)),
    },
    files,
  };
  return withFaults(ports, faults, ids, on, profile);
}

/** The ports as a lesson's faults break them (model/faults.ts); untouched without faults. */
function withFaults(
  ports: Ports,
  faults: readonly Fault[],
  ids: SeededIds,
  on: FaultSwitch,
  profile: Profile,
): Ports {
  const registry = faultsOf(faults, 'registry');
  if (registry.length > 0) ports.registry = new FaultyRegistry(ports.registry, registry, on);
  const [disk] = faultsOf(faults, 'disk');
  if (disk) {
    ports.snapshotter = new FullDiskSnapshotter(ports.snapshotter, disk, footprintOf, on);
    ports.graphdriver = new FullDiskSnapshotter(ports.graphdriver, disk, footprintOf, on);
  }
  const busy = faultsOf(faults, 'port');
  if (busy.length > 0)
    ports.network = new BusyPortsNetwork(ports.network, busy, () => ids.hex(64), on, profile);
  return ports;
}

export function createSimWorld(options: WorldOptions): World {
  const clock = new VirtualClock();
  const ids = new SeededIds(options.seed);
  const wire = new Wire(clock);
  const faults: FaultSwitch = { armed: true };
  const ports = simPorts(clock, ids, {
    faults: options.faults ?? [],
    on: faults,
    files: new SimHostFiles(options.files ?? {}, options.cwd ?? '/'),
    profile: options.profile,
  });
  const input: LayerInput = {
    wire,
    ports,
    profile: options.profile,
    ...(options.daemon ? { daemonConfig: options.daemon } : {}),
    ...(options.platform === 'desktop' ? { platform: options.platform } : {}),
  };
  const actors = startLayers(input, clock);
  return { wire, clock, scheduler: new Scheduler(wire, clock), ports, actors, faults };
}

/**
 * Start every layer machine on one wire. Real mode passes the same machines with its own
 * actions provided (`machine.provide()`), so both modes run one set of machines.
 */
export function startLayers(
  input: LayerInput,
  clock: VirtualClock,
  machines: Record<Layer, AnyStateMachine> = MACHINES,
): Record<Layer, AnyActorRef> {
  const actors = {} as Record<Layer, AnyActorRef>;
  for (const [layer, machine] of Object.entries(machines) as [Layer, AnyStateMachine][]) {
    const actor = createActor(machine, { input, clock });
    actor.start();
    actors[layer] = actor;
    input.wire.register(layer, actor);
  }
  input.ports.runtime.subscribe((event) => input.wire.event(kernelEvent(event, input.profile)));
  return actors;
}

/**
 * A process's DNS query: on a user-defined network the packet to 127.0.0.11:53 is redirected
 * (iptables DNAT in the container's namespace) to the socket dockerd's embedded DNS server
 * listens on there, so dockerd answers it (ops/dns.ts); on the default bridge it goes to the
 * host's nameserver, which has never heard of a container.
 */
function dnsQuery(
  event: Extract<ProcessEvent, { type: 'dns' }>,
  payload: { payload: never },
): Omit<MessageDraft, 'kind'> {
  if (event.embedded)
    return draft(
      'Kernel',
      'dockerd',
      'dns.query',
      `UDP ${event.server}:53 (DNAT → dockerd's resolver in the netns): A ${event.name}?`,
      { ...payload, params: { name: event.name } },
    );
  const answer = event.answer ?? 'NXDOMAIN';
  return draft(
    'Kernel',
    'Kernel',
    'dns.query.host',
    `UDP ${event.server}:53 (the host's nameserver): A ${event.name}? → ${answer}`,
    {
      ...payload,
      params: { name: event.name, server: event.server, answer },
    },
  );
}

/**
 * Where a process's effects go: its output to whoever holds its stdio, its exit to its parent,
 * its file writes into its writable layer. A shim holds both for the containers it runs; under a
 * foreground `runc run` the stdio is runc's caller's (only BuildKit's executor runs RUN steps so)
 * and runc is the parent.
 */
function kernelEvent(event: ProcessEvent, profile: Profile): Omit<MessageDraft, 'kind'> {
  const op = `kernel.${event.type}`;
  const payload = { payload: event as never };
  if (event.type === 'file') {
    return draft(
      'Kernel',
      'Storage',
      op,
      `write(${JSON.stringify(event.path)}, ${event.bytes} bytes) → upper dir`,
      { ...payload, params: { path: event.path, bytes: event.bytes } },
    );
  }
  if (event.type === 'dns') return dnsQuery(event, payload);
  const call =
    event.type === 'output'
      ? `write(${event.stream === 'stdout' ? 1 : 2}, ${JSON.stringify(event.text.slice(0, 40))})`
      : event.type === 'oom'
        ? cgroupHost(profile).oom
        : `SIGCHLD → wait4(${event.pid}) = ${event.status}`;
  const words = event.type === 'oom' ? cgroupNarration(op, profile) : undefined;
  if (!event.foreground)
    return draft('Kernel', 'shim', op, call, { ...payload, ...(words ? { narration: words } : {}) });
  return draft('Kernel', event.type === 'output' ? 'Builder' : 'runc', op, call, {
    ...payload,
    narration: `${op}.foreground`,
  });
}
