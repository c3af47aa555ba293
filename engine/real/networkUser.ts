// User-defined networks for real (`docker network create`): one Linux bridge each, made with the
// engine's own bridge driver (engine/net) beside the engine's default bridge. Each is named after
// the engine's bridge and the network's id (`<engine bridge[:8]>-<id[:6]>`, 15 bytes at most), so
// two engines on one host never meet; its rules go in the engine's own chains; its IPAM state is
// its own file (`<root>/network/<bridge>.json`). What libnetwork keeps of the network in its store
// (moby v20.10.24 libnetwork/store.go, `network/files/local-kv.db`) is kept as
// `<root>/network/user/<id>.json`, read back at the engine's start (dockerd's `loadNetworks` work),
// when each bridge is set up again. The embedded DNS server (dnsServer.ts) answers the names of
// the containers on these networks.
import { fromPromise } from 'xstate';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CreateNetworkEvidence,
  CreateNetworkInput,
  DeleteNetworkEvidence,
  DeleteNetworkInput,
} from '../../src/layers/network/userNetworks.ts';
import type { JsonObject, JsonValue } from '../../src/model/json.ts';
import { BridgeNetwork, ensureBridge, teardownUserBridge } from '../net/index.ts';
import { EmbeddedDns } from '../net/dnsServer.ts';
import type { EndpointRecord } from '../net/store.ts';

/** The default address pools dockerd draws a network's subnet from (libnetwork ipamutils). */
function* defaultPools(): Generator<string> {
  for (let b = 17; b <= 31; b++) yield `172.${b}.0.0/16`;
  for (let c = 0; c < 256; c += 16) yield `192.168.${c}.0/20`;
}

export class UserBridges {
  private readonly nets = new Map<string, BridgeNetwork>();
  readonly dns = new EmbeddedDns((containerId, name) => this.resolve(containerId, name));

  constructor(readonly engine: BridgeNetwork) {}

  private get storeDir(): string {
    return join(this.engine.cfg.root, 'network', 'user');
  }

  /** The bridge of network `id`: named after the engine's, so each engine's are its own. */
  bridgeName(id: string): string {
    return `${this.engine.cfg.bridge.slice(0, 8)}-${id.slice(0, 6)}`;
  }

  get(name: string): BridgeNetwork | undefined {
    return this.nets.get(name);
  }

  /** Every network with its name: the engine's bridge first. */
  all(): [string, BridgeNetwork][] {
    return [['bridge', this.engine], ...this.nets];
  }

  private bridgeOf(
    name: string,
    id: string,
    subnet: string,
    fixed: boolean,
    gateway?: string,
  ): BridgeNetwork {
    const pools = [subnet, ...[...defaultPools()].filter((p) => p !== subnet)];
    return new BridgeNetwork({
      root: this.engine.cfg.root,
      bridge: this.bridgeName(id),
      chain: this.engine.cfg.natChain,
      netnsDir: this.engine.cfg.netnsDir,
      id,
      ...(fixed
        ? { subnet, ...(gateway === undefined ? {} : { gateway }) }
        : { candidates: pools.filter((p) => !this.taken(p, name)) }),
    });
  }

  /** A subnet another network of the engine has. */
  private taken(subnet: string, except: string): boolean {
    return [...this.nets].some(([name, n]) => name !== except && n.state?.subnet === subnet);
  }

  /** The bridge, its address and rules made (CreateNetwork), and the network kept in the store. */
  async create(n: CreateNetworkInput): Promise<CreateNetworkEvidence> {
    const net = this.bridgeOf(n.name, n.id, n.subnet, n.fixedSubnet === true, n.gateway);
    const made = await ensureBridge(net);
    this.nets.set(n.name, net);
    const stored: JsonObject = { ...(n.stored ?? {}), id: n.id, name: n.name, bridge: made.bridge };
    if (made.subnet !== n.subnet)
      Object.assign(stored, {
        subnet: made.subnet,
        gateway: made.gateway,
        ipamConfig: [{ Subnet: made.subnet, Gateway: made.gateway }],
      });
    await mkdir(this.storeDir, { recursive: true });
    await writeFile(join(this.storeDir, `${n.id}.json`), `${JSON.stringify(stored)}\n`, { mode: 0o600 });
    return { bridge: made.bridge, subnet: made.subnet, gateway: made.gateway, rules: made.added };
  }

  /** The bridge, its rules and state go (DeleteNetwork), and the network leaves the store. */
  async remove(n: DeleteNetworkInput): Promise<DeleteNetworkEvidence> {
    const net = this.nets.get(n.name);
    if (net === undefined) return { gone: false, rules: [] };
    const rules = await teardownUserBridge(net);
    this.nets.delete(n.name);
    await rm(join(this.storeDir, `${n.id}.json`), { force: true });
    return { gone: true, rules };
  }

  /** The networks the store holds, each bridge set up again (a host restarted meanwhile has none). */
  async load(): Promise<JsonObject[]> {
    const files = await readdir(this.storeDir).catch(() => [] as string[]);
    const out: JsonObject[] = [];
    for (const file of files.filter((f) => f.endsWith('.json'))) {
      const value: JsonValue = JSON.parse(await readFile(join(this.storeDir, file), 'utf8'));
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      const { id, name, subnet, gateway } = value;
      if (typeof id !== 'string' || typeof name !== 'string' || typeof subnet !== 'string') continue;
      if (this.nets.has(name)) continue;
      const net = this.bridgeOf(name, id, subnet, true, typeof gateway === 'string' ? gateway : undefined);
      await ensureBridge(net);
      this.nets.set(name, net);
      out.push(value);
    }
    return out;
  }

  /** The container's endpoints, on every network, by network name. */
  endpointsOf(containerId: string): [string, EndpointRecord][] {
    return this.all().flatMap(([name, net]) => {
      const e = net.state?.endpoints[containerId];
      return e === undefined ? [] : [[name, e] as [string, EndpointRecord]];
    });
  }

  /** Whether the container has an endpoint on a user-defined network. */
  onUserNetwork(containerId: string): boolean {
    return [...this.nets.values()].some((n) => n.state?.endpoints[containerId] !== undefined);
  }

  /** The embedded DNS server's answer: a container on a network the asker is on, by name, alias or short id. */
  resolve(containerId: string, name: string): string | undefined {
    const wanted = name.toLowerCase().replace(/\.$/, '');
    for (const net of this.nets.values()) {
      const endpoints = Object.values(net.state?.endpoints ?? {});
      if (!endpoints.some((e) => e.containerId === containerId)) continue;
      const found = endpoints.find((e) => e.dnsNames?.some((n) => n.toLowerCase() === wanted));
      if (found !== undefined) return found.ip;
    }
    return undefined;
  }
}

/** The Network machine's effects for user-defined networks, real: the same names as the simulated ones. */
export function userNetworkEffects(user: UserBridges) {
  return {
    createNetwork: fromPromise<CreateNetworkEvidence, CreateNetworkInput>(({ input }) => user.create(input)),
    deleteNetwork: fromPromise<DeleteNetworkEvidence, DeleteNetworkInput>(({ input }) => user.remove(input)),
  };
}
