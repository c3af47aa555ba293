// The Network participant's real effects: libnetwork's bridge driver doing for real what the
// machine's simulated effects model (src/layers/network/networkEffects.ts), on the engine's own
// bridge (engine/net). Unlike a pull's effects these are not the request's: an endpoint outlives
// the request that made it and is the container's until `net.disconnect` (stop, rm), so they use
// the engine's one network, never a session.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fromPromise } from 'xstate';
import type {
  ConnectEvidence,
  ConnectInput,
  DisconnectEvidence,
  DisconnectInput,
} from '../../src/layers/network/networkEffects.ts';
import type { Endpoint, EndpointResult, NetworkDriver, PortBinding } from '../../src/ports/network.ts';
import {
  BridgeNetwork,
  createEndpoint,
  deleteEndpoint,
  ensureBridge,
  type BridgeEvidence,
  type EndpointRecord,
  type NetOptions,
} from '../net/index.ts';
import type { EndpointRecord as StoredEndpoint } from '../net/store.ts';
import { startResolver } from './networkDns.ts';
import { userNetworkEffects, type UserBridges } from './networkUser.ts';

export interface RealNetworkOptions {
  /** Where the containers' directories are (`<root>/containers`): a container's `hosts` there gets its line. */
  containersDir?: string;
  /** Sets the bridge up the first time an endpoint needs it (the engine's world does it lazily). */
  ready?: () => Promise<unknown>;
  /** The engine's user-defined networks (networkUser.ts); the default bridge alone when absent. */
  user?: UserBridges;
}

function endpointOf(net: BridgeNetwork, e: EndpointRecord): Endpoint {
  return {
    containerId: e.containerId,
    network: 'bridge',
    networkId: net.state?.id ?? '',
    ip: e.ip,
    prefixLen: e.prefixLen,
    gateway: e.gateway,
    mac: e.mac,
    hostVeth: e.hostVeth,
    sandbox: e.netns,
    ports: e.ports,
  };
}

/** The network a request names: a user-defined one (`on`, `network`), or the engine's bridge. */
function networkFor(
  net: BridgeNetwork,
  user: UserBridges | undefined,
  name: string | undefined,
): BridgeNetwork {
  if (name === undefined || name === 'bridge') return net;
  const found = user?.get(name);
  if (found === undefined) throw new Error(`network ${name} not found`);
  return found;
}

/** The sandbox's next interface when it has endpoints already (eth1, eth2…), and its sandbox id. */
function moreOf(others: StoredEndpoint[]): { more: { ifName: string }; sandboxId: string } | undefined {
  const first = others[0];
  if (first === undefined) return undefined;
  const used = new Set(others.map((e) => e.ifName ?? 'eth0'));
  let i = 0;
  while (used.has(`eth${i}`)) i++;
  return { more: { ifName: `eth${i}` }, sandboxId: first.sandboxId };
}

async function connect(
  net: BridgeNetwork,
  p: ConnectInput,
  options: RealNetworkOptions,
): Promise<ConnectEvidence> {
  // The endpoint joins the namespace runc made for the init: there is none before Tasks.Create.
  if (p.pid === undefined || p.pid <= 0)
    throw new Error(
      `connect ${p.containerId.slice(0, 12)}: no init pid: the endpoint is made after Tasks.Create`,
    );
  await options.ready?.();
  const user = options.user;
  const target = networkFor(net, user, p.on?.network.name);
  const hostsPath = options.containersDir && join(options.containersDir, p.containerId, 'hosts');
  const hostname = p.hostname ?? p.containerId.slice(0, 12);
  const name = p.name ?? p.containerId.slice(0, 12);
  const others = user?.endpointsOf(p.containerId).map(([, e]) => e) ?? [];
  const more = moreOf(others);
  const e = await createEndpoint(target, {
    containerId: p.containerId,
    sandboxId: more?.sandboxId ?? p.sandboxId ?? p.containerId,
    pid: p.pid,
    ports: p.ports ?? [],
    name,
    network: p.on?.network.name ?? 'bridge',
    ...(more === undefined ? {} : { more: more.more }),
    // The embedded DNS server's names for it: the container's name, its aliases, its short id.
    ...(p.on === undefined ? {} : { dnsNames: [name, ...p.on.aliases, p.containerId.slice(0, 12)] }),
    ...(hostsPath && existsSync(hostsPath) ? { hosts: { path: hostsPath, hostname } } : {}),
  });
  const resolver =
    p.on !== undefined && user !== undefined ? await startResolver(user, e, options.containersDir) : [];
  return {
    ...endpointOf(target, e),
    network: p.on?.network.name ?? 'bridge',
    bridge: e.bridge,
    rules: [...e.rulesText, ...resolver],
    netnsInode: e.netnsInode,
    peerVeth: e.peerVeth,
  };
}

