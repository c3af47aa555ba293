// IPAM and the endpoint table, kept in one small JSON file under the engine's root
// (`network/<bridge>.json`) and replaced atomically (write a temporary file, then rename), so a
// restarted engine knows which addresses are taken and what each endpoint made (its veth, its
// netns file, its rules) and can remove it. Addresses are handed out lowest free first, never the
// network, broadcast or gateway address, as libnetwork's default IPAM does (bitmap.SetAny).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { intToIp, ipToInt, parseCidr, sizeOf } from './subnet.ts';
import type { PortSpec } from './portRules.ts';

/** One endpoint as the engine made it: everything its removal needs. */
export interface EndpointRecord {
  containerId: string;
  /** libnetwork's endpoint id (64 hex), named in its errors. */
  endpointId: string;
  sandboxId: string;
  name: string;
  ip: string;
  prefixLen: number;
  gateway: string;
  mac: string;
  hostVeth: string;
  peerVeth: string;
  netns: string;
  ports: PortSpec[];
  /** The iptables rules added for it, as `-t TABLE -A CHAIN …` argv strings. */
  rules: string[][];
  /** The interface in the sandbox: eth0 unless the sandbox has another network's endpoint. */
  ifName?: string;
  /** The netns file is the sandbox's first endpoint's: its removal leaves the file. */
  sharedNetns?: boolean;
  /** The names the embedded DNS server answers with its address (user-defined networks). */
  dnsNames?: string[];
}

export interface NetState {
  /** The network's id (64 hex, as libnetwork's network ids), kept across restarts. */
  id: string;
  bridge: string;
  subnet: string;
  gateway: string;
  endpoints: Record<string, EndpointRecord>;
  /**
   * Endpoints being set up, recorded before any host work (their address is taken): an engine
   * that died half way finds them here when it starts again and removes what they left.
   */
  pending: Record<string, EndpointRecord>;
}

export async function loadState(file: string): Promise<NetState | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as NetState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

export async function saveState(file: string, state: NetState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 1)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** Every endpoint, made or being made. */
export function allEndpoints(state: NetState): EndpointRecord[] {
  return [...Object.values(state.endpoints), ...Object.values(state.pending)];
}

/** The lowest free host address of the subnet, or an error naming the bridge. */
export function allocate(state: NetState): string {
  const c = parseCidr(state.subnet);
  const used = new Set(allEndpoints(state).map((e) => ipToInt(e.ip)));
  const gateway = ipToInt(state.gateway);
  for (let host = c.network + 1; host < c.network + sizeOf(c) - 1; host++) {
    if (host === gateway || used.has(host)) continue;
    return intToIp(host);
  }
  throw new Error(`no available IPv4 addresses on this network's address pools: ${state.bridge}`);
}

/** The record without `key`. */
export function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/** A serial section: one state change at a time, in arrival order. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
