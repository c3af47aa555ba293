// The log store's contract (test/contract/logs.contract.ts) against a real adapter: there is none.
// A real container's output is copied from its FIFOs into `<id>-json.log` by the engine's
// json-file logger (engine/logs/, engine/real/tasks.ts) and read back by the logs work effect
// (engine/real/logs.ts), outside this port; the world still gives the machines the simulated log
// store (engine/real/world.ts). Real logs are checked in test/engine/logs-file.test.ts and
// containers.test.ts. The cases are listed here, each pending with that reason.
import type { LogStore } from '../../src/ports/logs.ts';
import { noAdapter } from '../contract/harness.ts';
import { describeLogStoreContract } from '../contract/logs.contract.ts';
import { realSuite } from './helpers/caps.ts';

realSuite('the real log store', [], () => {
  describeLogStoreContract('real: json-file logs of real containers', noAdapter<LogStore>('LogStore'), {
    pending:
      'no real adapter: real json-file logs are written and read by the engine’s logger and work effects outside this port (engine/logs/, engine/real/logs.ts), checked in test/engine/logs-file.test.ts and containers.test.ts',
  });
});
