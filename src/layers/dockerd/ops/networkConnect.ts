import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { EndpointTarget } from '../../../ports/network.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord, NetworkRecord } from '../records.ts';
import { userNetwork } from './networks.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * A container's endpoints (moby v20.10.24 daemon/container_operations.go): at start one per
 * network it is attached to — its NetworkMode's, then those joined with `docker network
 * connect` — and at exit each is released. `POST /networks/{id}/connect` joins a running
 * container at once (a `connect` event) and a stopped one only in its config (no event);
 * `disconnect` leaves, and a running container's leave is logged twice, as dockerd 20.10 does.
 */
type Attachment = { network: NetworkRecord; aliases: string[]; ports: boolean };

/** The networks a container is on, NetworkMode first; undefined entries are missing networks. */
export function attachmentsOf(d: Daemon, c: ContainerRecord): (Attachment | string)[] {
  if (c.networkMode === 'none' || c.networkMode === 'host') return [];
  const mode = c.networkMode === 'default' ? 'bridge' : c.networkMode;
  const wanted = [{ network: mode, aliases: c.aliases }, ...c.connected];
  return wanted.map((w, i) => {
    const n = d.findNetwork(w.network) ?? (w.network === 'bridge' ? d.predefinedNetworks()[0] : undefined);
    return n ? { network: n, aliases: w.aliases, ports: i === 0 } : w.network;
  });
}

/** CreateEndpoint + Join on one network; the error text when the driver refuses. */
export function* joinNetwork(
  d: Daemon,
  c: ContainerRecord,
  a: Attachment,
  sandbox: { sandboxId?: string; pid?: number } = {},
): Generator<Effect, string | undefined, unknown> {
  const n = a.network;
  const on: EndpointTarget | undefined = n.predefined
    ? undefined
    : { network: userNetwork(n), aliases: a.aliases };
  const payload: JsonObject = {
    containerId: c.id,
    name: c.name,
    ports: a.ports ? (c.ports as never) : [],
    ...(sandbox.sandboxId === undefined ? {} : { sandboxId: sandbox.sandboxId }),
    ...(sandbox.pid === undefined ? {} : { pid: sandbox.pid }),
  };
  if (on) payload.on = on as unknown as JsonObject;
  const where = n.predefined ? '' : `, ${n.name} on ${n.bridge}`;
  // v29 (Engine 26+): the sandbox's key is the init's namespace, set when the task exists;
  // 20.10: the endpoint comes first, and the prestart hook hands it the namespace at runc create.
  const setKey =
    sandbox.pid === undefined || sandbox.sandboxId === undefined
      ? ''
      : `SetKey(/proc/${sandbox.pid}/ns/net) + `;
  const reply = asMessage(
    yield d.call(
      'Network',
      'net.connect',
      `libnetwork bridge: ${setKey}CreateEndpoint + Join(${short(c.id)}${where})`,
      {
        payload,
        // A sandbox made at start (v29: its key set now; classic: before its namespace exists),
        // or a running container joining one more network (`docker network connect`).
        ...(sandbox.sandboxId === undefined
          ? { narration: 'net.connect.join' }
          : sandbox.pid === undefined
            ? { narration: 'net.connect.classic' }
            : { params: { pid: sandbox.pid } }),
      },
    ),
  );
  if (!reply?.ok) return String((reply?.payload as JsonObject | undefined)?.error ?? 'network error');
  const e = (reply.payload ?? {}) as JsonObject;
  c.endpoints[n.name] = {
    ip: String(e.ip ?? ''),
    prefixLen: Number(e.prefixLen ?? 16),
    gateway: String(e.gateway ?? ''),
    mac: String(e.mac ?? ''),
    id: '',
  };
  if (a.ports) c.ip = String(e.ip ?? '');
  // The sandbox's key: the netns file the Network participant bind-mounted for it.
  if (sandbox.sandboxId !== undefined && typeof e.sandbox === 'string') c.sandboxKey = e.sandbox;
  d.networkEvent(c, 'connect', n);
  return undefined;
}

/** Leave + DeleteEndpoint on one network, then its `disconnect` event(s). */
export function* leaveNetwork(
  d: Daemon,
  c: ContainerRecord,
  name: string,
  events = 1,
): Generator<Effect, void, unknown> {
  const n = d.findNetwork(name);
  const payload: JsonObject = { containerId: c.id };
  const user = n !== undefined && !n.predefined;
  if (user) payload.network = n.name;
  const where = user ? `, ${name}` : '';
  yield d.call(
    'Network',
    'net.disconnect',
    `libnetwork bridge: Leave + DeleteEndpoint(${short(c.id)}${where})`,
    {
      payload,
    },
  );
  const { [name]: _left, ...rest } = c.endpoints;
  c.endpoints = rest;
  for (let i = 0; i < events; i++) d.networkEvent(c, 'disconnect', n ?? { id: '', name });
}

function lookup(
  d: Daemon,
  req: Message,
): { c?: ContainerRecord; n?: NetworkRecord; error?: [number, string] } {
  const { target, body } = apiRequest(req);
  const ref = String(body.Container ?? '');
  const n = d.findNetwork(target);
  const c = d.findContainer(ref);
  if (!c) return { error: [404, `No such container: ${ref}`] };
  if (!n) return { error: [404, `network ${target} not found`] };
  return { c, n };
}

export function* networkConnect(d: Daemon, req: Message): OperationProgram {
  const { c, n, error } = lookup(d, req);
  if (error || !c || !n) return d.error(req, error?.[0] ?? 500, error?.[1] ?? '');
  const config = (apiRequest(req).body.EndpointConfig ?? {}) as JsonObject;
  const aliases = Array.isArray(config.Aliases) ? config.Aliases.map(String) : [];
  const attached = c.endpoints[n.name] !== undefined || c.connected.some((x) => x.network === n.name);
  if (attached || c.networkMode === n.name)
    return d.error(req, 403, `endpoint with name ${c.name} already exists in network ${n.name}`);
  c.connected.push({ network: n.name, aliases });
  if (c.actor.getSnapshot().matches('running')) {
    const failed = yield* joinNetwork(d, c, { network: n, aliases, ports: false }, { pid: c.pid });
    if (failed) return d.error(req, 500, failed);
  }
  d.reply(req, 200);
}

export function* networkDisconnect(d: Daemon, req: Message): OperationProgram {
  const { c, n, error } = lookup(d, req);
  if (error || !c || !n) return d.error(req, error?.[0] ?? 500, error?.[1] ?? '');
  const joined = c.connected.findIndex((x) => x.network === n.name);
  if (joined < 0 && c.endpoints[n.name] === undefined)
    return d.error(req, 403, `container ${c.id} is not connected to network ${n.name}`);
  if (joined >= 0) c.connected.splice(joined, 1);
  if (c.endpoints[n.name] !== undefined) yield* leaveNetwork(d, c, n.name, 2);
  else d.networkEvent(c, 'disconnect', n);
  d.reply(req, 200);
}
