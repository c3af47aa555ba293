// What names the engine's own network, so it lives beside a real Docker (docker0, DOCKER-*
// chains, /var/run/docker/netns) and never meets it: its bridge, subnet, chains, netns
// directory and the file IPAM keeps its state in.
import { join } from 'node:path';

export interface NetOptions {
  /** The engine's root: IPAM's state goes to `<root>/network/<bridge>.json`. */
  root: string;
  /** The bridge's name; `dockstep0` by default. At most 15 bytes (IFNAMSIZ). */
  bridge?: string;
  /** A fixed subnet (`172.31.0.0/16`); otherwise the first candidate no route covers. */
  subnet?: string;
  /** The bridge's own address in the subnet (`--gateway`); the subnet's first host (`.1`) otherwise. */
  gateway?: string;
  /** The subnets tried, in order, when none is fixed (subnet.ts CANDIDATE_SUBNETS). */
  candidates?: readonly string[];
  /** The prefix of the engine's iptables chains; `DOCKSTEP` by default. */
  chain?: string;
  /** Where the sandboxes' netns files are bind-mounted; `/run/dockstep/netns` by default. */
  netnsDir?: string;
  /**
   * The network's id when its state records none yet (a random one then): dockerd's bridge
   * network has its id from the daemon's start, before any container needs the bridge.
   */
  id?: string;
}

export interface NetConfig {
  root: string;
  bridge: string;
  subnet: string | undefined;
  gateway: string | undefined;
  candidates: readonly string[] | undefined;
  /** nat: the DNAT chain for published ports (Docker's `DOCKER`). */
  natChain: string;
  /** nat: masquerade rules (jumped to from POSTROUTING). */
  postChain: string;
  /** filter: what is let through the FORWARD chain to and from the bridge. */
  forwardChain: string;
  netnsDir: string;
  stateFile: string;
  id: string | undefined;
}

export function netConfig(options: NetOptions): NetConfig {
  const bridge = options.bridge ?? 'dockstep0';
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(bridge)) throw new Error(`bad bridge name: ${bridge}`);
  const chain = options.chain ?? 'DOCKSTEP';
  // iptables chain names are at most 28 characters (XT_EXTENSION_MAXNAMELEN less the NUL).
  if (!/^[A-Za-z0-9_-]{1,17}$/.test(chain)) throw new Error(`bad chain prefix: ${chain}`);
  return {
    root: options.root,
    bridge,
    subnet: options.subnet,
    gateway: options.gateway,
    candidates: options.candidates,
    natChain: chain,
    postChain: `${chain}-POSTROUTING`,
    forwardChain: `${chain}-FORWARD`,
    netnsDir: options.netnsDir ?? '/run/dockstep/netns',
    stateFile: join(options.root, 'network', `${bridge}.json`),
    id: options.id,
  };
}
