import type {
  Endpoint,
  EndpointResult,
  EndpointTarget,
  NetworkDriver,
  PortBinding,
} from '../ports/network.ts';

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * A bridge network with libnetwork's IPAM: addresses of the bridge's subnet, lowest free first,
 * never the network or broadcast address nor the gateway; the MAC is 02:42 followed by the four
 * bytes of the address, as Docker derives it. Docker's default bridge is docker0, 172.17.0.0/16.
 */
export class SimBridge implements NetworkDriver {
  private endpoints = new Map<string, Endpoint>();
  private used = new Set<number>();

  constructor(
    readonly bridge = { name: 'docker0', id: '', subnet: '172.17.0.0/16', gateway: '172.17.0.1' },
    private readonly vethSuffix: () => string = () => '0000000',
    /** libnetwork's endpoint ids (64 hex), named in errors. */
    private readonly endpointId: () => string = () => '0'.repeat(64),
    /** The network's name as docker shows it (`bridge` for docker0). */
    private readonly networkName = 'bridge',
  ) {}

  private get pool(): { base: number; prefixLen: number; size: number; gateway: number } {
    const [net = '0.0.0.0', bits = '16'] = this.bridge.subnet.split('/');
    const prefixLen = Number(bits);
    return {
      base: ipToInt(net),
      prefixLen,
      size: 2 ** (32 - prefixLen),
      gateway: ipToInt(this.bridge.gateway),
    };
  }

  private allocate(): number | undefined {
    const { base, size, gateway } = this.pool;
    for (let host = 1; host < size - 1; host++)
      if (!this.used.has(host) && base + host !== gateway) return host;
    return undefined;
  }

  createEndpoint(
    containerId: string,
    ports: PortBinding[],
    name = containerId.slice(0, 12),
    on?: EndpointTarget,
    sandboxId = containerId,
  ): EndpointResult {
    if (this.endpoints.has(containerId)) {
      return {
        ok: false,
        error: `endpoint with name ${name} already exists in network ${this.networkName}`,
      };
    }
    for (const p of ports) {
      const clash = [...this.endpoints.values()].find((e) =>
        e.ports.some((q) => q.hostPort === p.hostPort && q.protocol === p.protocol),
      );
      if (clash) {
        return {
          ok: false,
          error: `driver failed programming external connectivity on endpoint ${name} (${this.endpointId()}): Bind for ${p.hostIp || '0.0.0.0'}:${p.hostPort} failed: port is already allocated`,
        };
      }
    }
    const host = this.allocate();
    if (host === undefined)
      return {
        ok: false,
        error: `no available IPv4 addresses on this network's address pools: ${this.bridge.name} (${this.bridge.id.slice(0, 12)})`,
      };
    this.used.add(host);
    const { base, prefixLen } = this.pool;
    const ip = intToIp(base + host);
    const mac = ['02', '42', ...ip.split('.').map((b) => Number(b).toString(16).padStart(2, '0'))].join(':');
    const endpoint: Endpoint = {
      containerId,
      network: this.networkName,
      networkId: this.bridge.id,
      ip,
      prefixLen,
      gateway: this.bridge.gateway,
      mac,
      hostVeth: `veth${this.vethSuffix()}`,
      // libnetwork's osl.GenerateKey: the sandbox id, cut to 12 characters.
      sandbox: `/var/run/docker/netns/${sandboxId.slice(0, 12)}`,
      ports,
      bridgeName: this.bridge.name,
      ...(on ? { dnsNames: [name, ...on.aliases, containerId.slice(0, 12)] } : {}),
    };
    this.endpoints.set(containerId, endpoint);
    return { ok: true, endpoint };
  }

  deleteEndpoint(containerId: string): Endpoint | undefined {
    const e = this.endpoints.get(containerId);
    if (!e) return undefined;
    this.endpoints.delete(containerId);
    this.used.delete(ipToInt(e.ip) - this.pool.base);
    return e;
  }

  endpoint(containerId: string): Endpoint | undefined {
    return this.endpoints.get(containerId);
  }

  /** Every endpoint on this bridge. */
  all(): Endpoint[] {
    return [...this.endpoints.values()];
  }
}
