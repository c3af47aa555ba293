// The host's IPv4 routes (all tables), read with `ip -j`, as the subnets a new bridge must avoid.
import { ip } from './exec.ts';
import { parseCidr, type Cidr } from './subnet.ts';

interface RouteJson {
  dst?: string;
  dev?: string;
}

/** Every route's destination except `default` and those on `exceptDev` (the engine's own bridge). */
export async function routedSubnets(exceptDev: string): Promise<Cidr[]> {
  const routes = JSON.parse(await ip('-j', '-4', 'route', 'show', 'table', 'all')) as RouteJson[];
  return routes
    .filter((r) => r.dst !== undefined && r.dst !== 'default' && r.dev !== exceptDev)
    .map((r) => parseCidr(r.dst ?? ''));
}

interface AddrJson {
  ifname?: string;
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}

/** The bridge's IPv4 address and prefix, if the link exists (undefined when it does not). */
export async function bridgeAddress(
  name: string,
): Promise<{ exists: boolean; local?: string; prefixLen?: number }> {
  let links: AddrJson[];
  try {
    links = JSON.parse(await ip('-j', '-4', 'addr', 'show', 'dev', name)) as AddrJson[];
  } catch {
    return { exists: false };
  }
  const info = links[0]?.addr_info?.find((a) => a.family === 'inet');
  if (info?.local === undefined || info.prefixlen === undefined) return { exists: links.length > 0 };
  return { exists: true, local: info.local, prefixLen: info.prefixlen };
}
