import { assign, setup, type ActorRefFrom } from 'xstate';
import type { EndpointTarget, PortBinding } from '../../ports/network.ts';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';
import { cniActions } from './cni.ts';
import { userNetworkActions } from './userNetworks.ts';

/**
 * The bridge network driver (libnetwork's `bridge`). One endpoint actor per attached container.
 * On a Kubernetes node the same participant stands for the CNI plugins containerd execs (cni.ts).
 * https://docs.docker.com/engine/network/drivers/bridge/
 */
export const endpointMachine = setup({
  types: {
    context: {} as { containerId: string; ip: string },
    events: {} as { type: 'detach' },
    input: {} as { containerId: string; ip: string },
  },
}).createMachine({
  id: 'endpoint',
  context: ({ input }) => input,
  initial: 'attached',
  states: { attached: { on: { detach: 'detached' } }, detached: { type: 'final' } },
});

interface NetPayload {
  containerId: string;
  /** The endpoint's name: the container's. */
  name?: string;
  ports?: PortBinding[];
  /** A user-defined network and the container's aliases on it (userNetworks.ts). */
  on?: EndpointTarget;
  network?: string;
}

type Ctx = LayerInput & { endpoints: Record<string, ActorRefFrom<typeof endpointMachine>> };

const payloadOf = (e: WireEvent) => e.msg.payload as unknown as NetPayload;

export const networkMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  actors: { endpoint: endpointMachine },
  actions: {
    connectEndpoint: assign({
      endpoints: ({ context, event, spawn }) => {
        const p = payloadOf(event);
        const result = context.ports.network.createEndpoint(p.containerId, p.ports ?? [], p.name, p.on);
        if (!result.ok) {
          context.wire.reply(
            event.msg,
            replyDraft(event.msg.op, `error: ${result.error}`, {
              ok: false,
              payload: { error: result.error },
              params: { error: result.error },
              narration: 'net.connect.failed',
            }),
          );
          return context.endpoints;
        }
        const e = result.endpoint;
        const rules = e.ports.map(
          (b) =>
            `iptables -t nat -A DOCKER -p ${b.protocol} --dport ${b.hostPort} -j DNAT --to ${e.ip}:${b.containerPort}`,
        );
        // Published ports: libnetwork's bridge driver adds a DNAT rule per port in the nat table's
        // DOCKER chain (and starts docker-proxy for traffic from the host itself).
        const call = [
          `ip link add ${e.hostVeth} type veth peer; master ${e.bridgeName ?? 'docker0'}; eth0 ${e.ip}/${e.prefixLen} in ${e.sandbox}`,
          ...rules,
        ].join('; ');
        context.wire.reply(
          event.msg,
          replyDraft(event.msg.op, call, {
            payload: { ...e, ports: e.ports as never, rules },
            params: { ip: e.ip, veth: e.hostVeth },
          }),
        );
        const actor = spawn('endpoint', {
          id: `endpoint-${p.containerId}`,
          input: { containerId: p.containerId, ip: e.ip },
        });
        return { ...context.endpoints, [p.containerId]: actor };
      },
    }),
    disconnectEndpoint: assign({
      endpoints: ({ context, event }) => {
        const p = payloadOf(event);
        const e = context.ports.network.deleteEndpoint(p.containerId, p.network);
        // A Leave for an endpoint the driver does not have is an error, not a silent success.
        const call = e
          ? `ip link del ${e.hostVeth}; release ${e.ip}`
          : `endpoint for container ${String(p.containerId).slice(0, 12)} not found`;
        context.wire.reply(
          event.msg,
          replyDraft(event.msg.op, call, {
            params: { ip: e?.ip ?? '-' },
            ok: e !== undefined,
            ...(e ? {} : { status: 'NotFound' }),
          }),
        );
        context.endpoints[p.containerId]?.send({ type: 'detach' });
        const { [p.containerId]: _gone, ...rest } = context.endpoints;
        return rest;
      },
    }),
    ...cniActions,
    ...userNetworkActions,
  },
}).createMachine({
  id: 'network',
  context: ({ input }) => ({ ...input, endpoints: {} }),
  on: {
    'net.connect': { actions: 'connectEndpoint' },
    'net.disconnect': { actions: 'disconnectEndpoint' },
    'net.createNetwork': { actions: 'createNetwork' },
    'net.deleteNetwork': { actions: 'deleteNetwork' },
    // CNI plugins, exec'd by containerd's CRI plugin for a pod (cni.ts).
    'cni.add': { actions: 'cniAdd' },
    'cni.del': { actions: 'cniDel' },
  },
});
