import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { draft, short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { loadContainers, restoreStopped } from './containerLoad.ts';
import { stopContainer } from './containerStop.ts';
import { asMessage } from './request.ts';
import { restartsOnBoot } from './restartPolicy.ts';
import { loadVolumes } from './volumeStore.ts';
import { loadNetworks } from './networks.ts';

/**
 * dockerd's own life, as moby runs it (cmd/dockerd/daemon.go, daemon/daemon.go):
 * - on SIGTERM the API server stops taking connections and `Daemon.Shutdown` stops every
 *   running container in parallel, each with its own stop signal and grace period, unless
 *   live-restore is on, in which case the containers are left to their shims;
 * - on start, the API socket is created first (moby v20.10.24 cmd/dockerd/daemon.go start:
 *   loadListeners before NewDaemon; docker-v29.0.0 daemon/command/daemon.go the same), so a
 *   command connects and waits; then `restore` reads each container from
 *   /var/lib/docker/containers, asks containerd whether its task still runs, and, without
 *   live-restore, shuts down every one it finds alive ("shutting down container considered alive
 *   by containerd"); only then is the API served (cli.api.Wait) and the waiting requests answered.
 * Both recorded on a real Engine: test/fixtures/real-engine/k-daemon-and-faults.txt.
 */
export function liveContainers(d: Daemon): ContainerRecord[] {
  return [...d.containers.values()].filter((c) => c.actor.getSnapshot().matches('running'));
}

/** One container's part of a shutdown, run beside the others'. */
export function* stopForShutdown(d: Daemon, c: ContainerRecord): OperationProgram {
  yield* stopContainer(d, c, undefined);
  if (--d.shutdownLeft === 0) d.waiters.notify('shutdown:stopped', 0);
}

/** The shutdown itself: waits for the containers' stops (started beside it), then exits. */
export function* shutdown(d: Daemon, stopping: number): OperationProgram {
  d.self(
    'dockerd.shutdown',
    d.config.liveRestore
      ? 'SIGTERM: close the API socket; live-restore: leave the containers running'
      : `SIGTERM: close the API socket; Daemon.Shutdown: stop ${stopping} running container(s)`,
    {
      params: { count: stopping },
      narration: d.config.liveRestore ? 'dockerd.shutdown.live' : 'dockerd.shutdown',
    },
  );
  if (stopping > 0) yield { kind: 'waitFor', topic: 'shutdown:stopped' };
  d.wire.event(draft('dockerd', 'Kernel', 'host.exited', 'exit_group(0): Daemon shutdown complete'));
}

/** Start-up after an execve: listen, subscribe to containerd's events, restore, serve, notify. */
export function* boot(d: Daemon, exec: Message): OperationProgram {
  const pid = Number(((exec.payload ?? {}) as JsonObject).pid ?? 0);
  d.self(
    'dockerd.boot',
    `dockerd (pid ${pid}): read /etc/docker/daemon.json (live-restore: ${String(d.config.liveRestore)})`,
    { params: { pid, live: String(d.config.liveRestore) } },
  );
  d.self('dockerd.listen.backlog', 'listen on /var/run/docker.sock: connections wait in the backlog');
  yield d.call(
    'containerd',
    'ctrd.Events.Subscribe',
    'Events.Subscribe(namespace=moby, filters=topic~=/tasks/)',
  );
  yield* loadVolumes(d);
  yield* loadNetworks(d);
  yield* loadContainers(d);
  const found = [...d.containers.values()].filter((c) => !c.actor.getSnapshot().matches('removed'));
  d.self(
    'dockerd.restore.load',
    `Loading containers: read ${found.length} × /var/lib/docker/containers/<id>/config.v2.json`,
    { params: { count: found.length } },
  );
  for (const c of liveContainers(d)) yield* restore(d, c);
  yield* restartContainers(d);
  d.self('dockerd.listen', 'Loading containers: done. API serving on /var/run/docker.sock');
  d.wire.event(draft('dockerd', 'Kernel', 'host.ready', 'sendmsg($NOTIFY_SOCKET, "READY=1")'));
}

/** A container its config says runs: is its task alive? Then keep it (live-restore) or stop it. */
function* restore(d: Daemon, c: ContainerRecord): OperationProgram {
  const reply = asMessage(
    yield d.call('containerd', 'ctrd.Tasks.Get', `Tasks.Get(${short(c.id)}…)`, { payload: { id: c.id } }),
  );
  const status = String(((reply?.payload ?? {}) as JsonObject).status ?? 'unknown');
  // Not alive: the exit happened while no dockerd listened (moby restore: !alive → SetStopped).
  if (!reply?.ok || status === 'stopped') return yield* restoreStopped(d, c, reply?.ok === true);
  if (status !== 'stopped' && d.config.liveRestore) {
    d.self(
      'dockerd.restore.keep',
      `live-restore: reattach to ${c.name}'s task (pid ${c.pid}) and its stdio fifos`,
      { params: { name: c.name, pid: c.pid } },
    );
    return;
  }
  if (status !== 'stopped') {
    d.self('dockerd.restore.shutdown', `${c.name}: alive in containerd, live-restore off: shut it down`, {
      params: { name: c.name },
    });
    yield* stopContainer(d, c, undefined);
  }
}

/**
 * restore's restartContainers: each container its restart policy brings back is started by a
 * goroutine of its own, all at once (a real Engine logs their connects, then their starts), and
 * the API listens once they are done.
 */
function* restartContainers(d: Daemon): OperationProgram {
  const ids: number[] = [];
  for (const c of restartsOnBoot(d)) {
    const call = d.call(
      'dockerd',
      'dockerd.restore.start',
      `restart policy ${c.restartPolicy.Name}: start ${c.name}`,
      { payload: { id: c.id }, params: { name: c.name, policy: c.restartPolicy.Name } },
    );
    ids.push(Number(yield { kind: 'post', draft: call.draft }));
  }
  for (const id of ids) yield { kind: 'collect', id };
}
