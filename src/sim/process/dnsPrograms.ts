import { finished } from './applets.ts';
import type { Ctx, Program, ProgramRun } from './driver.ts';

/** The query's round trip on the host (a UDP packet through the namespace's NAT and back). */
const ROUND_TRIP_MS = 1;

/**
 * The programs that show a container's name resolution: busybox `nslookup` (one A query to the
 * resolv.conf nameserver, or the one given) and `cat /etc/resolv.conf` as dockerd writes it —
 * `nameserver 127.0.0.11` and `options ndots:0` on a user-defined network, the host's own
 * nameserver on the default bridge. Output recorded on busybox 1.35 (p-user-networks.txt); the
 * NXDOMAIN text is busybox's (networking/nslookup.c), which that capture could not reach.
 * https://docs.docker.com/engine/network/#dns-services
 */
export function nslookupProgram(args: readonly string[]): Program | undefined {
  const operands = args.filter((a) => !/^-(type|query|q)=(a|A)$/.test(a));
  if (operands.length !== 1 || operands[0]?.startsWith('-')) return undefined;
  const name = operands[0] ?? '';
  return { comm: 'nslookup', modeled: true, run: (ctx) => lookup(ctx, name) };
}

function* lookup(ctx: Ctx, name: string): ProgramRun {
  const server = ctx.env.dns?.nameserver;
  if (server === undefined) {
    ctx.write('stdout', ';; connection timed out; no servers could be reached\n\n');
    return 1;
  }
  const answer = ctx.query(name);
  // It prints once the answer is back.
  yield { kind: 'sleep', untilMs: ctx.now() + ROUND_TRIP_MS };
  const head = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  if (answer === undefined) {
    ctx.write('stdout', `${head}** server can't find ${name}: NXDOMAIN\n\n`);
    return 1;
  }
  ctx.write('stdout', `${head}Non-authoritative answer:\nName:\t${name}\nAddress: ${answer}\n\n`);
  return 0;
}

export function resolvConfProgram(): Program {
  return finished('cat', (ctx) => {
    const dns = ctx.env.dns;
    if (!dns) return 0;
    ctx.write(
      'stdout',
      dns.embedded ? `nameserver ${dns.nameserver}\noptions ndots:0\n` : `nameserver ${dns.nameserver}\n`,
    );
    return 0;
  });
}
