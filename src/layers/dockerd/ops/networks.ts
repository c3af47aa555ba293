import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { UserNetwork } from '../../../ports/network.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import type { NetworkRecord } from '../records.ts';
import { filterNetworks, parseNetworkFilters } from './networkFilters.ts';
import { gatewayRefusal } from './networkIpam.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * The network endpoints (moby v20.10.24 api/server/router/network, daemon/network.go,
 * libnetwork's controller and its default IPAM): `POST /networks/create` takes the first free
 * /16 of the default address pools (172.17–172.31, then 192.168.0.0/16 in /20s) unless a subnet
 * is given, and the bridge driver makes `br-<id12>`; `GET /networks` and `/networks/{id}`
 * answer from dockerd's memory; `DELETE` refuses a network with endpoints or a predefined one.
 * A gateway the subnet's pool cannot give is refused before any driver is asked (networkIpam.ts).
 * Recorded: test/fixtures/real-engine/p-user-networks.txt.
 */
export function networkJson(d: Daemon, n: NetworkRecord): JsonObject {
  const containers: JsonObject = {};
  for (const c of d.containers.values()) {
    const e = c.endpoints[n.name];
    if (!e) continue;
    // The endpoint's id is drawn when first shown, so runs that never show one keep their ids.
    e.id ||= d.ports.ids.id64();
    containers[c.id] = {
      Name: c.name,
      EndpointID: e.id,
      MacAddress: e.mac,
      IPv4Address: `${e.ip}/${e.prefixLen}`,
      IPv6Address: '',
    };
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: iso(n.createdMs),
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: n.predefined ? null : {}, Config: n.ipamConfig },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: n.name === 'bridge' ? { 'com.docker.network.bridge.name': n.bridge } : {},
    Labels: {},
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** The default address pools' /16s, then 192.168.0.0/16 cut in /20s (libnetwork ipamutils). */
function* candidatePools(): Generator<string> {
  for (let b = 17; b <= 31; b++) yield `172.${b}.0.0/16`;
  for (let c = 0; c < 256; c += 16) yield `192.168.${c}.0/20`;
}

function firstFreeSubnet(d: Daemon): string | undefined {
  const taken = new Set([d.ports.network.bridge.subnet, ...[...d.networks.values()].map((n) => n.subnet)]);
  for (const pool of candidatePools()) if (!taken.has(pool)) return pool;
  return undefined;
}

/** The first host address of a subnet: IPAM's default gateway. */
function firstHost(subnet: string): string {
  const [net = '0.0.0.0'] = subnet.split('/');
  const parts = net.split('.').map(Number);
  parts[3] = (parts[3] ?? 0) + 1;
  return parts.join('.');
}

export function* networkCreate(d: Daemon, req: Message): OperationProgram {
  const { body } = apiRequest(req);
  const name = String(body.Name ?? '');
  if (d.findNetwork(name)?.name === name)
    return d.error(req, 409, `network with name ${name} already exists`);
  const asked = ((body.IPAM as JsonObject | undefined)?.Config ?? []) as JsonObject[];
  const subnet = typeof asked[0]?.Subnet === 'string' ? asked[0].Subnet : firstFreeSubnet(d);
  if (subnet === undefined)
    return d.error(
      req,
      500,
      'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
    );
  const gateway = typeof asked[0]?.Gateway === 'string' ? asked[0].Gateway : firstHost(subnet);
  const refused = gatewayRefusal(subnet, gateway);
  if (refused !== undefined) return d.error(req, 500, refused);
  const id = d.ports.ids.id64();
  const record: NetworkRecord = {
    id,
    name,
    driver: 'bridge',
    subnet,
    gateway,
    bridge: `br-${id.slice(0, 12)}`,
    createdMs: d.now(),
    predefined: false,
    ipamConfig:
      asked.length > 0
        ? asked.map((c) => ({ Subnet: subnet, ...(c.Gateway ? { Gateway: gateway } : {}) }))
        : [{ Subnet: subnet, Gateway: gateway }],
  };
  const made = asMessage(
    yield d.call(
      'Network',
      'net.createNetwork',
      `bridge driver: CreateNetwork(${name}, ${subnet}) → ${record.bridge}`,
      {
        payload: {
          ...userNetwork(record),
          fixedSubnet: typeof asked[0]?.Subnet === 'string',
          stored: { createdMs: record.createdMs, ipamConfig: record.ipamConfig, subnet, gateway },
        },
        params: { name, subnet, bridge: record.bridge },
      },
    ),
  );
  if (!made?.ok)
    return d.error(req, 500, String((made?.payload as JsonObject | undefined)?.error ?? 'network error'));
  madeAs(record, (made.payload ?? {}) as JsonObject);
  d.networks.set(name, record);
  d.emit('network', 'create', id, { name, type: 'bridge' });
  d.reply(req, 201, { Id: id, Warning: '' }, { params: { id: id.slice(0, 12), name } });
}

/**
 * What the driver made: a real bridge is named after the engine's own, and its subnet may be the
 * next free pool when the chosen one overlaps a host route (libnetwork requestPoolHelper).
 */
function madeAs(record: NetworkRecord, e: JsonObject): void {
  if (typeof e.bridge === 'string') record.bridge = e.bridge;
  if (typeof e.subnet !== 'string' || typeof e.gateway !== 'string' || e.subnet === record.subnet) return;
  record.subnet = e.subnet;
  record.gateway = e.gateway;
  record.ipamConfig = [{ Subnet: e.subnet, Gateway: e.gateway }];
}

export function userNetwork(n: NetworkRecord): UserNetwork {
  return { id: n.id, name: n.name, subnet: n.subnet, gateway: n.gateway, bridge: n.bridge };
}

export function* networkList(d: Daemon, req: Message): OperationProgram {
  const filters = parseNetworkFilters(apiRequest(req).query.filters);
  if (typeof filters === 'string') return d.error(req, 400, filters);
  const used = (n: NetworkRecord) =>
    [...d.containers.values()].some((c) => c.endpoints[n.name] !== undefined);
  const all = filterNetworks([...d.predefinedNetworks(), ...d.networks.values()], filters, used);
  d.self('dockerd.listNetworks', `list ${all.length} networks from libnetwork's store (no driver call)`, {
    params: { count: all.length },
  });
  d.reply(
    req,
    200,
    all.map((n) => networkJson(d, n)),
    { params: { count: all.length } },
  );
  yield* [];
}

export function* networkInspect(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const n = d.findNetwork(target);
  if (!n) return d.error(req, 404, `network ${target} not found`);
  d.reply(req, 200, networkJson(d, n), { params: { name: n.name } });
  yield* [];
}

export function* networkDelete(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const n = d.findNetwork(target);
  if (!n) return d.error(req, 404, `network ${target} not found`);
  if (n.predefined) return d.error(req, 403, `${n.name} is a pre-defined network and cannot be removed`);
  if ([...d.containers.values()].some((c) => c.endpoints[n.name] !== undefined))
    return d.error(
      req,
      403,
      `error while removing network: network ${n.name} id ${n.id} has active endpoints`,
    );
  yield* removeNetwork(d, n);
  d.reply(req, 204, undefined, { params: { name: n.name } });
}

/** A user-defined network goes: the bridge driver's DeleteNetwork, then its record and a destroy event. */
export function* removeNetwork(d: Daemon, n: NetworkRecord): OperationProgram {
  yield d.call(
    'Network',
    'net.deleteNetwork',
    `bridge driver: DeleteNetwork(${n.name}): ip link del ${n.bridge}`,
    {
      payload: userNetwork(n) as unknown as JsonObject,
      params: { name: n.name, bridge: n.bridge },
    },
  );
  d.networks.delete(n.name);
  d.emit('network', 'destroy', n.id, { name: n.name, type: 'bridge' });
}

/** One network as libnetwork's store kept it (the `loadNetworks` work); anything malformed is skipped. */
function storedNetwork(value: unknown): NetworkRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = new Map<string, unknown>(Object.entries(value));
  const [id, name, subnet, gateway, bridge, createdMs] = [
    'id',
    'name',
    'subnet',
    'gateway',
    'bridge',
    'createdMs',
  ].map((k) => v.get(k));
  if (typeof id !== 'string' || typeof name !== 'string' || typeof subnet !== 'string') return undefined;
  const config = v.get('ipamConfig');
  return {
    id,
    name,
    driver: 'bridge',
    subnet,
    gateway: typeof gateway === 'string' ? gateway : firstHost(subnet),
    bridge: typeof bridge === 'string' ? bridge : `br-${id.slice(0, 12)}`,
    createdMs: typeof createdMs === 'number' ? createdMs : 0,
    predefined: false,
    ipamConfig: Array.isArray(config) ? (config as NetworkRecord['ipamConfig']) : [{ Subnet: subnet }],
  };
}

