import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeRegistryContract } from './registry.contract.ts';

// The catalogue is Docker Hub: the contract's default target (registry-1.docker.io, library/busybox:latest).
describeRegistryContract(
  'sim: CatalogueRegistry (simPorts().registry)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).registry,
);
