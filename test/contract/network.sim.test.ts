import { SimBridge } from '../../src/sim/network.ts';
import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeNetworkContract } from './network.contract.ts';

describeNetworkContract(
  'sim: SimBridge docker0 (simPorts().network)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).network,
  {
    skip: {
      'an exhausted subnet refuses endpoints until an address is released':
        'not applicable: docker0 is 172.17.0.0/16, 65533 free addresses, too many to exhaust in a unit test; ' +
        'the /24 run below covers exhaustion.',
    },
  },
);

// SimBridge takes its bridge as a constructor argument; a user-defined /24 bridge, built the way
// simPorts builds docker0, must follow the same contract.
describeNetworkContract('sim: SimBridge on a user-defined 10.99.0.0/24 bridge', () => {
  const ids = new SeededIds(2);
  return new SimBridge(
    { name: 'br-contract', id: ids.hex(64), subnet: '10.99.0.0/24', gateway: '10.99.0.1' },
    () => ids.hex(7),
  );
});
