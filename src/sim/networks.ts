import type {
  Endpoint,
  EndpointResult,
  EndpointTarget,
  NetworkDriver,
  PortBinding,
  UserNetwork,
} from '../ports/network.ts';
import { SimBridge } from './network.ts';
import type { DnsView } from './process/types.ts';

/**
 * The simulated host's nameserver, as its /etc/resolv.conf names it (the machine the real-engine
 * captures were recorded on): a container on the default bridge gets a copy of that file.
 */
export const HOST_NAMESERVER = '10.255.255.53';

/** The embedded DNS server's address in every container on a user-defined network. */
export const EMBEDDED_DNS = '127.0.0.11';

/** A container's resolver, read when it asks (a `docker network connect` changes it). */
export function dnsViewOf(network: NetworkDriver, containerId: string): DnsView {
  const embedded = () => network.onUserNetwork?.(containerId) ?? false;
  return {
    get nameserver() {
      return embedded() ? EMBEDDED_DNS : HOST_NAMESERVER;
    },
    get embedded() {
      return embedded();
    },
    // The host's nameserver knows no container; the embedded one forwards other names to it.
    resolve: (name) => (embedded() ? network.resolve?.(containerId, name) : undefined),
  };
}

/**
 * libnetwork's bridge driver with user-defined networks: the default bridge (docker0) and one
 * Linux bridge per `docker network create` (br-<id12>), each with its own subnet and IPAM. The
 * embedded DNS server's view comes from here: on a user-defined network a container's name, its
 * aliases and its short id resolve to its address there; nothing resolves on the default bridge.
 */
export class SimNetworks implements NetworkDriver {
  private readonly user = new Map<string, SimBridge>();

  constructor(
    private readonly defaultBridge: SimBridge,
    private readonly vethSuffix: () => string,
    private readonly endpointId: () => string,
  ) {}

  get bridge(): NetworkDriver['bridge'] {
    return this.defaultBridge.bridge;
  }

  private on(network: string | undefined): SimBridge | undefined {
    return network === undefined || network === 'bridge' ? this.defaultBridge : this.user.get(network);
  }

  createNetwork(n: UserNetwork): { ok: true } | { ok: false; error: string } {
    if (this.user.has(n.name)) return { ok: false, error: `network with name ${n.name} already exists` };
    const bridge = { name: n.bridge, id: n.id, subnet: n.subnet, gateway: n.gateway };
    this.user.set(n.name, new SimBridge(bridge, this.vethSuffix, this.endpointId, n.name));
    return { ok: true };
  }

  deleteNetwork(name: string): boolean {
    return this.user.delete(name);
  }

  sandboxKey(sandboxId: string, host: boolean): string {
    return `/var/run/docker/netns/${host ? 'default' : sandboxId.slice(0, 12)}`;
  }

  createEndpoint(
    containerId: string,
    ports: PortBinding[],
    name?: string,
    on?: EndpointTarget,
    sandboxId?: string,
  ): EndpointResult {
    const bridge = this.on(on?.network.name);
    if (!bridge) return { ok: false, error: `network ${on?.network.name ?? ''} not found` };
    return bridge.createEndpoint(containerId, ports, name, on, sandboxId);
  }

  deleteEndpoint(containerId: string, network?: string): Endpoint | undefined {
    return this.on(network)?.deleteEndpoint(containerId);
  }

  endpoint(containerId: string, network?: string): Endpoint | undefined {
    return this.on(network)?.endpoint(containerId);
  }

  onUserNetwork(containerId: string): boolean {
    return [...this.user.values()].some((b) => b.endpoint(containerId) !== undefined);
  }

  resolve(containerId: string, name: string): string | undefined {
    for (const bridge of this.user.values()) {
      if (!bridge.endpoint(containerId)) continue;
      const found = bridge.all().find((e) => e.dnsNames?.includes(name));
      if (found) return found.ip;
    }
    return undefined;
  }
}
