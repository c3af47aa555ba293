// The engine's start, as containerd's and dockerd's are after a crash or a stop: what the last
// engine left is found again and goes through the machines. containerd reloads the task of each
// bundle under the run directory whose container dockerd wrote as running or paused (an event to
// containerd, whose task reconnects to the shim or cleans a dead one up), then dockerd boots
// (`host.exec`: its boot operation reads the containers back from disk, asks containerd for each
// running one's task, keeps it with --live-restore or stops it without, marks one whose task is
// gone exited; src/layers/dockerd/ops/daemonLifecycle.ts). API requests that come meanwhile wait
// in dockerd's backlog, as they do in a real dockerd's socket. A bundle no running container
// owns (a start the last engine was killed in the middle of) is an orphan: its shim is told to
// kill and delete it, or its dead shim's `delete` is run, and what it held goes.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { storedState } from '../../src/layers/dockerd/ops/containerFiles.ts';
import { draft } from '../../src/layers/post.ts';
import type { JsonObject, JsonValue } from '../../src/model/json.ts';
import type { Wire } from '../../src/wire/wire.ts';
import { deleteEndpoint, type BridgeNetwork } from '../net/index.ts';
import { cleanupDeadShim } from '../shim/cleanup.ts';
import { reconnectShim } from '../shim/reconnect.ts';
import type { ContainerStore } from './containerStore.ts';
import type { RealTasks } from './tasks.ts';
import { unmount } from '../image/snapshot/mount.ts';

export interface BootParts {
  wire: Wire;
  tasks: RealTasks | undefined;
  store: ContainerStore;
  network: BridgeNetwork | undefined;
  /** Sets the bridge up (its state read back) before an orphan's endpoint is removed. */
  bridge: () => Promise<unknown>;
  /** Resolves when a message with this op has been delivered. */
  seen: (op: string, count: number) => Promise<void>;
}

const MOBY = 'moby';

async function specOf(bundle: string): Promise<JsonObject> {
  const text = await readFile(join(bundle, 'config.json'), 'utf8').catch(() => '{}');
  const spec: JsonValue = JSON.parse(text);
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? spec : {};
}

/** The orphan's shim kills and deletes its container and exits; a dead one's `delete` does it. */
async function discardOrphan(parts: BootParts, tasks: RealTasks, id: string): Promise<void> {
  const bundle = tasks.bundleOf(MOBY, id);
  const identity = { id, namespace: MOBY, bundle, address: tasks.address };
  try {
    const shim = await reconnectShim(identity);
    await shim.task.kill(9, { all: true }).catch(() => undefined);
    await shim.task.wait().catch(() => undefined);
    await shim.task.delete().catch(() => undefined);
    await shim.task.shutdown().catch(() => undefined);
    await shim.detach();
    // A Create cut short by the kill can leave runc's container behind, created but unknown to
    // the shim (its Create failed when the FIFOs had no reader any more): the bundle's `delete`
    // removes it, as containerd runs it after a task that failed to be created.
    await cleanupDeadShim(identity).catch(() => undefined);
  } catch {
    await cleanupDeadShim(identity).catch(() => undefined);
  }
  const rootfs = join(bundle, 'rootfs');
  await unmount(rootfs).catch(() => undefined);
  await rm(join(tasks.runDir, 'fifo', id), { recursive: true, force: true });
  await rm(bundle, { recursive: true, force: true });
  if (parts.network !== undefined) {
    await parts.bridge().catch(() => undefined);
    await deleteEndpoint(parts.network, id).catch(() => undefined);
  }
}

/**
 * containerd's part: each task of a running container is reloaded (posted now, reconnected as the
 * machines go on); the orphans, discarded after, are returned.
 */
async function reloadTasks(parts: BootParts, tasks: RealTasks): Promise<string[]> {
  const states = new Map(
    (await parts.store.loadAll()).map((f) => [String(f.config.ID), storedState(f)] as const),
  );
  const ids = await readdir(tasks.bundleOf(MOBY, '')).catch(() => [] as string[]);
  const owned = ids.filter((id) => ['running', 'paused'].includes(states.get(id) ?? ''));
  for (const id of owned) {
    const bundle = tasks.bundleOf(MOBY, id);
    parts.wire.event(
      draft('containerd', 'containerd', 'ctrd.restore.load', `load task ${id.slice(0, 12)}… from ${bundle}`, {
        payload: { id, namespace: MOBY, bundle, snapshotKey: id, spec: await specOf(bundle) },
      }),
    );
  }
  return ids.filter((i) => !owned.includes(i));
}

/** The engine's start, begun: `posted` once the machines have it all queued (listen then), `ready` when served. */
export interface Boot {
  posted: Promise<void>;
  ready: Promise<void>;
}

/**
 * The engine's start: containerd's tasks reloaded, then dockerd's boot (whose Tasks.Get of a
 * task still reconnecting waits for it); `ready` when the API is served (dockerd's `host.ready`)
 * and the orphans are gone.
 */
export function bootEngine(parts: BootParts): Boot {
  const served = parts.seen('host.ready', 1);
  const posted = (async () => {
    const orphans = parts.tasks === undefined ? [] : await reloadTasks(parts, parts.tasks);
    parts.wire.event(
      draft('Kernel', 'dockerd', 'host.exec', `execve("dockstep engine") = pid ${process.pid}`, {
        payload: { pid: process.pid },
      }),
    );
    return orphans;
  })();
  const ready = (async () => {
    const orphans = await posted;
    const tasks = parts.tasks;
    if (tasks !== undefined) for (const id of orphans) await discardOrphan(parts, tasks, id);
    await served;
  })();
  return { posted: posted.then(() => undefined), ready };
}

/** Resolves once `count` messages with this op have been delivered on the wire. */
export function seenOn(wire: Wire): BootParts['seen'] {
  return (op, count) =>
    new Promise((resolve) => {
      let n = 0;
      const previous = wire.onEntry;
      wire.onEntry = (entry, root) => {
        previous?.(entry, root);
        if (entry.type === 'message' && entry.message.op === op && ++n === count) resolve();
      };
    });
}
