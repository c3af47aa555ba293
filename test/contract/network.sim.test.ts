import { SimBridge } from '../../src/sim/network.ts';
import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeNetworkContract } from './network.contract.ts';

const DUPLICATE_ENDPOINT =
  'sim bug: SimBridge.createEndpoint for a container that already has an endpoint allocates a second ' +
  'address and replaces the first endpoint; the first address is never released (after deleteEndpoint it ' +
  'stays taken: 172.17.0.2 leaks). libnetwork refuses a second endpoint of a container on a network.';
const SUBNET_IGNORED =
  'sim bug: SimBridge ignores the subnet it is given: createEndpoint always hands out ' +
  '172.17.<n/256>.<n%256> with prefixLen 16 and MAC 02:42:ac:11:…, whatever bridge.subnet says (here ' +
  '10.99.0.0/24), and never stops at the end of the subnet (no "no available IPv4 addresses" error).';

describeNetworkContract(
  'sim: SimBridge docker0 (simPorts().network)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).network,
  {
    skip: {
      'a second endpoint for the same container fails and keeps the first': DUPLICATE_ENDPOINT,
      'an exhausted subnet refuses endpoints until an address is released':
        'not applicable: docker0 is 172.17.0.0/16, 65533 free addresses, too many to exhaust in a unit test; ' +
        'the /24 run below covers exhaustion.',
    },
  },
);

// SimBridge takes its bridge as a constructor argument; a user-defined /24 bridge, built the way
// simPorts builds docker0, must follow the same contract.
describeNetworkContract(
  'sim: SimBridge on a user-defined 10.99.0.0/24 bridge',
  () => {
    const ids = new SeededIds(2);
    return new SimBridge(
      { name: 'br-contract', id: ids.hex(64), subnet: '10.99.0.0/24', gateway: '10.99.0.1' },
      () => ids.hex(7),
    );
  },
  {
    skip: {
      'a second endpoint for the same container fails and keeps the first': DUPLICATE_ENDPOINT,
      'an endpoint gets an address of the subnet, the bridge’s gateway and prefix': SUBNET_IGNORED,
      'up to 300 endpoints share no address, MAC or veth, and never get a reserved address': SUBNET_IGNORED,
      'addresses are handed out lowest free first, skipping the gateway': SUBNET_IGNORED,
      'an exhausted subnet refuses endpoints until an address is released': SUBNET_IGNORED,
    },
  },
);
