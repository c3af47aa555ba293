// The last operation's trace, kept under the engine's root so `dockstep trace` can draw it after
// the fact (and with no engine running). Written atomically: a reader sees the old trace or the
// new one, never half of one; of two writes at once, the last rename wins.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Trace } from '../../src/model/trace.ts';

export function tracePath(root: string): string {
  return join(root, 'traces', 'last.json');
}

export async function saveTrace(root: { root: string }, trace: Trace): Promise<void> {
  const path = tracePath(root.root);
  await mkdir(join(root.root, 'traces'), { recursive: true });
  // One temporary file per write: two operations ending together (a run's create and its pull)
  // must not rename each other's file away.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(trace));
  await rename(tmp, path);
}

export async function loadTrace(root: string): Promise<Trace> {
  const path = tracePath(root);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`no trace at ${path}: run an operation against the engine first (dockstep pull …)`);
  }
  const trace = JSON.parse(text) as Trace;
  if (!Array.isArray(trace.entries) || !Array.isArray(trace.commands))
    throw new Error(`${path} is not a dockstep trace`);
  return trace;
}