/**
 * At start, libnetwork's controller reads its store back (moby v20.10.24 libnetwork/controller.go
 * New → reservePools, drivers' restore): the user-defined networks made before a restart are
 * there again, their bridges set up. The endpoints of containers that are not running are released
 * (its sandboxCleanup; engine/real/networkSweep.ts). The simulation's dockerd keeps them in
 * memory: it reads none.
 */
export function* loadNetworks(d: Daemon): OperationProgram {
  const read = yield* d.work('loadNetworks', {}, () => ({ networks: [] }));
  const found = read.ok && Array.isArray(read.output.networks) ? read.output.networks : [];
  const fresh = found.map(storedNetwork).filter((n) => n !== undefined && !d.networks.has(n.name));
  for (const n of fresh) if (n !== undefined) d.networks.set(n.name, n);
  if (fresh.length > 0)
    d.self('dockerd.restore.networks', `libnetwork: read ${fresh.length} network(s) from its store`, {
      params: { count: fresh.length },
    });
  const released = read.ok && Array.isArray(read.output.released) ? read.output.released : [];
  if (released.length === 0) return;
  // libnetwork's sandboxCleanup (libnetwork/sandbox_store.go): no live container owns them.
  const what = released.map((r) => {
    const e = (typeof r === 'object' && r !== null && !Array.isArray(r) ? r : {}) as JsonObject;
    return `${String(e.hostVeth ?? '?')} ${String(e.ip ?? '?')} on ${String(e.network ?? '?')}`;
  });
  d.self('dockerd.restore.endpoints', `libnetwork sandboxCleanup: release ${what.join(', ')}`, {
    params: { count: released.length },
  });
}
