// teardown: everything ensureBridge and createEndpoint made, removed: the endpoints left in the
// state file, the jumps from the built-in chains, the engine's chains, the bridge, the state
// file. For tests and for an engine told to clean up after itself; dockerd keeps docker0 when it
// stops, and so does a plain engine stop.
import { rm } from 'node:fs/promises';
import { bridgeRules, chainsOf, jumpRules } from './chains.ts';
import { ip, isAbsent } from './exec.ts';
import { removeEndpointParts } from './deleteEndpoint.ts';
import type { BridgeNetwork } from './network.ts';
import { removeChain, removeRule, ruleText } from './rules.ts';
import { allEndpoints, loadState } from './store.ts';

export async function teardown(net: BridgeNetwork): Promise<void> {
  // The bridge as a user-defined network's goes (its endpoints, rules, link and state file);
  // then what only the default bridge's teardown removes: the jumps and the engine's chains.
  await teardownUserBridge(net);
  for (const rule of jumpRules(net.cfg)) await removeRule(rule);
  const chains = chainsOf(net.cfg);
  for (const chain of chains.nat) await removeChain('nat', chain);
  for (const chain of chains.filter) await removeChain('filter', chain);
}

/**
 * A user-defined network's bridge removed (libnetwork drivers/bridge DeleteNetwork): its rules in
 * the engine's chains, the link, the state file. The chains and their jumps are the engine's and
 * stay. Answers the rules removed, as the commands that removed them.
 */
export async function teardownUserBridge(net: BridgeNetwork): Promise<string[]> {
  const { cfg } = net;
  const state = net.state ?? (await loadState(cfg.stateFile));
  for (const e of state ? allEndpoints(state) : []) await removeEndpointParts(e);
  const rules = state === undefined ? [] : bridgeRules(cfg, state.subnet);
  for (const rule of rules) await removeRule(rule);
  try {
    await ip('link', 'del', cfg.bridge);
  } catch (error) {
    if (!isAbsent(error)) throw error;
  }
  await rm(cfg.stateFile, { force: true });
  net.state = undefined;
  return rules.map((rule) => ruleText(withDelete(rule)));
}

function withDelete(rule: string[]): string[] {
  return rule.map((a) => (a === '-A' ? '-D' : a));
}
