import { expect } from 'vitest';
import type { Endpoint, NetworkDriver, PortBinding } from '../../src/ports/network.ts';
import { defineContract, type ContractCases, type ContractOptions, type Factory } from './harness.ts';

/**
 * The network driver's contract (src/ports/network.ts): Docker's default bridge as libnetwork
 * builds it (libnetwork/drivers/bridge, libnetwork/ipams/defaultipam): every endpoint gets an
 * address of the bridge's subnet that no other endpoint holds, never the gateway, the network
 * or the broadcast address; a deleted endpoint's address goes back to the pool and is handed
 * out again, lowest free address first; a published host port is bound at most once per
 * protocol ("port is already allocated"); a container has at most one endpoint on the network.
 *
 * The factory must give a bridge with no endpoints (a fresh bridge or netns in real mode).
 */
export function describeNetworkContract(
  name: string,
  factory: Factory<NetworkDriver>,
  options?: ContractOptions<NetworkDriver>,
): void {
  defineContract('NetworkDriver', name, factory, options, (cases) => {
    cases.group('endpoints', () => endpointCases(cases));
    cases.group('IPAM', () => ipamCases(cases));
    cases.group('published ports', () => portCases(cases));
  });
}

/** A 64-hex container id, distinct for each n. */
const cid = (n: number): string => n.toString(16).padStart(8, '0').repeat(8);

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`not an IPv4 address: ${ip}`);
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Network address, broadcast address and prefix length of a CIDR. */
function cidr(subnet: string): { network: number; broadcast: number; prefix: number } {
  const [ip = '', bits = ''] = subnet.split('/');
  const prefix = Number(bits);
  if (!Number.isInteger(prefix) || prefix < 1 || prefix > 30)
    throw new Error(`not an IPv4 subnet: ${subnet}`);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ipToInt(ip) / size) * size;
  return { network, broadcast: network + size - 1, prefix };
}

function create(net: NetworkDriver, containerId: string, ports: PortBinding[] = []): Endpoint {
  const result = net.createEndpoint(containerId, ports);
  if (!result.ok) throw new Error(`createEndpoint(${containerId.slice(0, 12)}): ${result.error}`);
  return result.endpoint;
}

const tcp = (hostPort: number, containerPort = 80): PortBinding => ({
  hostIp: '0.0.0.0',
  hostPort,
  containerPort,
  protocol: 'tcp',
});

