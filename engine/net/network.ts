// One bridge network of the engine: its configuration, its state (IPAM and endpoints, store.ts)
// and the lock that orders changes to that state. The operations take it as their first argument.
import { netConfig, type NetConfig, type NetOptions } from './config.ts';
import { Serial, type NetState } from './store.ts';

export class BridgeNetwork {
  readonly cfg: NetConfig;
  readonly serial = new Serial();
  /** Loaded (or made) by ensureBridge; the operations need the bridge up. */
  state: NetState | undefined;

  constructor(options: NetOptions) {
    this.cfg = netConfig(options);
  }

  ready(): NetState {
    if (this.state === undefined)
      throw new Error(`network ${this.cfg.bridge} is not set up: ensureBridge first`);
    return this.state;
  }
}
