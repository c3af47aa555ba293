// The layer machines of the engine's world with their real effects: the same definitions as the
// simulation's, other implementations (`machine.provide({ actors })`). Without real tasks (no run
// directory) the container half stays the simulation's.
import type { AnyStateMachine } from 'xstate';
import { containerdMachine } from '../../src/layers/containerd/containerdMachine.ts';
import { dockerdMachine } from '../../src/layers/dockerd/dockerdMachine.ts';
import { storedState } from '../../src/layers/dockerd/ops/containerFiles.ts';
import { networkMachine } from '../../src/layers/network/networkMachine.ts';
import { operationMachine } from '../../src/layers/operation.ts';
import { registryMachine } from '../../src/layers/registry/registryMachine.ts';
import { runcMachine } from '../../src/layers/runc/runcMachine.ts';
import { shimMachine } from '../../src/layers/shim/shimMachine.ts';
import { storageMachine } from '../../src/layers/storage/storageMachine.ts';
import type { Layer } from '../../src/model/participants.ts';
import { MACHINES } from '../../src/sim/world.ts';
import type { ImageRoot } from '../image/root.ts';
import type { BridgeNetwork } from '../net/index.ts';
import { realWork } from './archive.ts';
import { realArchiveWorks } from './containerFiles.ts';
import { realExportWorks } from './containerExport.ts';
import { realImportWorks } from './imageImport.ts';
import type { ContainerStore } from './containerStore.ts';
import { realContentEffects } from './content.ts';
import { realExecWorks } from './exec.ts';
import { realLogWorks } from './logs.ts';
import { realNetworkEffects } from './network.ts';
import type { UserBridges } from './networkUser.ts';
import { restartResolvers } from './networkDns.ts';
import { releaseStaleEndpoints } from './networkSweep.ts';
import { realReconnectEffects } from './reconnect.ts';
import { realRegistryEffects } from './registry.ts';
import { realRuntimeEffects } from './runtime.ts';
import type { RootScope } from './rootedEffect.ts';
import type { RealSession } from './session.ts';
import { realStorageEffects } from './storage.ts';
import type { RealTasks } from './tasks.ts';
import { realVolumeWorks } from './volumes.ts';

/** What the real effects reach in the world that provides them. */
export interface WorldParts {
  root: ImageRoot;
  tasks: RealTasks | undefined;
  network: BridgeNetwork | undefined;
  /** The user-defined networks (`docker network create`), beside the engine's bridge. */
  userNetworks: UserBridges | undefined;
  containers: ContainerStore;
  /** Where dockerd's own work mounts a container's snapshot for a moment. */
  scratch: string;
  /** The session of the operation a request belongs to. */
  sessionOf: (requestId: number) => RealSession;
  /** The session of the operation whose root request this is. */
  sessionAt: (root: number | undefined) => RealSession;
  /** The bridge, its chains and its IPAM state, made once. */
  bridge: () => Promise<unknown>;
  /** The request running now (the wire): a real effect's end is told within its request's work. */
  roots: RootScope;
}

/** The machines with their real effects. */
export function realMachines(world: WorldParts): Record<Layer, AnyStateMachine> {
  const { tasks, network, root, scratch, sessionOf } = world;
  return {
    ...MACHINES,
    ...(tasks === undefined ? {} : containerMachines(tasks, network, world)),
    Registry: registryMachine.provide({ actors: realRegistryEffects(sessionOf) }),
    Storage: storageMachine.provide({ actors: realStorageEffects(sessionOf, { tasks, scratch }) }),
    containerd: containerdMachine.provide({ actors: realContentEffects(sessionOf, root) }),
    dockerd: dockerdMachine.provide({
      actors: {
        operation: operationMachine.provide({
          actors: {
            work: realWork(
              world.sessionAt,
              {
                ...(tasks === undefined ? {} : { ...realLogWorks(tasks), ...realExecWorks(tasks) }),
                ...realVolumeWorks(root, scratch),
                ...realImportWorks(),
                ...(tasks === undefined ? {} : realArchiveWorks(root, tasks, scratch)),
                ...(tasks === undefined ? {} : realExportWorks(root, tasks, scratch)),
                loadContainers: async () => ({ containers: await world.containers.loadAll() }),
                // libnetwork's store read back, each bridge set up again (networkUser.ts).
                loadNetworks: async () => {
                  await world.bridge();
                  const networks = (await world.userNetworks?.load()) ?? [];
                  // The endpoints of containers a killed engine left half started go (networkSweep.ts).
                  const released = await releaseStaleEndpoints(networksOf(world), await aliveIds(world));
                  if (world.userNetworks !== undefined) await restartResolvers(world.userNetworks);
                  return { networks, released: released.map((r) => ({ ...r })) };
                },
              },
              world.roots,
            ),
          },
        }),
      },
    }),
  };
}

/** Every network of the engine with its name: its bridge, then the user-defined ones. */
function networksOf(world: WorldParts): [string, BridgeNetwork][] {
  if (world.userNetworks !== undefined) return world.userNetworks.all();
  return world.network === undefined ? [] : [['bridge', world.network]];
}

/** The containers written as running or paused: their endpoints stay. */
async function aliveIds(world: WorldParts): Promise<Set<string>> {
  const files = await world.containers.loadAll();
  const alive = files.filter((f) => ['running', 'paused'].includes(storedState(f)));
  return new Set(alive.map((f) => String(f.config.ID)));
}

/** The shim, runc and Network machines on real shims and the engine's bridge. */
function containerMachines(
  tasks: RealTasks,
  network: BridgeNetwork | undefined,
  world: WorldParts,
): Partial<Record<Layer, AnyStateMachine>> {
  const runtime = realRuntimeEffects(tasks);
  return {
    shim: shimMachine.provide({ actors: { ...runtime.shim, ...realReconnectEffects(tasks) } }),
    runc: runcMachine.provide({ actors: runtime.runc }),
    ...(network === undefined
      ? {}
      : {
          Network: networkMachine.provide({
            actors: realNetworkEffects(network, {
              containersDir: tasks.containerDir(''),
              ready: world.bridge,
              ...(world.userNetworks === undefined ? {} : { user: world.userNetworks }),
            }),
          }),
        }),
  };
}
