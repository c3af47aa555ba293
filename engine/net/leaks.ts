// What the engine's network holds on the host, counted from the host itself (not from the state
// file): veths on the bridge, netns files, published-port rules, and whether the bridge and the
// chains exist. The reliability tests count before and after: every endpoint removed means zero
// veths, netns files and port rules.
import { readdir } from 'node:fs/promises';
import { chainsOf, jumpRules } from './chains.ts';
import type { NetConfig } from './config.ts';
import { ip, run } from './exec.ts';
import { hasRule, listRules } from './rules.ts';

export interface NetLeaks {
  /** Links whose master is the bridge (the host ends of veth pairs). */
  veths: number;
  /** Files in the netns directory (bind-mounted sandboxes). */
  netnsFiles: number;
  /** DNAT rules in the engine's nat chain (one per published port of a live endpoint). */
  portRules: number;
  /** Whether the bridge link exists. */
  bridge: boolean;
  /** The engine's chains that exist, and the jumps into them that are in place. */
  chains: number;
  jumps: number;
}

async function vethsOn(bridge: string): Promise<{ bridge: boolean; veths: number }> {
  try {
    await ip('link', 'show', 'dev', bridge);
  } catch {
    return { bridge: false, veths: 0 };
  }
  const links = JSON.parse(await ip('-j', 'link', 'show', 'master', bridge)) as unknown[];
  return { bridge: true, veths: links.length };
}

async function filesIn(dir: string): Promise<number> {
  try {
    return (await readdir(dir)).length;
  } catch {
    return 0;
  }
}

async function chainExists(table: 'nat' | 'filter', chain: string): Promise<boolean> {
  try {
    await run('iptables', ['-w', '-t', table, '-S', chain]);
    return true;
  } catch {
    return false;
  }
}

async function chainCount(cfg: NetConfig): Promise<number> {
  const { nat, filter } = chainsOf(cfg);
  const found = await Promise.all([
    ...nat.map((chain) => chainExists('nat', chain)),
    ...filter.map((chain) => chainExists('filter', chain)),
  ]);
  return found.filter(Boolean).length;
}

export async function countLeaks(cfg: NetConfig): Promise<NetLeaks> {
  const link = await vethsOn(cfg.bridge);
  let jumps = 0;
  for (const rule of jumpRules(cfg)) if (await hasRule(rule)) jumps++;
  return {
    ...link,
    netnsFiles: await filesIn(cfg.netnsDir),
    portRules: (await listRules('nat', cfg.natChain)).length,
    chains: await chainCount(cfg),
    jumps,
  };
}