function endpointCases(cases: ContractCases<NetworkDriver>): void {
  cases.it('the bridge has a name, an id, a subnet and a gateway inside it', (net) => {
    const { network, broadcast } = cidr(net.bridge.subnet);
    const gateway = ipToInt(net.bridge.gateway);
    expect(net.bridge.name).not.toBe('');
    expect(net.bridge.id).not.toBe('');
    expect(gateway).toBeGreaterThan(network);
    expect(gateway).toBeLessThan(broadcast);
  });

  cases.it('an endpoint gets an address of the subnet, the bridge’s gateway and prefix', (net) => {
    const { network, broadcast, prefix } = cidr(net.bridge.subnet);
    const ports = [tcp(8080)];
    const e = create(net, cid(1), ports);
    const ip = ipToInt(e.ip);
    expect(ip).toBeGreaterThan(network);
    expect(ip).toBeLessThan(broadcast);
    expect(e.ip).not.toBe(net.bridge.gateway);
    expect(e).toMatchObject({
      containerId: cid(1),
      network: 'bridge',
      networkId: net.bridge.id,
      prefixLen: prefix,
      gateway: net.bridge.gateway,
      ports,
    });
    expect(net.endpoint(cid(1))).toEqual(e);
  });

  cases.it('the endpoint has a host veth, a sandbox and a locally administered MAC', (net) => {
    const e = create(net, cid(1));
    // IFNAMSIZ is 16 with the NUL: an interface name has at most 15 bytes.
    expect(e.hostVeth).toMatch(/^veth[0-9a-z]{1,11}$/);
    expect(e.sandbox).toMatch(/^\/var\/run\/docker\/netns\/[0-9a-f]{12}$/);
    expect(e.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    const first = parseInt(e.mac.slice(0, 2), 16);
    expect(first & 0b10).toBe(0b10);
    expect(first & 0b01).toBe(0);
  });

  cases.it('deleteEndpoint removes the endpoint and returns it', (net) => {
    const e = create(net, cid(1));
    const other = create(net, cid(2));
    expect(net.deleteEndpoint(cid(1))).toEqual(e);
    expect(net.endpoint(cid(1))).toBeUndefined();
    expect(net.deleteEndpoint(cid(1))).toBeUndefined();
    expect(net.endpoint(cid(2))).toEqual(other);
  });

  cases.it('an unknown container has no endpoint to find or delete', (net) => {
    expect(net.endpoint(cid(9))).toBeUndefined();
    expect(net.deleteEndpoint(cid(9))).toBeUndefined();
  });

  cases.it('a second endpoint for the same container fails and keeps the first', (net) => {
    // libnetwork: "endpoint with name … already exists in network bridge".
    const first = create(net, cid(1));
    const again = net.createEndpoint(cid(1), []);
    expect(again.ok).toBe(false);
    expect(net.endpoint(cid(1))).toEqual(first);
    net.deleteEndpoint(cid(1));
    expect(create(net, cid(2)).ip).toBe(first.ip);
  });
}

function ipamCases(cases: ContractCases<NetworkDriver>): void {
  cases.it('up to 300 endpoints share no address, MAC or veth, and never get a reserved address', (net) => {
    const { network, broadcast } = cidr(net.bridge.subnet);
    // 300 crosses a .255/.0 boundary in a /16; a smaller subnet is filled up.
    const count = Math.min(300, broadcast - network - 2);
    const endpoints = Array.from({ length: count }, (_, i) => create(net, cid(i + 1)));
    const ips = endpoints.map((e) => e.ip);
    expect(new Set(ips).size).toBe(count);
    expect(new Set(endpoints.map((e) => e.mac)).size).toBe(count);
    expect(new Set(endpoints.map((e) => e.hostVeth)).size).toBe(count);
    expect(ips).not.toContain(net.bridge.gateway);
    expect(ips).not.toContain(intToIp(network));
    expect(ips).not.toContain(intToIp(broadcast));
    for (const ip of ips) expect(ipToInt(ip) > network && ipToInt(ip) < broadcast, ip).toBe(true);
  });

  cases.it('addresses are handed out lowest free first, skipping the gateway', (net) => {
    // libnetwork's default IPAM takes the first free bit of the pool (bitmap.SetAny, not serial).
    const { network } = cidr(net.bridge.subnet);
    const gateway = ipToInt(net.bridge.gateway);
    const expected = [network + 1, network + 2, network + 3, network + 4]
      .filter((ip) => ip !== gateway)
      .slice(0, 3);
    const ips = [1, 2, 3].map((n) => ipToInt(create(net, cid(n)).ip));
    expect(ips.map(intToIp)).toEqual(expected.map(intToIp));
  });

  cases.it('a released address is handed out again', (net) => {
    const a = create(net, cid(1));
    const b = create(net, cid(2));
    create(net, cid(3));
    net.deleteEndpoint(cid(2));
    const d = create(net, cid(4));
    expect(d.ip).toBe(b.ip);
    net.deleteEndpoint(cid(1));
    expect(create(net, cid(5)).ip).toBe(a.ip);
  });

  cases.it('an exhausted subnet refuses endpoints until an address is released', (net) => {
    // libnetwork: "no available IPv4 addresses on this network's address pools".
    const { network, broadcast } = cidr(net.bridge.subnet);
    const free = broadcast - network - 2; // the host addresses, less the gateway
    if (free > 4096)
      throw new Error(
        `${net.bridge.subnet} has ${free} free addresses: too many to exhaust here; skip this case for this adapter`,
      );
    const endpoints = Array.from({ length: free }, (_, i) => create(net, cid(i + 1)));
    const full = net.createEndpoint(cid(free + 1), []);
    expect(full.ok).toBe(false);
    expect(net.endpoint(cid(free + 1))).toBeUndefined();
    const released = endpoints[Math.floor(free / 2)];
    net.deleteEndpoint(released?.containerId ?? '');
    expect(create(net, cid(free + 2)).ip).toBe(released?.ip);
  });
}

function portCases(cases: ContractCases<NetworkDriver>): void {
  cases.it('a host port is published once per protocol', (net) => {
    create(net, cid(1), [tcp(8080)]);
    const clash = net.createEndpoint(cid(2), [tcp(8080, 443)]);
    expect(clash.ok).toBe(false);
    if (!clash.ok) expect(clash.error).toMatch(/port is already allocated/);
    expect(net.endpoint(cid(2))).toBeUndefined();
    const udp = net.createEndpoint(cid(3), [{ ...tcp(8080), protocol: 'udp' }]);
    expect(udp.ok).toBe(true);
    expect(net.createEndpoint(cid(4), [tcp(8081)]).ok).toBe(true);
  });

  cases.it('a failed endpoint takes no address', (net) => {
    const first = create(net, cid(1), [tcp(8080)]);
    expect(net.createEndpoint(cid(2), [tcp(9090), tcp(8080)]).ok).toBe(false);
    expect(create(net, cid(3)).ip).toBe(intToIp(ipToInt(first.ip) + 1));
    // Nor does it keep the ports it did not clash on.
    expect(net.createEndpoint(cid(4), [tcp(9090)]).ok).toBe(true);
  });

  cases.it('deleting an endpoint frees its published ports', (net) => {
    create(net, cid(1), [tcp(8080), { ...tcp(5353, 53), protocol: 'udp' }]);
    net.deleteEndpoint(cid(1));
    expect(net.createEndpoint(cid(2), [tcp(8080)]).ok).toBe(true);
    expect(net.createEndpoint(cid(3), [{ ...tcp(5353, 53), protocol: 'udp' }]).ok).toBe(true);
  });
}
