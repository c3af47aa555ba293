import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeContentStoreContract } from './contentStore.contract.ts';

describeContentStoreContract(
  'sim: SimContentStore (simPorts().content)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).content,
);
