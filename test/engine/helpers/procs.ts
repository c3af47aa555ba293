// Processes as /proc shows them, for the reliability suite: a process's children and state,
// its peak memory, the engine's own process under the tsx runner the helper starts, and a
// container's json-file log read line by line.
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** The engine's own process: tsx runs it as a child of the process the helper started. */
export function engineProcess(wrapper: number): number {
  const child = readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .find((n) => statFields(Number(n))[1] === String(wrapper));
  if (child === undefined) throw new Error(`no engine process under ${wrapper}`);
  return Number(child);
}

/** The children of a process, from /proc (the ppid field of each stat). */
export function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => statFields(Number(n))[1] === String(parent))
    .map(Number);
}

/** A process's stat fields after its name: state, ppid, … */
export function statFields(pid: number): string[] {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return [];
  }
}

export const stateOf = (pid: number): string => statFields(pid)[0] ?? '';

/** The peak resident set of a process (VmHWM), in bytes. */
export function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) * 1024;
}

/** The json-file log's lines: how many, and whether each is a stdout line of 1000 `a`s. */
export async function readLog(path: string): Promise<{ count: number; intact: boolean }> {
  const line = `${'a'.repeat(1000)}\n`;
  let count = 0;
  let intact = true;
  for await (const text of createInterface({ input: createReadStream(path) })) {
    const entry = JSON.parse(text) as { log: string; stream: string };
    intact &&= entry.log === line && entry.stream === 'stdout';
    count++;
  }
  return { count, intact };
}
