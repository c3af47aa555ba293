import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeCniContract } from './cni.contract.ts';

describeCniContract(
  'sim: SimCni containerd-net (simPorts().cni)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).cni,
);
