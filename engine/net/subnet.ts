// IPv4 arithmetic for the bridge's subnet: parse a CIDR, test overlap with the host's routes,
// pick the first candidate no route covers, as dockerd picks docker0's pool from its default
// address pools (moby libnetwork/ipamutils, "first pool that does not overlap a route").

export interface Cidr {
  /** The network address, as a 32-bit unsigned number. */
  network: number;
  prefixLen: number;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`not an ipv4 address: ${ip}`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function parseCidr(text: string): Cidr {
  const [addr = '', bits = '32'] = text.split('/');
  const prefixLen = Number(bits);
  if (!Number.isInteger(prefixLen) || prefixLen < 0 || prefixLen > 32)
    throw new Error(`not an ipv4 subnet: ${text}`);
  const size = 2 ** (32 - prefixLen);
  return { network: Math.floor(ipToInt(addr) / size) * size, prefixLen };
}

export function formatCidr(c: Cidr): string {
  return `${intToIp(c.network)}/${c.prefixLen}`;
}

export function sizeOf(c: Cidr): number {
  return 2 ** (32 - c.prefixLen);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + sizeOf(b) && b.network < a.network + sizeOf(a);
}

/** The gateway: the subnet's first host address (`.1`), as dockerd gives docker0. */
export function gatewayOf(c: Cidr): string {
  return intToIp(c.network + 1);
}

/**
 * Where the engine looks for its bridge's subnet when none is configured: private ranges Docker's
 * own pools leave alone first, then 10.216–10.247/16, so that a lab machine with several engines
 * (each with its own `--bridge`) or a few stale bridges still finds one.
 */
export const CANDIDATE_SUBNETS = [
  '172.31.0.0/16',
  '10.213.0.0/16',
  '10.214.0.0/16',
  '10.215.0.0/16',
  '172.30.0.0/16',
  '192.168.213.0/24',
  ...Array.from({ length: 32 }, (_, i) => `10.${216 + i}.0.0/16`),
];

/** The first candidate that overlaps none of `taken` (the host's routes); an error when all do. */
export function firstFree(candidates: readonly string[], taken: readonly Cidr[]): Cidr {
  for (const text of candidates) {
    const c = parseCidr(text);
    // The default route (0.0.0.0/0) covers everything and says nothing about local use.
    if (!taken.some((t) => t.prefixLen > 0 && overlaps(c, t))) return c;
  }
  throw new Error(`no free subnet: every candidate (${candidates.join(', ')}) overlaps a route`);
}
