import type { Trace } from '../../src/model/trace.ts';
import { toMermaid } from '../../src/views/mermaid.ts';
import { goldenLines } from '../../src/views/trace.ts';

/**
 * The golden text of one command of a run: the line typed, its messages as `from -> to: call`
 * lines, and (unless `mermaid: false`) its Mermaid diagram with the run's own step numbers.
 */
export function commandText(trace: Trace, index: number, line: string, { mermaid = true } = {}): string {
  const golden = goldenLines({
    ...trace,
    entries: trace.entries.filter((e) => e.type !== 'message' || e.message.command === index),
  });
  return `$ ${line}\n\n${golden.join('\n')}\n${mermaid ? `\n${toMermaid(trace, { command: index })}` : ''}`;
}
