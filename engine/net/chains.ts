// The engine's own chains and the rules that tie them to the built-in ones, for its bridge only
// (Docker's are DOCKER, DOCKER-USER, DOCKER-ISOLATION-*: never touched). What each does:
//  - nat PREROUTING and OUTPUT jump to NAT for local destinations (`-m addrtype --dst-type LOCAL`):
//    a published port is DNATed whether it is reached from outside, from the host itself (also
//    127.0.0.1: the bridge has route_localnet) or from a container (through the gateway).
//  - nat POSTROUTING jumps to POST: the subnet's traffic leaving by another interface is
//    masqueraded (outbound); DNATed connections from the host or from the subnet into the bridge
//    are masqueraded too, so the answer comes back through the host and is un-NATed (loopback,
//    and container → published port → container, the hairpin case).
//  - filter FORWARD jumps (first) to FWD: the bridge's traffic is accepted, so a FORWARD policy
//    of DROP (which a running dockerd sets) does not cut the engine's containers off.
import type { NetConfig } from './config.ts';
import type { Rule } from './rules.ts';

export interface ChainNames {
  nat: string[];
  filter: string[];
}

export function chainsOf(cfg: NetConfig): ChainNames {
  return { nat: [cfg.natChain, cfg.postChain], filter: [cfg.forwardChain] };
}

/** The jumps from the built-in chains into the engine's. */
export function jumpRules(cfg: NetConfig): Rule[] {
  const local = ['-m', 'addrtype', '--dst-type', 'LOCAL'];
  return [
    ['-t', 'nat', '-A', 'PREROUTING', ...local, '-j', cfg.natChain],
    ['-t', 'nat', '-A', 'OUTPUT', ...local, '-j', cfg.natChain],
    ['-t', 'nat', '-A', 'POSTROUTING', '-j', cfg.postChain],
    ['-t', 'filter', '-I', 'FORWARD', '1', '-j', cfg.forwardChain],
  ];
}

/** The rules inside the engine's chains for a bridge on `subnet`. */
export function bridgeRules(cfg: NetConfig, subnet: string): Rule[] {
  const br = cfg.bridge;
  const dnat = ['-m', 'conntrack', '--ctstate', 'DNAT'];
  return [
    ['-t', 'nat', '-A', cfg.postChain, '-s', subnet, '!', '-o', br, '-j', 'MASQUERADE'],
    ['-t', 'nat', '-A', cfg.postChain, '-s', subnet, '-o', br, ...dnat, '-j', 'MASQUERADE'],
    [
      '-t',
      'nat',
      '-A',
      cfg.postChain,
      '-o',
      br,
      '-m',
      'addrtype',
      '--src-type',
      'LOCAL',
      ...dnat,
      '-j',
      'MASQUERADE',
    ],
    ['-t', 'filter', '-A', cfg.forwardChain, '-i', br, '-j', 'ACCEPT'],
    [
      '-t',
      'filter',
      '-A',
      cfg.forwardChain,
      '-o',
      br,
      '-m',
      'conntrack',
      '--ctstate',
      'RELATED,ESTABLISHED,DNAT',
      '-j',
      'ACCEPT',
    ],
  ];
}
