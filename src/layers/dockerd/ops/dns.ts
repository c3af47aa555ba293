import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { draft } from '../../post.ts';
import type { Daemon } from '../daemon.ts';

/**
 * dockerd's embedded DNS server (moby v20.10.24 libnetwork/resolver.go, sandbox_dns_unix.go):
 * one listener per container on a user-defined network, inside its network namespace, reached
 * through an iptables DNAT of 127.0.0.11:53. It answers the names of the containers on the
 * networks the asking container shares — their names, `--network-alias`es and short ids — and
 * forwards any other name to the host's nameservers. Recorded: p-user-networks.txt.
 */
export function* dnsQuery(d: Daemon, msg: Message): OperationProgram {
  const p = (msg.payload ?? {}) as JsonObject;
  const containerId = String(p.containerId ?? '');
  const name = String(p.name ?? '');
  const c = d.containers.get(containerId);
  const ip = d.ports.network.resolve?.(containerId, name);
  const from = c ? c.name : containerId.slice(0, 12);
  const answer =
    ip !== undefined
      ? `A ${name} → ${ip} (a container on ${from}'s network)`
      : `${name}: no container of that name: forwarded to the host's nameserver → NXDOMAIN`;
  d.wire.event(
    draft('dockerd', 'Kernel', 'dns.answer', answer, {
      payload: { name, ...(ip !== undefined ? { answer: ip } : {}) },
      params: { name, ip: ip ?? '-', from },
      narration: ip !== undefined ? 'dns.answer' : 'dns.answer.forward',
    }),
  );
  yield* [];
}
