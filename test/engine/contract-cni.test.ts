// The CNI network's contract (test/contract/cni.contract.ts) against a real adapter: there is
// none yet. The real one would run containerd's CNI plugins (bridge, host-local, portmap) for a
// pod, which comes with the CRI; the engine's containers use its own bridge (engine/net/), and
// CNI serves only the simulated Kubernetes. The cases are listed here, each pending with that reason.
import type { CniNetwork } from '../../src/ports/cni.ts';
import { describeCniContract } from '../contract/cni.contract.ts';
import { noAdapter } from '../contract/harness.ts';
import { realSuite } from './helpers/caps.ts';

realSuite('the real CNI network', [], () => {
  describeCniContract(
    'real: the bridge and host-local plugins on this host',
    noAdapter<CniNetwork>('CniNetwork'),
    {
      pending:
        'no real adapter yet: the engine runs no CNI plugin and makes no pod namespace (its containers use its own bridge through iproute2 and iptables, engine/net/); CNI serves only the simulated Kubernetes',
    },
  );
});
