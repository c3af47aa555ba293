// What a process may do, from /proc/<pid>/status (proc(5)): its capability sets (CapInh, CapPrm,
// CapEff, CapBnd, CapAmb as hex masks), NoNewPrivs, and its seccomp mode (0 none, 1 strict,
// 2 filter). Evidence that a container got Docker's defaults: a Docker 20.10 container on this
// machine shows CapEff 00000000a80425fb (the 14 default capabilities), NoNewPrivs 0, Seccomp 2.
import { readFile } from 'node:fs/promises';

const FIELDS = ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp'] as const;

export type Powers = Partial<Record<(typeof FIELDS)[number], string>>;

function isField(name: string): name is (typeof FIELDS)[number] {
  return (FIELDS as readonly string[]).includes(name);
}

export async function powersOf(pid: number | 'self'): Promise<Powers> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const found: Powers = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    const name = line.slice(0, at);
    if (at > 0 && isField(name)) found[name] = line.slice(at + 1).trim();
  }
  return found;
}
