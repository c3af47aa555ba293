// ensureBridge: the engine's bridge, as dockerd sets up docker0 at start (moby
// libnetwork/drivers/bridge setup_device_linux.go, setup_ipv4_linux.go, setup_ip_forwarding.go,
// setup_ip_tables_linux.go): the link, its gateway address (the subnet's .1 unless one is given), up;
// net.ipv4.ip_forward=1; the engine's chains and their rules. Running it again changes nothing:
// an existing bridge keeps its subnet (a restarted engine finds its containers' addresses still
// valid) and every rule is checked before it is added.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { bridgeRules, chainsOf, jumpRules } from './chains.ts';
import { removeEndpointParts } from './deleteEndpoint.ts';
import { ipBatch } from './exec.ts';
import type { BridgeNetwork } from './network.ts';
import { bridgeAddress, routedSubnets } from './routes.ts';
import { ensureChain, ensureRule, ruleText } from './rules.ts';
import { loadState, saveState, type NetState } from './store.ts';
import { CANDIDATE_SUBNETS, firstFree, formatCidr, gatewayOf, parseCidr } from './subnet.ts';

/** What ensureBridge observed and did. */
export interface BridgeEvidence {
  id: string;
  bridge: string;
  subnet: string;
  gateway: string;
  /** Whether the link was made now (false: it was there, a restarted engine). */
  created: boolean;
  /** The rules added now (none when they were all there). */
  added: string[];
  /** Containers whose half-made endpoints (an engine that died while making them) were removed. */
  swept: string[];
}

async function chooseSubnet(net: BridgeNetwork, stored: NetState | undefined): Promise<string> {
  const { cfg } = net;
  if (cfg.subnet !== undefined) return formatCidr(parseCidr(cfg.subnet));
  const taken = await routedSubnets(cfg.bridge);
  // The subnet used before, if nothing else took it meanwhile: the recorded addresses stay valid.
  const candidates = [...(stored ? [stored.subnet] : []), ...(cfg.candidates ?? CANDIDATE_SUBNETS)];
  return formatCidr(firstFree(candidates, taken));
}

async function ensureLink(
  net: BridgeNetwork,
  stored: NetState | undefined,
): Promise<{ subnet: string; gateway: string; created: boolean }> {
  const { bridge } = net.cfg;
  const found = await bridgeAddress(bridge);
  if (found.local !== undefined && found.prefixLen !== undefined) {
    await ipBatch([`link set ${bridge} up`]);
    const subnet = formatCidr(parseCidr(`${found.local}/${found.prefixLen}`));
    return { subnet, gateway: found.local, created: false };
  }
  const subnet = await chooseSubnet(net, stored);
  const c = parseCidr(subnet);
  // The gateway asked for must lie in the subnet (an address outside it is a configuration error).
  const gateway =
    net.cfg.gateway !== undefined && net.cfg.subnet !== undefined ? net.cfg.gateway : gatewayOf(c);
  await ipBatch([
    ...(found.exists ? [] : [`link add name ${bridge} type bridge`]),
    `addr add ${gateway}/${c.prefixLen} dev ${bridge}`,
    `link set ${bridge} up`,
  ]);
  return { subnet, gateway, created: !found.exists };
}

async function ensureRules(net: BridgeNetwork, subnet: string): Promise<string[]> {
  const chains = chainsOf(net.cfg);
  for (const chain of chains.nat) await ensureChain('nat', chain);
  for (const chain of chains.filter) await ensureChain('filter', chain);
  const added: string[] = [];
  for (const rule of [...bridgeRules(net.cfg, subnet), ...jumpRules(net.cfg)])
    if (await ensureRule(rule)) added.push(ruleText(rule));
  return added;
}

export async function ensureBridge(net: BridgeNetwork): Promise<BridgeEvidence> {
  const { cfg } = net;
  const stored = net.state ?? (await loadState(cfg.stateFile));
  const { subnet, gateway, created } = await ensureLink(net, stored);
  // Routing between the bridge and the host's other interfaces (outbound), and 127.0.0.1 as a
  // source routed onto the bridge (a published port reached from the host's loopback).
  await writeFile('/proc/sys/net/ipv4/ip_forward', '1');
  await writeFile(`/proc/sys/net/ipv4/conf/${cfg.bridge}/route_localnet`, '1');
  const added = await ensureRules(net, subnet);
  if (stored !== undefined && stored.subnet !== subnet && Object.keys(stored.endpoints).length > 0)
    throw new Error(
      `bridge ${cfg.bridge} has subnet ${subnet} but ${cfg.stateFile} records endpoints on ${stored.subnet}`,
    );
  // Endpoints an engine that died half way was making: what they left goes (removal tolerates
  // what was never made), and their addresses are free again.
  const swept = Object.values(stored?.pending ?? {});
  for (const e of swept) await removeEndpointParts(e);
  net.state =
    stored?.subnet === subnet
      ? { ...stored, pending: {} }
      : {
          id: stored?.id ?? cfg.id ?? randomBytes(32).toString('hex'),
          bridge: cfg.bridge,
          subnet,
          gateway,
          endpoints: {},
          pending: {},
        };
  await saveState(cfg.stateFile, net.state);
  return {
    id: net.state.id,
    bridge: cfg.bridge,
    subnet,
    gateway,
    created,
    added,
    swept: swept.map((e) => e.containerId),
  };
}
