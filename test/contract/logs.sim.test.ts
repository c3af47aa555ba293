import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeLogStoreContract } from './logs.contract.ts';

describeLogStoreContract(
  'sim: SimLogStore (simPorts().logs)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).logs,
);
