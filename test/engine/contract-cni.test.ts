// The CNI network's contract (test/contract/cni.contract.ts) against a real adapter: there is
// none yet. The real one runs containerd's CNI plugins (bridge, host-local, portmap) for a pod,
// which comes with real containers and the CRI; the engine's world still gives the machines the
// simulated network (engine/real/world.ts). The cases are listed here, each pending with that reason.
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
        'no real adapter yet: the engine runs no CNI plugin and makes no pod namespace (real containers are a later issue); its world uses the simulated network (engine/real/world.ts)',
    },
  );
});
