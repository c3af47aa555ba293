// The log store's contract (test/contract/logs.contract.ts) against a real adapter: there is none
// yet. Logs are what a container's process writes, kept by dockerd's json-file driver; the engine
// runs no container yet, and its world still gives the machines the simulated log store
// (engine/real/world.ts). The cases are listed here, each pending with that reason, so the real
// adapter that comes with real containers has its suite waiting.
import type { LogStore } from '../../src/ports/logs.ts';
import { noAdapter } from '../contract/harness.ts';
import { describeLogStoreContract } from '../contract/logs.contract.ts';
import { realSuite } from './helpers/caps.ts';

realSuite('the real log store', [], () => {
  describeLogStoreContract('real: json-file logs of real containers', noAdapter<LogStore>('LogStore'), {
    pending:
      'no real adapter yet: the engine runs no container, so nothing writes json-file logs (real containers are a later issue); its world uses the simulated log store (engine/real/world.ts)',
  });
});
