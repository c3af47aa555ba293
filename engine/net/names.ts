// Names Docker gives the pieces of an endpoint.
import { randomBytes } from 'node:crypto';

/**
 * A veth name as libnetwork makes it: `veth` and 7 random hex digits (netutils.GenerateIfaceName
 * with prefix "veth" and length 7): 11 bytes, under IFNAMSIZ's 15.
 */
export function vethName(): string {
  return `veth${randomBytes(4).toString('hex').slice(0, 7)}`;
}

/**
 * The MAC Docker derives from an IPv4 address: 02:42 (locally administered, unicast) followed by
 * the address's four bytes (moby libnetwork/netutils GenerateMACFromIP, used up to Engine 25).
 */
export function macOf(ip: string): string {
  const bytes = ip.split('.').map((b) => Number(b).toString(16).padStart(2, '0'));
  return ['02', '42', ...bytes].join(':');
}

/**
 * The netns file of a sandbox: named after the sandbox id, cut to 12 characters as libnetwork's
 * osl.GenerateKey cuts it (`/var/run/docker/netns/<sandbox id[:12]>` for dockerd).
 */
export function netnsFile(dir: string, sandboxId: string): string {
  if (!/^[0-9a-zA-Z_.-]+$/.test(sandboxId)) throw new Error(`bad sandbox id: ${sandboxId}`);
  return `${dir}/${sandboxId.slice(0, 12)}`;
}

/** A libnetwork endpoint id: 64 random hex digits (stringid.GenerateRandomID). */
export function endpointId(): string {
  return randomBytes(32).toString('hex');
}
