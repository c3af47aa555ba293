import type { UserNetwork } from '../../ports/network.ts';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';

/**
 * User-defined bridge networks in the bridge driver (libnetwork drivers/bridge CreateNetwork and
 * DeleteNetwork): `docker network create` makes a Linux bridge `br-<id12>` with the network's
 * gateway address on it; `docker network rm` deletes it.
 * https://docs.docker.com/engine/network/drivers/bridge/
 */
type Args = { context: LayerInput; event: WireEvent };
type Action = (args: Args) => void;

const createNetwork: Action = ({ context, event }) => {
  const n = event.msg.payload as unknown as UserNetwork;
  const made = context.ports.network.createNetwork?.(n) ?? { ok: false, error: 'no bridge driver' };
  const prefix = n.subnet.split('/')[1] ?? '16';
  context.wire.reply(
    event.msg,
    made.ok
      ? replyDraft(
          event.msg.op,
          `ip link add ${n.bridge} type bridge; ip addr add ${n.gateway}/${prefix} dev ${n.bridge}; ip link set ${n.bridge} up`,
          { params: { bridge: n.bridge, subnet: n.subnet, gateway: n.gateway } },
        )
      : replyDraft(event.msg.op, `error: ${made.error}`, {
          ok: false,
          payload: { error: made.error },
          params: { error: made.error },
        }),
  );
};

const deleteNetwork: Action = ({ context, event }) => {
  const n = event.msg.payload as unknown as UserNetwork;
  const gone = context.ports.network.deleteNetwork?.(n.name) ?? false;
  context.wire.reply(
    event.msg,
    replyDraft(event.msg.op, gone ? `ip link del ${n.bridge}` : `no bridge for network ${n.name}`, {
      ok: gone,
      params: { bridge: n.bridge },
    }),
  );
};

export const userNetworkActions = { createNetwork, deleteNetwork };
