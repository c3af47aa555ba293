// At the engine's start, the endpoints no live container owns are released, on the engine's bridge
// and on every user-defined network: an engine killed while a `docker start` had made a
// container's endpoint (its veth on the bridge, its address taken, its netns file bound) but not
// yet written the container as running leaves that endpoint in the network's state file, and no
// stop or exit will ever come to take it away. libnetwork does the same when dockerd starts
// (moby v20.10.24 libnetwork/sandbox_store.go sandboxCleanup): a sandbox not in the list of
// active ones dockerd hands it (daemon/daemon.go restore: the containers still running) is
// deleted with its endpoints. A container written as running or paused keeps its endpoints:
// dockerd's boot keeps its task or stops it, through the machines.
import type { BridgeNetwork } from '../net/index.ts';
import { deleteEndpoint } from '../net/index.ts';

export interface Released {
  network: string;
  containerId: string;
  ip: string;
  hostVeth: string;
}

/** Releases, on each network, the endpoints of containers not in `alive`; answers what went. */
export async function releaseStaleEndpoints(
  networks: readonly [string, BridgeNetwork][],
  alive: ReadonlySet<string>,
): Promise<Released[]> {
  const released: Released[] = [];
  for (const [network, net] of networks) {
    const endpoints = Object.values(net.state?.endpoints ?? {});
    for (const e of endpoints.filter((x) => !alive.has(x.containerId))) {
      const gone = await deleteEndpoint(net, e.containerId);
      if (gone !== undefined)
        released.push({ network, containerId: e.containerId, ip: e.ip, hostVeth: e.hostVeth });
    }
  }
  return released;
}
