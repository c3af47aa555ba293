// The network driver's contract (test/contract/network.contract.ts) against a real adapter: there
// is none yet. The bridge driver's work (a Linux bridge, a veth pair per endpoint, a network
// namespace, IPAM, iptables rules) comes with real containers; the engine's world still gives the
// machines the simulated bridge (engine/real/world.ts). The cases are listed here, each pending
// with that reason.
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
        'no real adapter yet: the engine makes no bridge, veth pair or network namespace (real containers are a later issue); its world uses the simulated bridge (engine/real/world.ts)',
    },
  );
});
