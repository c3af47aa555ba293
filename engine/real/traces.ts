// The last operation's trace, kept under the engine's root so `dockstep trace` can draw it after
// the fact (and with no engine running). Written atomically: a reader sees the old trace or the
// new one, never half of one; of the operations that end during a write, the last one is written next.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Trace } from '../../src/model/trace.ts';

export function tracePath(root: string): string {
  return join(root, 'traces', 'last.json');
}

/** A trace file's writer: the trace handed in last and not yet written, and the write under way. */
interface Writer {
  next: Trace | undefined;
  writing: Promise<void>;
}

const writers = new Map<string, Writer>();

/**
 * Keeps `trace` as the last operation's. Operations that end while a write is under way (fifty
 * `docker rm` at once) are not each serialised and written: the one handed in last is written
 * next, as the last rename would have won anyway. Resolves once a write that holds it, or a
 * later one, is done.
 */
export function saveTrace(root: { root: string }, trace: Trace): Promise<void> {
  const path = tracePath(root.root);
  const writer = writers.get(path);
  if (writer !== undefined) {
    writer.next = trace;
    return writer.writing;
  }
  const fresh: Writer = { next: trace, writing: Promise.resolve() };
  fresh.writing = (async () => {
    try {
      for (let t = fresh.next; t !== undefined; t = fresh.next) {
        fresh.next = undefined;
        await writeTrace(root.root, path, t);
      }
    } finally {
      writers.delete(path);
    }
  })();
  writers.set(path, fresh);
  return fresh.writing;
}

async function writeTrace(dir: string, path: string, trace: Trace): Promise<void> {
  await mkdir(join(dir, 'traces'), { recursive: true });
  // One temporary file per write: two engines on one root must not rename each other's file away.
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
