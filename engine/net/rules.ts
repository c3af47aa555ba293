// The engine's iptables rules as data: each rule is the argv after `iptables -w`
// (`-t nat -A CHAIN …`), so the same record adds it (-A/-I), checks it (-C) and removes it (-D),
// and the trace shows exactly what ran. Adding checks first, so running it twice adds nothing.
import { iptables, isAbsent, run, ToolError } from './exec.ts';

export type Rule = string[];

function withVerb(rule: Rule, verb: '-C' | '-D'): string[] {
  const i = rule.findIndex((a) => a === '-A' || a === '-I');
  if (i < 0) throw new Error(`rule without -A or -I: ${rule.join(' ')}`);
  // `-I CHAIN 1 spec…`: the position is not part of the rule for -C and -D.
  const skip = rule[i] === '-I' && /^\d+$/.test(rule[i + 2] ?? '') ? 1 : 0;
  return [...rule.slice(0, i), verb, rule[i + 1] ?? '', ...rule.slice(i + 2 + skip)];
}

export async function hasRule(rule: Rule): Promise<boolean> {
  try {
    await run('iptables', ['-w', ...withVerb(rule, '-C')]);
    return true;
  } catch (error) {
    if (error instanceof ToolError) return false;
    throw error;
  }
}

/** Adds the rule unless it is there; answers whether it was added. */
export async function ensureRule(rule: Rule): Promise<boolean> {
  if (await hasRule(rule)) return false;
  await run('iptables', ['-w', ...rule]);
  return true;
}

/** Adds the rule without looking first (it cannot be there: it names something new). */
export async function addRule(rule: Rule): Promise<void> {
  await run('iptables', ['-w', ...rule]);
}

/** Removes the rule once (an endpoint's: added once); a rule that is not there is no error. */
export async function dropRule(rule: Rule): Promise<void> {
  try {
    await run('iptables', ['-w', ...withVerb(rule, '-D')]);
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
  }
}

/** Removes every copy of the rule; a rule (or chain) that is not there is no error. */
export async function removeRule(rule: Rule): Promise<void> {
  for (let i = 0; i < 16; i++) {
    try {
      await run('iptables', ['-w', ...withVerb(rule, '-D')]);
    } catch (error) {
      if (error instanceof ToolError) return;
      throw error;
    }
  }
}

export async function ensureChain(table: 'nat' | 'filter', chain: string): Promise<void> {
  try {
    await iptables(table, '-N', chain);
  } catch (error) {
    if (!(error instanceof ToolError && /exists/i.test(error.stderr))) throw error;
  }
}

export async function removeChain(table: 'nat' | 'filter', chain: string): Promise<void> {
  for (const verb of ['-F', '-X']) {
    try {
      await iptables(table, verb, chain);
    } catch (error) {
      if (!isAbsent(error) && !(error instanceof ToolError && /no chain/i.test(error.stderr))) throw error;
    }
  }
}

/** The rules of a chain as `iptables -S` prints them, less the chain's own `-N` line; none if it is gone. */
export async function listRules(table: 'nat' | 'filter', chain: string): Promise<string[]> {
  try {
    const out = await iptables(table, '-S', chain);
    return out.split('\n').filter((line) => line.startsWith('-A '));
  } catch (error) {
    if (error instanceof ToolError) return [];
    throw error;
  }
}

export function ruleText(rule: Rule): string {
  return `iptables ${rule.join(' ')}`;
}