async function disconnect(
  net: BridgeNetwork,
  p: DisconnectInput,
  user: UserBridges | undefined,
): Promise<DisconnectEvidence> {
  const target = networkFor(net, user, p.network);
  // The sandbox's netns file stays while another network's endpoint is in it.
  const others = (user?.endpointsOf(p.containerId) ?? []).filter(
    ([name]) => name !== (p.network ?? 'bridge'),
  );
  const e = await deleteEndpoint(target, p.containerId, user === undefined ? undefined : others.length > 0);
  if (user !== undefined && !user.onUserNetwork(p.containerId)) user.dns.close(p.containerId);
  return e === undefined ? {} : { endpoint: { ...endpointOf(target, e), network: p.network ?? 'bridge' } };
}

/**
 * The Network machine's effects, real: the same names as the simulated ones. `net` is the engine's
 * bridge network, set up (ensureBridge) before the first container starts.
 */
export function realNetworkEffects(net: BridgeNetwork, options: RealNetworkOptions = {}) {
  return {
    connectEndpoint: fromPromise<ConnectEvidence, ConnectInput>(({ input }) => connect(net, input, options)),
    disconnectEndpoint: fromPromise<DisconnectEvidence, DisconnectInput>(async ({ input }) => {
      await options.ready?.();
      return disconnect(net, input, options.user);
    }),
    ...(options.user === undefined ? {} : userNetworkEffects(options.user)),
  };
}

/**
 * The engine's bridge network, set up as dockerd sets up docker0 when it starts: `dockstep0`, its
 * subnet, chains and state under `root` (options override the names, as the tests do). What it
 * observed comes back with it (created or found, the rules added, half-made endpoints swept).
 */
export async function openEngineNetwork(
  root: string,
  options: Omit<NetOptions, 'root'> = {},
): Promise<{ net: BridgeNetwork; evidence: BridgeEvidence }> {
  const net = new BridgeNetwork({ ...options, root });
  return { net, evidence: await ensureBridge(net) };
}

/**
 * The engine's bridge as the machines' `ports.network` shows it: its name, id, subnet and gateway
 * (dockerd's `network` events and `docker info` name them), and the endpoints made so far. Endpoints
 * are made and removed only through the Network machine's effects (they are asynchronous): the
 * synchronous calls refuse, so nothing can make one beside the machines.
 */
export class RealBridgeView implements NetworkDriver {
  constructor(
    private readonly net: BridgeNetwork,
    private readonly user?: UserBridges,
  ) {}

  get bridge(): NetworkDriver['bridge'] {
    // Not set up yet (no container has needed it): its name and id, and nothing made.
    const state = this.net.state;
    if (state === undefined)
      return { name: this.net.cfg.bridge, id: this.net.cfg.id ?? '', subnet: '', gateway: '' };
    return { name: state.bridge, id: state.id, subnet: state.subnet, gateway: state.gateway };
  }

  createEndpoint(containerId: string, _ports: PortBinding[]): EndpointResult {
    return {
      ok: false,
      error: `endpoint for ${containerId.slice(0, 12)}: the real bridge is driven by the network machine's effects`,
    };
  }

  deleteEndpoint(containerId: string): Endpoint | undefined {
    throw new Error(
      `endpoint for ${containerId.slice(0, 12)}: the real bridge is driven by the network machine's effects`,
    );
  }

  endpoint(containerId: string, network?: string): Endpoint | undefined {
    const net = network === undefined || network === 'bridge' ? this.net : this.user?.get(network);
    const e = net?.state?.endpoints[containerId];
    return net === undefined || e === undefined
      ? undefined
      : { ...endpointOf(net, e), network: network ?? 'bridge' };
  }

  resolve(containerId: string, name: string): string | undefined {
    return this.user?.resolve(containerId, name);
  }

  onUserNetwork(containerId: string): boolean {
    return this.user?.onUserNetwork(containerId) ?? false;
  }
}
