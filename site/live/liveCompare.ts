import type { Message } from '../../src/model/message.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/** One message of a side, and whether the other side has its counterpart. */
export interface Compared {
  key: string;
  call: string;
  /** False where this side has a message the other has not (an extra retry, another order). */
  shared: boolean;
}

/**
 * What a message is, whatever its ids, digests and times: who talks to whom, which kind, which
 * op. Two runs agree where these agree in order.
 */
export function keyOf(m: Message): string {
  return `${m.from} → ${m.to} ${m.kind} ${m.op}`;
}

/** Which messages of each side are in their longest common sequence (the rest differ). */
export function compare(
  real: readonly Message[],
  sim: readonly Message[],
): { real: Compared[]; sim: Compared[] } {
  const a = real.map(keyOf);
  const b = sim.map(keyOf);
  // lengths[i][j]: the longest common sequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lengths[i] ?? [];
      row[j] =
        a[i] === b[j]
          ? (lengths[i + 1]?.[j + 1] ?? 0) + 1
          : Math.max(lengths[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  const inA = new Set<number>();
  const inB = new Set<number>();
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      inA.add(i++);
      inB.add(j++);
    } else if ((lengths[i + 1]?.[j] ?? 0) >= (lengths[i]?.[j + 1] ?? 0)) i++;
    else j++;
  }
  const side = (ms: readonly Message[], keys: string[], common: Set<number>): Compared[] =>
    ms.map((m, i) => ({ key: keys[i] ?? '', call: `${m.from} → ${m.to}: ${m.call}`, shared: common.has(i) }));
  return { real: side(real, a, inA), sim: side(sim, b, inB) };
}

/** The same line in the simulation, after the page's earlier lines (its world as near the host's as it knows). */
export function simulate(line: string, before: readonly string[]): Message[] {
  const sim = new Simulation([line], { setup: [...before] });
  const trace = sim.runToEnd();
  return trace.entries.flatMap((e) => (e.type === 'message' ? [e.message] : []));
}
