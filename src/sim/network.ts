import type { Endpoint, EndpointResult, NetworkDriver, PortBinding } from '../ports/network.ts';

/** Docker's default bridge: docker0, 172.17.0.0/16, gateway .1, addresses from .2 upwards. */
export class SimBridge implements NetworkDriver {
  private endpoints = new Map<string, Endpoint>();
  private used = new Set<number>();

  constructor(
    readonly bridge = { name: 'docker0', id: '', subnet: '172.17.0.0/16', gateway: '172.17.0.1' },
    private readonly vethSuffix: () => string = () => '0000000',
  ) {}

  createEndpoint(containerId: string, ports: PortBinding[]): EndpointResult {
    for (const p of ports) {
      const clash = [...this.endpoints.values()].find((e) =>
        e.ports.some((q) => q.hostPort === p.hostPort && q.protocol === p.protocol),
      );
      if (clash) {
        return {
          ok: false,
          error: `driver failed programming external connectivity on endpoint: Bind for ${p.hostIp}:${p.hostPort} failed: port is already allocated`,
        };
      }
    }
    let host = 2;
    while (this.used.has(host)) host++;
    this.used.add(host);
    const ip = `172.17.${Math.floor(host / 256)}.${host % 256}`;
    const mac = `02:42:ac:11:${(Math.floor(host / 256) & 255).toString(16).padStart(2, '0')}:${(host % 256).toString(16).padStart(2, '0')}`;
    const endpoint: Endpoint = {
      containerId,
      network: 'bridge',
      networkId: this.bridge.id,
      ip,
      prefixLen: 16,
      gateway: this.bridge.gateway,
      mac,
      hostVeth: `veth${this.vethSuffix()}`,
      sandbox: `/var/run/docker/netns/${containerId.slice(0, 12)}`,
      ports,
    };
    this.endpoints.set(containerId, endpoint);
    return { ok: true, endpoint };
  }

  deleteEndpoint(containerId: string): Endpoint | undefined {
    const e = this.endpoints.get(containerId);
    if (!e) return undefined;
    this.endpoints.delete(containerId);
    const parts = e.ip.split('.').map(Number);
    this.used.delete((parts[2] ?? 0) * 256 + (parts[3] ?? 0));
    return e;
  }

  endpoint(containerId: string): Endpoint | undefined {
    return this.endpoints.get(containerId);
  }
}
