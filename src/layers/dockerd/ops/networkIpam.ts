/**
 * The default IPAM's check of a network's gateway (moby v20.10.24 libnetwork/network.go
 * ipamAllocateVersion → libnetwork/ipam/allocator.go RequestAddress): the gateway asked for is an
 * address requested from the subnet's pool. One outside the subnet is out of the pool's range;
 * the subnet's network and broadcast addresses are reserved in the pool from the start, so they
 * are taken. Either way no network is made, and dockerd answers 500 with libnetwork's words.
 * Recorded: test/fixtures/real-engine/z3-gateway-sandbox.txt.
 */

/** An IPv4 address as a number, or undefined when it is not one. */
function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Why the default IPAM refuses `gateway` on `subnet`, or undefined when it takes it. */
export function gatewayRefusal(subnet: string, gateway: string): string | undefined {
  const [net = '', bitsText = ''] = subnet.split('/');
  const [base, address, bits] = [ipv4(net), ipv4(gateway), Number(bitsText)];
  if (base === undefined || address === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32)
    return undefined;
  const size = 2 ** (32 - bits);
  const first = base - (base % size);
  const failed = (why: string) => `failed to allocate gateway (${gateway}): ${why}`;
  if (address < first || address >= first + size) return failed('Requested address is out of range');
  // A /31 or /32 has no network or broadcast address to reserve (libnetwork ipam newAddrSpace).
  if (bits < 31 && (address === first || address === first + size - 1))
    return failed('Address already in use');
  return undefined;
}
