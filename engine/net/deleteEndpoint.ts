// deleteEndpoint: Leave and DeleteEndpoint (moby libnetwork/endpoint.go sbLeave, Delete;
// drivers/bridge DeleteEndpoint): the port rules go, the veth goes (deleting one end deletes the
// pair), the sandbox's netns file is unmounted and removed, the address goes back to the pool.
// Idempotent, and it works when the init is gone (its namespace, and with it the peer, may be
// gone already): every step tolerates what is no longer there.
import { ip, isAbsent } from './exec.ts';
import type { BridgeNetwork } from './network.ts';
import { unbindNetns } from './netns.ts';
import { dropRule } from './rules.ts';
import { omit, saveState, type EndpointRecord } from './store.ts';

/** The host pieces of an endpoint, removed; what is not there is skipped. */
/**
 * `keepNetns`: whether the sandbox's netns file stays (another network's endpoint is still in it);
 * when not said, a sandbox's second endpoint leaves it and its first removes it.
 */
export async function removeEndpointParts(e: EndpointRecord, keepNetns?: boolean): Promise<void> {
  // Independent of each other: side by side.
  await Promise.all([...e.rules.map(dropRule), removeVeth(e.hostVeth)]);
  // The sandbox outlives an endpoint while another network's endpoint is in it.
  if (!(keepNetns ?? e.sharedNetns === true)) await unbindNetns(e.netns);
}

/** Deleting one end of a veth pair deletes both. */
async function removeVeth(name: string): Promise<void> {
  try {
    await ip('link', 'del', name);
  } catch (error) {
    if (!isAbsent(error)) throw error;
  }
}

/** Removes the container's endpoint; answers what it was, or undefined if it had none. */
export async function deleteEndpoint(
  net: BridgeNetwork,
  containerId: string,
  keepNetns?: boolean,
): Promise<EndpointRecord | undefined> {
  const e = net.ready().endpoints[containerId];
  if (e === undefined) return undefined;
  await removeEndpointParts(e, keepNetns);
  await net.serial.run(async () => {
    const state = net.ready();
    state.endpoints = omit(state.endpoints, containerId);
    await saveState(net.cfg.stateFile, state);
  });
  return e;
}
