import type { JsonObject } from '../../model/json.ts';
import type { NetworkDriver, UserNetwork } from '../../ports/network.ts';
import { settled } from '../effect.ts';

/**
 * User-defined bridge networks in the bridge driver (libnetwork drivers/bridge CreateNetwork and
 * DeleteNetwork): `docker network create` makes a Linux bridge of its own with the network's
 * gateway address on it; `docker network rm` deletes it. Both are effects (../effect.ts): the
 * simulation's come from the simulated bridges (src/sim/networks.ts), real mode makes the bridge,
 * its rules and its state file (engine/real/networkUser.ts).
 * https://docs.docker.com/engine/network/drivers/bridge/
 */
export interface CreateNetworkPayload extends UserNetwork {
  /**
   * Whether the subnet was asked for (`--subnet`). When not, the driver may move on to the next
   * default pool when the one dockerd chose overlaps a route of the host, as libnetwork's
   * requestPoolHelper does (netutils.CheckRouteOverlaps).
   */
  fixedSubnet?: boolean;
  /** What libnetwork's store keeps of the network besides (its creation time, its IPAM config as asked). */
  stored?: JsonObject;
}

export type CreateNetworkInput = CreateNetworkPayload & { requestId: number; driver: NetworkDriver };
export type DeleteNetworkInput = UserNetwork & { requestId: number; driver: NetworkDriver };

/** The network as the driver made it: its bridge, subnet and gateway, and the rules added. */
export interface CreateNetworkEvidence {
  bridge: string;
  subnet: string;
  gateway: string;
  rules: string[];
}

/** Whether there was a bridge to delete, and the rules removed with it. */
export interface DeleteNetworkEvidence {
  gone: boolean;
  rules: string[];
}

export const simUserNetworkEffects = {
  createNetwork: settled((n: CreateNetworkInput): CreateNetworkEvidence => {
    const made = n.driver.createNetwork?.(n) ?? { ok: false, error: 'no bridge driver' };
    if (!made.ok) throw new Error(made.error);
    return { bridge: n.bridge, subnet: n.subnet, gateway: n.gateway, rules: [] };
  }),
  deleteNetwork: settled((n: DeleteNetworkInput): DeleteNetworkEvidence => ({
    gone: n.driver.deleteNetwork?.(n.name) ?? false,
    rules: [],
  })),
};

/** The calls a network reply names, from the effect's evidence. */
export const userNetworkCalls = {
  create: (e: CreateNetworkEvidence): string =>
    [
      `ip link add ${e.bridge} type bridge; ip addr add ${e.gateway}/${e.subnet.split('/')[1] ?? '16'} dev ${e.bridge}; ip link set ${e.bridge} up`,
      ...e.rules,
    ].join('; '),
  delete: (n: UserNetwork, e: DeleteNetworkEvidence): string =>
    e.gone ? [`ip link del ${n.bridge}`, ...e.rules].join('; ') : `no bridge for network ${n.name}`,
};
