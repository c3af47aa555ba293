// A real world: the simulation's layer machines, started on one wire, with the image half's
// effects provided for real (`machine.provide()`): the registry answers from the network, the
// storage driver and containerd's content and image stores work on the engine's root. The
// container half (runtime, network, logs) is still the simulation's; containers follow.
import type { AnyStateMachine } from 'xstate';
import { containerdMachine } from '../../src/layers/containerd/containerdMachine.ts';
import type { LayerInput } from '../../src/layers/ports.ts';
import { registryMachine } from '../../src/layers/registry/registryMachine.ts';
import { storageMachine } from '../../src/layers/storage/storageMachine.ts';
import type { Layer } from '../../src/model/participants.ts';
import { MACHINES, simPorts, startLayers } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { Wire } from '../../src/wire/wire.ts';
import { realContentActions } from './content.ts';
import { realServeRequest } from './registry.ts';
import type { RealSession } from './session.ts';
import { realStorageActions } from './storage.ts';
import { RealContentView, RealSnapshotView } from './views.ts';

export interface RealWorld {
  wire: Wire;
  /** Virtual time that the driver keeps level with the wall clock (driver.ts). */
  clock: VirtualClock;
  session: RealSession;
}

/** The machines with their real actions: the same definitions, other implementations. */
function realMachines(session: RealSession): Record<Layer, AnyStateMachine> {
  return {
    ...MACHINES,
    Registry: registryMachine.provide({ actions: { serveRequest: realServeRequest(session) } }),
    Storage: storageMachine.provide({ actions: realStorageActions(session) }),
    containerd: containerdMachine.provide({ actions: realContentActions(session) }),
  };
}

export function createRealWorld(session: RealSession, options: { maxConcurrentDownloads?: number } = {}): RealWorld {
  const clock = new VirtualClock(Date.now());
  const wire = new Wire(clock);
  const ids = new SeededIds(Number.parseInt(session.id.slice(0, 8), 16));
  const ports = simPorts(clock, ids);
  ports.content = new RealContentView(session.root);
  ports.snapshotter = new RealSnapshotView(session.root, (key) => session.holdSnapshot(key));
  // The engine's snapshotter can rebase, so its pulls unpack layers side by side.
  const input: LayerInput = { wire, ports, profile: 'v29', daemonConfig: { liveRestore: false, parallelUnpack: true, ...options } };
  startLayers(input, clock, realMachines(session));
  return { wire, clock, session };
}
