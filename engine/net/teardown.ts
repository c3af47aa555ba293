// teardown: everything ensureBridge and createEndpoint made, removed: the endpoints left in the
// state file, the jumps from the built-in chains, the engine's chains, the bridge, the state
// file. For tests and for an engine told to clean up after itself; dockerd keeps docker0 when it
// stops, and so does a plain engine stop.
import { rm } from 'node:fs/promises';
import { bridgeRules, chainsOf, jumpRules } from './chains.ts';
import { ip, isAbsent } from './exec.ts';
import { removeEndpointParts } from './deleteEndpoint.ts';
import type { BridgeNetwork } from './network.ts';
import { removeChain, removeRule } from './rules.ts';
import { allEndpoints, loadState } from './store.ts';

export async function teardown(net: BridgeNetwork): Promise<void> {
  const { cfg } = net;
  const state = net.state ?? (await loadState(cfg.stateFile));
  for (const e of state ? allEndpoints(state) : []) await removeEndpointParts(e);
  for (const rule of jumpRules(cfg)) await removeRule(rule);
  if (state !== undefined) for (const rule of bridgeRules(cfg, state.subnet)) await removeRule(rule);
  const chains = chainsOf(cfg);
  for (const chain of chains.nat) await removeChain('nat', chain);
  for (const chain of chains.filter) await removeChain('filter', chain);
  try {
    await ip('link', 'del', cfg.bridge);
  } catch (error) {
    if (!isAbsent(error)) throw error;
  }
  await rm(cfg.stateFile, { force: true });
  net.state = undefined;
}
