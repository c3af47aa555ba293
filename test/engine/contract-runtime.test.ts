// The runtime's contract (test/contract/runtime.contract.ts) against a real adapter: there is
// none yet. The real runtime is runc driven by containerd-shim-runc-v2, which comes with real
// containers; the engine's world still gives the machines the simulated runtime
// (engine/real/world.ts). The cases are listed here, each pending with that reason.
import { noAdapter } from '../contract/harness.ts';
import { describeRuntimeContract, type RuntimeFixture } from '../contract/runtime.contract.ts';
import { realSuite } from './helpers/caps.ts';

realSuite('the real runtime', [], () => {
  describeRuntimeContract('real: runc under a real shim', noAdapter<RuntimeFixture>('OciRuntime'), {
    pending:
      'no real adapter yet: the engine runs no runc and no shim (real containers are a later issue); its world uses the simulated runtime (engine/real/world.ts)',
  });
});
