import type { BlockMark, Message } from '../../../model/message.ts';
import { signalNumber } from '../../../model/signals.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { startContainer, startEndedTopic } from './containerStart.ts';
import { apiRequest } from './request.ts';
import { exitOnNext, resetRestartManager } from './restartPolicy.ts';
import { exitUnderWay } from './taskExit.ts';

/**
 * `POST /containers/{id}/stop` (moby daemon/stop.go): send the stop signal (the image's
 * STOPSIGNAL, SIGTERM by default), wait the grace period (`-t`, 10 s by default), then SIGKILL.
 * A PID 1 without a handler ignores SIGTERM (man 7 pid_namespaces), so `sleep` always needs the
 * SIGKILL. A stopped container answers 304 and nothing happens.
 */
export function* containerStop(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  // A start under way (a user's, or a restart policy's) holds the container's lock, and the
  // stop's IsRunning takes it too (moby v20.10.24 daemon/stop.go ContainerStop, container/state.go
  // IsRunning): the stop waits for the start's end, then stops the running container (which is
  // not restarted again), or answers 304 for a start that failed.
  if (c.actor.getSnapshot().matches('starting')) yield { kind: 'waitFor', topic: startEndedTopic(c) };
  if (!c.actor.getSnapshot().matches('running')) return d.reply(req, 304);
  yield* stopContainer(d, c, query.t === undefined ? undefined : Number(query.t), query.signal);
  d.reply(req, 204);
}

/** `signal` is `docker stop -s` (API ≥ 1.42); otherwise the container's stop signal. */
export function* stopContainer(
  d: Daemon,
  c: ContainerRecord,
  timeout: number | undefined,
  signal?: string,
): OperationProgram {
  const grace = (timeout ?? c.stopTimeout ?? 10) * 1000;
  const sig = signalNumber(signal ?? c.stopSignal) ?? 15;
  c.stopping = true;
  yield* signalTask(d, c, sig);
  // container.Wait(ctx, WaitConditionNotRunning) with the grace period as its deadline (moby
  // daemon/stop.go containerStop): a container whose exit was already handled while the signal
  // was on its way is not waited for.
  const result = stillRunning(c) ? yield { kind: 'waitFor', topic: `exit:${c.id}`, timeoutMs: grace } : 0;
  if (result === 'timeout') {
    d.self('dockerd.graceExpired', `grace period ${grace / 1000}s over: SIGKILL`, {
      params: { seconds: grace / 1000 },
      block: {
        open: { type: 'alt', label: { key: 'block.graceExpired', params: { seconds: grace / 1000 } } },
      },
    });
    yield* killAndWait(d, c, 9, { closeAfter: 1 });
  }
  c.stopping = false;
  d.containerEvent(c, 'stop');
}

export function killTask(d: Daemon, c: ContainerRecord, sig: number, block?: BlockMark) {
  return d.call('containerd', 'ctrd.Tasks.Kill', `Tasks.Kill(${short(c.id)}…, signal=${sig})`, {
    payload: { id: c.id, signal: sig },
    params: { signal: sig },
    ...(block ? { block } : {}),
  });
}

/**
 * moby killWithSignal: the `kill` event is logged once containerd has delivered the signal, so
 * with SIGKILL it races the /tasks/exit of the process it killed (both orders are seen). A
 * container waiting to restart has no process: its restart is cancelled, nothing else.
 */
function* signalTask(d: Daemon, c: ContainerRecord, sig: number, block?: BlockMark): OperationProgram {
  if (exitOnNext(d, c, sig)) return;
  const paused = c.actor.getSnapshot().matches({ running: 'paused' });
  yield killTask(d, c, sig, block);
  // A frozen process gets the signal once thawed: dockerd resumes the task itself; the
  // `unpause` event follows from containerd's /tasks/resumed (taskExit.ts taskResumed).
  if (paused)
    yield d.call('containerd', 'ctrd.Tasks.Resume', `Tasks.Resume(${short(c.id)}…)`, {
      payload: { id: c.id },
    });
  d.containerEvent(c, 'kill', { signal: String(sig) });
}

export function* killAndWait(
  d: Daemon,
  c: ContainerRecord,
  sig: number,
  block?: BlockMark,
): OperationProgram {
  yield* signalTask(d, c, sig, block);
  if (stillRunning(c)) yield { kind: 'waitFor', topic: `exit:${c.id}` };
}

/**
 * Running to dockerd (restarting included), or exited with its exit still being handled: its
 * waiters are released only once that handling is done (taskExit.ts).
 */
const stillRunning = (c: ContainerRecord): boolean =>
  c.actor.getSnapshot().matches('running') || exitUnderWay(c);

function* unpause(d: Daemon, c: ContainerRecord): OperationProgram {
  yield d.call('containerd', 'ctrd.Tasks.Resume', `Tasks.Resume(${short(c.id)}…)`, { payload: { id: c.id } });
  // Logged once: by whichever comes first, this answer or the /tasks/resumed event (monitor.go).
  if (!c.actor.getSnapshot().can({ type: 'UNPAUSE' })) return;
  c.actor.send({ type: 'UNPAUSE' });
  d.containerEvent(c, 'unpause');
}

/** `POST /containers/{id}/kill`: one signal (SIGKILL by default), no grace period. */
export function* containerKill(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  // The signal is parsed before the container is looked up (moby container_routes.go postContainersKill).
  const sig = signalNumber(query.signal ?? 'KILL');
  if (sig === undefined) return d.error(req, 400, `Invalid signal: ${query.signal ?? ''}`);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `Cannot kill container: ${target}: No such container: ${target}`);
  if (!c.actor.getSnapshot().matches('running'))
    return d.error(req, 409, `Cannot kill container: ${target}: Container ${c.id} is not running`);
  if (sig === 9) yield* killAndWait(d, c, 9);
  else yield* signalTask(d, c, sig);
  d.reply(req, 204);
}

/** `POST /containers/{id}/restart`: stop (if running), start, then the `restart` event. */
export function* containerRestart(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  if (c.actor.getSnapshot().matches('running'))
    yield* stopContainer(d, c, query.t === undefined ? undefined : Number(query.t), query.signal);
  resetRestartManager(d, c);
  const failure = yield* startContainer(d, c);
  if (failure) return d.error(req, failure.code, `Cannot restart container ${target}: ${failure.message}`);
  d.containerEvent(c, 'restart');
  d.reply(req, 204);
}

/** `POST /containers/{id}/pause` and `/unpause`: freeze or thaw the cgroup through containerd. */
export function* containerPause(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const snap = c.actor.getSnapshot();
  if (!snap.matches('running')) return d.error(req, 409, `Container ${c.id} is not running`);
  if (snap.matches({ running: 'restarting' }))
    return d.error(req, 409, `Container ${c.id} is restarting, wait until the container is running`);
  if (!snap.can({ type: 'PAUSE' })) return d.error(req, 409, `Container ${c.id} is already paused`);
  yield d.call('containerd', 'ctrd.Tasks.Pause', `Tasks.Pause(${short(c.id)}…)`, { payload: { id: c.id } });
  if (c.actor.getSnapshot().can({ type: 'PAUSE' })) {
    c.actor.send({ type: 'PAUSE' });
    d.containerEvent(c, 'pause');
  }
  d.reply(req, 204);
}

export function* containerUnpause(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  if (!c.actor.getSnapshot().can({ type: 'UNPAUSE' }))
    return d.error(req, 500, `Container ${c.id} is not paused`);
  yield* unpause(d, c);
  d.reply(req, 204);
}
