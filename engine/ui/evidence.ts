// Kernel evidence for the message held at the gate: what is true on the host right now for the
// container that message is about. Held before the shim → runc `create`, the bundle and its
// config.json exist and the rootfs overlay is mounted (mountinfo), but no init process yet;
// held before `start`, the init exists, blocked on exec.fifo inside its own namespaces
// (/proc/<pid>/ns, namespaces(7)) and cgroup (/proc/<pid>/cgroup, cgroups(7)), running no
// program of the image yet. Read fresh on every request: nothing here is remembered.
import { readFile } from 'node:fs/promises';
import type { JsonObject } from '../../src/model/json.ts';
import type { Hold } from '../../src/wire/gate.ts';
import type { LiveEvidence } from '../../src/wire/live.ts';
import type { RealTasks } from '../real/tasks.ts';
import { namespaceInodes } from '../shim/evidence/namespaces.ts';

/** The largest config.json sent to the page whole. */
const CONFIG_SHOWN = 64 * 1024;

/** The container id the held message names (its payload's id, as breakpoints read it). */
function containerOf(hold: Hold, tasks: RealTasks): string | undefined {
  const p = (hold.next.payload ?? {}) as JsonObject;
  if (typeof p !== 'object' || Array.isArray(p)) return undefined;
  const words = ['id', 'containerId', 'container'].flatMap((k) => (typeof p[k] === 'string' ? [p[k]] : []));
  return words.find((w) => tasks.live.has(w)) ?? words.find((w) => /^[0-9a-f]{64}$/.test(w));
}

async function configOf(bundle: string): Promise<LiveEvidence['config']> {
  const text = await readFile(`${bundle}/config.json`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const args = (JSON.parse(text) as { process?: { args?: string[] } }).process?.args;
  const bytes = Buffer.byteLength(text);
  // The whole spec for the page's inspector, unless it is unusually large (hooks, many mounts).
  const shown = bytes <= CONFIG_SHOWN ? { text } : {};
  return { bytes, ...(args === undefined ? {} : { args }), ...shown };
}

/** Mount points at or under `dir`, with their file system type and source (proc(5) mountinfo). */
async function mountsUnder(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').flatMap((line) => {
    const [left, right] = line.split(' - ');
    const point = left?.split(' ')[4];
    if (point === undefined || right === undefined || !(point === dir || point.startsWith(`${dir}/`)))
      return [];
    const [fsType, source] = right.split(' ');
    return [`${point} ${fsType ?? ''} ${source ?? ''}`];
  });
}

async function initOf(pid: number): Promise<LiveEvidence['init']> {
  const [status, cmdline, cgroup, inodes, host] = await Promise.all([
    readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined),
    readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined),
    readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => undefined),
    namespaceInodes(pid).catch(() => ({})),
    namespaceInodes('self'),
  ]);
  if (status === undefined) return undefined;
  const namespaces = Object.entries(inodes)
    .filter(([name]) => !name.endsWith('_for_children'))
    .map(([type, inode]) => ({ type, inode, fresh: inode !== host[type] }));
  return {
    pid,
    ...(/^State:\s+(.*)$/m.exec(status)?.[1] === undefined
      ? {}
      : { state: /^State:\s+(.*)$/m.exec(status)?.[1] }),
    ...(cmdline === undefined ? {} : { cmdline: cmdline.split('\0').filter(Boolean).join(' ') }),
    ...(cgroup === undefined ? {} : { cgroup: cgroup.trim().split('\n').at(-1) }),
    namespaces,
  };
}

export async function evidenceFor(
  hold: Hold | undefined,
  tasks: RealTasks | undefined,
): Promise<LiveEvidence | null> {
  if (hold === undefined) return null;
  if (tasks === undefined) return { mounts: [], note: 'this engine runs no containers' };
  const id = containerOf(hold, tasks);
  if (id === undefined) return { mounts: [], note: 'the held message names no container' };
  const task = tasks.live.get(id);
  if (task === undefined) return { container: id, mounts: [], note: 'no bundle or shim for it yet' };
  const [config, mounts, init] = await Promise.all([
    configOf(task.bundle),
    mountsUnder(task.bundle),
    task.pid > 0 ? initOf(task.pid) : Promise.resolve(undefined),
  ]);
  return {
    container: id,
    bundle: task.bundle,
    ...(config === undefined ? {} : { config }),
    mounts,
    ...(task.shimPid > 0 ? { shimPid: task.shimPid } : {}),
    ...(init === undefined ? {} : { init }),
  };
}
