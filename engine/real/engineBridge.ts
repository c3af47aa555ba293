// The engine's bridge network, named and identified at the engine's start (as dockerd's `bridge`
// network is): its own bridge device and iptables chains beside a real Docker's docker0.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { BridgeNetwork } from '../net/index.ts';
import { netConfig } from '../net/config.ts';

/**
 * The engine's bridge: `dockstep0` and the DOCKSTEP chains, or for another bridge name chains
 * named after it, so two engines on one host (the test suites) never share rules.
 */
export function engineBridge(root: string, bridge: string | undefined): BridgeNetwork {
  const id = networkId(root, bridge ?? 'dockstep0');
  if (bridge === undefined) return new BridgeNetwork({ root, id });
  const chain = `DS-${bridge
    .toUpperCase()
    .replace(/[^A-Z0-9_-]/g, '-')
    .slice(0, 14)}`;
  return new BridgeNetwork({ root, bridge, chain, id });
}

/**
 * The bridge network's id from the engine's start, as dockerd's `bridge` network has it: the one
 * its state recorded, or a new one that the bridge keeps when it is set up. `network connect`
 * events name it, the first container's too.
 */
function networkId(root: string, bridge: string): string {
  try {
    const state: unknown = JSON.parse(readFileSync(netConfig({ root, bridge }).stateFile, 'utf8'));
    if (typeof state === 'object' && state !== null && 'id' in state && typeof state.id === 'string')
      return state.id;
  } catch {
    // No state yet: a new network.
  }
  return randomBytes(32).toString('hex');
}
