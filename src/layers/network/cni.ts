import type { JsonObject } from '../../model/json.ts';
import type { CniResult } from '../../ports/cni.ts';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';

/**
 * The CNI plugins containerd's CRI plugin execs for a pod (https://www.cni.dev/plugins/current/):
 * `loopback` brings up lo in the pod's network namespace; `bridge` (with host-local IPAM) plugs
 * a veth pair into cni0, gives eth0 its addresses and default routes and masquerades its
 * traffic; `portmap` would turn hostPort mappings into DNAT rules, and with none it passes the
 * bridge's result on. Each request is one exec of a plugin binary; the reply is what it printed.
 */
interface CniPayload {
  plugin: 'loopback' | 'bridge' | 'portmap';
  containerId: string;
  netns: string;
  ifName: string;
}

type Ctx = LayerInput;
type Args = { context: Ctx; event: WireEvent };

const payloadOf = (e: WireEvent) => e.msg.payload as unknown as CniPayload;

function bridgeAdded(ctx: Ctx, r: CniResult): string {
  const c = ctx.ports.cni.config;
  const [, veth, eth] = r.interfaces;
  const ip = r.ips[0]?.address ?? '';
  const steps = [
    ...(r.bridgeCreated
      ? [`ip link add ${c.bridge} type bridge; ip addr add ${c.gateway}/16 dev ${c.bridge}`]
      : []),
    `ip link add ${veth?.name ?? 'veth'} type veth peer ${eth?.name ?? 'eth0'} in netns; master ${c.bridge}`,
    `${eth?.name ?? 'eth0'} ${ip}, default via ${c.gateway}`,
    `iptables -t nat: MASQUERADE ${ip.split('/')[0] ?? ''}`,
  ];
  return steps.join('; ');
}

function result(r: CniResult): JsonObject {
  const { bridgeCreated: _created, ...json } = r;
  return json as unknown as JsonObject;
}

export const cniActions = {
  cniAdd: ({ context, event }: Args) => {
    const p = payloadOf(event);
    if (p.plugin === 'loopback') {
      context.wire.reply(
        event.msg,
        replyDraft(event.msg.op, `ip link set lo up (127.0.0.1/8) in ${p.netns}`, {
          narration: 'cni.add.loopback.reply',
          payload: {
            cniVersion: '0.3.1',
            interfaces: [{ name: 'lo', sandbox: p.netns }],
            ips: [{ address: '127.0.0.1/8', interface: 0 }],
          },
        }),
      );
      return;
    }
    if (p.plugin === 'portmap') {
      const prev = context.ports.cni.result(p.containerId);
      context.wire.reply(
        event.msg,
        replyDraft(event.msg.op, 'no portMappings: prevResult passed on unchanged', {
          narration: 'cni.add.portmap.reply',
          payload: prev ? result(prev) : {},
        }),
      );
      return;
    }
    const added = context.ports.cni.add(p.containerId, p.netns, p.ifName);
    if (!added.ok) {
      context.wire.reply(
        event.msg,
        replyDraft(event.msg.op, `error: ${added.error}`, { ok: false, payload: { error: added.error } }),
      );
      return;
    }
    const ip = added.result.ips[0]?.address ?? '';
    context.wire.reply(
      event.msg,
      replyDraft(event.msg.op, bridgeAdded(context, added.result), {
        narration: 'cni.add.bridge.reply',
        payload: result(added.result),
        params: { ip, veth: added.result.interfaces[1]?.name ?? '' },
      }),
    );
  },
  cniDel: ({ context, event }: Args) => {
    const p = payloadOf(event);
    if (p.plugin !== 'bridge') {
      const call =
        p.plugin === 'loopback'
          ? `ip link set lo down in ${p.netns}`
          : 'no portMappings: no DNAT rules to delete';
      context.wire.reply(
        event.msg,
        replyDraft(event.msg.op, call, { narration: `cni.del.${p.plugin}.reply` }),
      );
      return;
    }
    const gone = context.ports.cni.del(p.containerId);
    // A DEL of what is not there succeeds: CNI DEL must be idempotent (spec, "DEL").
    const call = gone
      ? `ip link del ${gone.interfaces[1]?.name ?? 'veth'}; host-local releases ${gone.ips.map((i) => i.address.split('/')[0]).join(', ')}; iptables -t nat: MASQUERADE rule gone`
      : 'nothing to delete';
    context.wire.reply(
      event.msg,
      replyDraft(event.msg.op, call, {
        narration: 'cni.del.bridge.reply',
        params: { ip: gone?.ips[0]?.address ?? '-' },
      }),
    );
  },
};
