// The CPU time the engine's process has used, read from /proc (utime + stime, proc(5)): the node
// that `dockstep engine` was started with and its node children (tsx runs the engine in a child).
// Shims and runc are processes of their own and are not counted: what a viewer costs the engine
// is spent in the engine's own process. Unlike the wall-clock time of a run, it does not grow
// with what the other processes of a shared machine do.
import { readFileSync } from 'node:fs';

const TICK_MS = 10;

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** utime + stime of one process, in ms (its comm is in parentheses and may hold spaces). */
function cpuOf(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * TICK_MS;
}

function nodeChildren(pid: number): number[] {
  const children = read(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
  return children.filter((c) => read(`/proc/${c}/comm`).trim() === 'node');
}

/** The engine's CPU time so far, in ms. */
export function engineCpuMs(pid: number): number {
  return [pid, ...nodeChildren(pid)].reduce((sum, p) => sum + cpuOf(p), 0);
}
