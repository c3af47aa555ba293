import { createActor, type AnyActorRef, type AnyStateMachine } from 'xstate';
import { builderMachine } from '../layers/builder/builderMachine.ts';
import { cliMachine } from '../layers/cli/cliMachine.ts';
import { containerdMachine } from '../layers/containerd/containerdMachine.ts';
import { dockerdMachine } from '../layers/dockerd/dockerdMachine.ts';
import { kernelMachine } from '../layers/kernel/kernelMachine.ts';
import { kubeletMachine } from '../layers/kubelet/kubeletMachine.ts';
import { networkMachine } from '../layers/network/networkMachine.ts';
import type { LayerInput, Ports } from '../layers/ports.ts';
import { draft } from '../layers/post.ts';
import { registryMachine } from '../layers/registry/registryMachine.ts';
import { runcMachine } from '../layers/runc/runcMachine.ts';
import { shimMachine } from '../layers/shim/shimMachine.ts';
import { storageMachine } from '../layers/storage/storageMachine.ts';
import { vmMachine } from '../layers/vm/vmMachine.ts';
import type { Layer } from '../model/participants.ts';
import type { Profile } from '../model/trace.ts';
import { VirtualClock } from '../wire/clock.ts';
import { randomName, SeededIds } from '../wire/ids.ts';
import { Wire } from '../wire/wire.ts';
import { findImage } from './catalogue/index.ts';
import { SimContentStore } from './contentStore.ts';
import { SimLogStore } from './logs.ts';
import { SimBridge } from './network.ts';
import { SimCni } from './cni.ts';
import { CatalogueRegistry } from './registry.ts';
import { FaultyRegistry, registryFaults } from './faults.ts';
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
  ports: Ports;
  actors: Record<Layer, AnyActorRef>;
}

export function simPorts(clock: VirtualClock, ids: SeededIds): Ports {
  let pid = 4000 + ids.int(0, 999);
  const ports: Ports = {
    registry: new CatalogueRegistry(() => `eyJhbGciOiJSUzI1NiJ9.${ids.hex(32)}`),
    content: new SimContentStore(),
    snapshotter: new SimSnapshotter('overlayfs', '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs', (n) => `snapshots/${n}`),
    graphdriver: new SimSnapshotter('overlay2', '/var/lib/docker/overlay2', () => ids.hex(25)),
    network: new SimBridge({ name: 'docker0', id: ids.hex(64), subnet: '172.17.0.0/16', gateway: '172.17.0.1' }, () => ids.hex(7)),
    cni: new SimCni(undefined, (n) => ids.hex(n)),
    runtime: new SimRuntime(clock, () => (pid += ids.int(1, 40)), (reference) => {
      const image = findImage(reference);
      return { name: image?.name ?? 'unknown', executables: image?.executables ?? [] };
    }),
    logs: new SimLogStore(),
    clock: {
      now: () => clock.now(),
      setTimeout: (fn, ms) => Number(clock.setTimeout(fn, ms)),
      clearTimeout: (id) => clock.clearTimeout(id),
    },
    ids: { id64: () => ids.id64(), hex: (n) => ids.hex(n), name: () => randomName(ids), pid: () => (pid += ids.int(1, 40)) },
  };
  return ports;
}

export function createSimWorld(options: WorldOptions): World {
  const clock = new VirtualClock();
  const ids = new SeededIds(options.seed);
  const wire = new Wire(clock);
  const ports = simPorts(clock, ids);
  const broken = registryFaults(options.faults ?? []);
  if (broken.length > 0) ports.registry = new FaultyRegistry(ports.registry, broken);
  const input: LayerInput = { wire, ports, profile: options.profile };
  const actors = {} as Record<Layer, AnyActorRef>;
  for (const [layer, machine] of Object.entries(MACHINES) as [Layer, AnyStateMachine][]) {
    const actor = createActor(machine, { input, clock });
    actor.start();
    actors[layer] = actor;
    wire.register(layer, actor);
  }
  ports.runtime.subscribe((event) => {
    const call = event.type === 'output' ? `write(${event.stream === 'stdout' ? 1 : 2}, ${JSON.stringify(event.text.slice(0, 40))})` : event.type === 'oom' ? 'memory.events: oom_kill 1' : `SIGCHLD → wait4(${event.pid}) = ${event.status}`;
    wire.event(draft('Kernel', 'shim', `kernel.${event.type}`, call, { payload: event as never }));
  });
  return { wire, clock, ports, actors };
}
