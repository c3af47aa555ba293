import type { Endpoint, EndpointTarget, NetworkDriver, PortBinding } from '../../ports/network.ts';
import { settled } from '../effect.ts';

/**
 * The bridge driver's effects (see ../effect.ts): connecting a container to the default bridge
 * network and taking it off, with the evidence of what was made. The simulation's come from the
 * simulated bridge (src/sim/network.ts); real mode provides its own under the same names
 * (engine/real/network.ts, over engine/net). An endpoint outlives the request that made it: it is
 * the container's until `net.disconnect`.
 */
export interface ConnectPayload {
  containerId: string;
  /** The endpoint's name: the container's. */
  name?: string;
  ports?: PortBinding[];
  /**
   * The container's init, which runc created with a new network namespace (Tasks.Create):
   * libnetwork's SetKey takes `/proc/<pid>/ns/net` as the sandbox's namespace. Absent in the
   * classic profile, where the endpoint is made before the task.
   */
  pid?: number;
  /** libnetwork's sandbox id (64 hex): the netns file is named after it. */
  sandboxId?: string;
  /** The container's hostname, for its /etc/hosts line. */
  hostname?: string;
  /** A user-defined network and the container's aliases on it (userNetworks.ts). */
  on?: EndpointTarget;
}

export interface DisconnectPayload {
  containerId: string;
  /** A user-defined network's name (the default bridge when absent). */
  network?: string;
}

/** What each effect gets: the request's payload, the request (`requestId`) and the driver. */
export type ConnectInput = ConnectPayload & DisconnectPayload & { requestId: number; driver: NetworkDriver };
/** A disconnect's payload is a connect's `containerId`: both effects take the same input. */
export type DisconnectInput = ConnectInput;

/** The endpoint as made: its address, veth, sandbox, and the rules added, as the commands that added them. */
export interface ConnectEvidence extends Endpoint {
  /** The bridge the host end is plugged into. */
  bridge: string;
  rules: string[];
  /** Observed in real mode: the sandbox namespace's inode and the peer's name before it became eth0. */
  netnsInode?: number;
  peerVeth?: string;
}

/** The endpoint removed, or none (the container had no endpoint on the network). */
export interface DisconnectEvidence {
  endpoint?: Endpoint;
}

/**
 * Published ports: libnetwork's bridge driver adds a DNAT rule per port in the nat table's DOCKER
 * chain (and starts docker-proxy for traffic from the host itself).
 */
function dnatRules(e: Endpoint): string[] {
  return e.ports.map(
    (b) =>
      `iptables -t nat -A DOCKER -p ${b.protocol} --dport ${b.hostPort} -j DNAT --to ${e.ip}:${b.containerPort}`,
  );
}

export const simNetworkEffects = {
  connectEndpoint: settled(
    ({ driver, containerId, ports, name, sandboxId, on }: ConnectInput): ConnectEvidence => {
      const result = driver.createEndpoint(containerId, ports ?? [], name, on, sandboxId);
      if (!result.ok) throw new Error(result.error);
      const bridge = result.endpoint.bridgeName ?? driver.bridge.name;
      return { ...result.endpoint, bridge, rules: dnatRules(result.endpoint) };
    },
  ),
  disconnectEndpoint: settled(({ driver, containerId, network }: DisconnectInput): DisconnectEvidence => {
    const endpoint = driver.deleteEndpoint(containerId, network);
    return endpoint === undefined ? {} : { endpoint };
  }),
};

/** The call a network reply names, from the effect's evidence. */
export const networkCalls = {
  /** `later`: the sandbox's namespace does not exist yet (20.10: the prestart hook gives it at runc create). */
  connect: (e: ConnectEvidence, later = false): string =>
    [
      later
        ? `ip link add ${e.hostVeth} type veth peer; master ${e.bridge}; eth0 ${e.ip}/${e.prefixLen} → ${e.sandbox} at runc create (libnetwork-setkey hook)`
        : `ip link add ${e.hostVeth} type veth peer; master ${e.bridge}; eth0 ${e.ip}/${e.prefixLen} in ${e.sandbox}`,
      ...e.rules,
    ].join('; '),
  disconnect: (p: DisconnectPayload, e: DisconnectEvidence): string =>
    e.endpoint
      ? `ip link del ${e.endpoint.hostVeth}; release ${e.endpoint.ip}`
      : `endpoint for container ${p.containerId.slice(0, 12)} not found`,
};
