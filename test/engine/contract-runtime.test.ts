// The runtime's contract (test/contract/runtime.contract.ts) against a real adapter: there is
// none. Real containers run runc under containerd-shim-runc-v2, but through the shim and runc
// machines' effects (engine/real/runtime.ts, tasks.ts), asynchronously, not through this
// synchronous port; the world keeps the simulated runtime in its ports for the process model
// only (engine/real/world.ts). The real runtime is checked in test/engine/containers.test.ts,
// exec.test.ts and reliability.test.ts. The cases are listed here, each pending with that reason.
import { noAdapter } from '../contract/harness.ts';
import { describeRuntimeContract, type RuntimeFixture } from '../contract/runtime.contract.ts';
import { realSuite } from './helpers/caps.ts';

realSuite('the real runtime', [], () => {
  describeRuntimeContract('real: runc under a real shim', noAdapter<RuntimeFixture>('OciRuntime'), {
    pending:
      'no synchronous real adapter: real containers run runc under the real shim through the shim and runc machines’ effects (engine/real/runtime.ts), checked in test/engine/containers.test.ts, exec.test.ts and reliability.test.ts',
  });
});
