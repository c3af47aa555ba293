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

export interface RealNetworkOptions {
  /** Where the containers' directories are (`<root>/containers`): a container's `hosts` there gets its line. */
  containersDir?: string;
  /** Sets the bridge up the first time an endpoint needs it (the engine's world does it lazily). */
  ready?: () => Promise<unknown>;
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
  const hostsPath = options.containersDir && join(options.containersDir, p.containerId, 'hosts');
  const hostname = p.hostname ?? p.containerId.slice(0, 12);
  const e = await createEndpoint(net, {
    containerId: p.containerId,
    sandboxId: p.sandboxId ?? p.containerId,
    pid: p.pid,
    ports: p.ports ?? [],
    name: p.name ?? p.containerId.slice(0, 12),
    ...(hostsPath && existsSync(hostsPath) ? { hosts: { path: hostsPath, hostname } } : {}),
  });
  return {
    ...endpointOf(net, e),
    bridge: e.bridge,
    rules: e.rulesText,
    netnsInode: e.netnsInode,
    peerVeth: e.peerVeth,
  };
}

async function disconnect(net: BridgeNetwork, p: DisconnectInput): Promise<DisconnectEvidence> {
  const e = await deleteEndpoint(net, p.containerId);
  return e === undefined ? {} : { endpoint: endpointOf(net, e) };
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
      return disconnect(net, input);
    }),
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
  constructor(private readonly net: BridgeNetwork) {}

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

  endpoint(containerId: string): Endpoint | undefined {
    const e = this.net.state?.endpoints[containerId];
    return e === undefined ? undefined : endpointOf(this.net, e);
  }
}
