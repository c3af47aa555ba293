// The network driver's contract (test/contract/network.contract.ts) against a real adapter: there
// is none. This port is synchronous; the real bridge driver (engine/net: a Linux bridge, a veth pair
// per endpoint, a network namespace, IPAM, iptables rules) is asynchronous and works through the
// Network machine's effects (engine/real/network.ts), checked by test/engine/net*.test.ts against
// the kernel. The cases are listed here, each pending with that reason.
import type { NetworkDriver } from '../../src/ports/network.ts';
import { noAdapter } from '../contract/harness.ts';
import { describeNetworkContract } from '../contract/network.contract.ts';
import { realSuite } from './helpers/caps.ts';

realSuite('the real network driver', [], () => {
  describeNetworkContract(
    'real: a bridge, veth pairs and namespaces on the host',
    noAdapter<NetworkDriver>('NetworkDriver'),
    {
      pending:
        'no synchronous real adapter: the real bridge (engine/net) is driven by the Network machine’s effects (engine/real/network.ts), checked in test/engine/net*.test.ts',
    },
  );
});
