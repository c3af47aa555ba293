import type { Message } from '../../../model/message.ts';
import { signalNumber } from '../../../model/signals.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import {
  newRestartManager,
  shouldRestart,
  type RestartDecision,
  type RestartManager,
} from '../restartManager.ts';
import { startContainer } from './containerStart.ts';

/**
 * Restart policies in dockerd's flows (moby v20.10.24): the exit handler asks the container's
 * restart manager whether it comes back (daemon/monitor.go handleContainerExit), a goroutine
 * waits out the back-off and starts it again; a stop or kill cancels that for good
 * (daemon/kill.go killWithSignal → container.ExitOnNext); `docker start` and `docker restart`
 * make a new manager and set RestartCount to 0 (daemon/start.go ResetRestartManager); a daemon
 * start brings back the containers whose policy says so (daemon/daemon.go restore).
 * Recorded: test/fixtures/real-engine/o-restart-policies.txt.
 */
export function restartManagerOf(c: ContainerRecord): RestartManager {
  c.restartManager ??= newRestartManager(c.restartPolicy, c.restartCount);
  return c.restartManager;
}

/** The topic a waiting restart listens on for its cancel. */
const cancelTopic = (c: ContainerRecord) => `restart-cancel:${c.id}`;

/** restartManager.Cancel: no restart ever again from this manager; a waiting one gives up. */
function cancelRestart(d: Daemon, c: ContainerRecord): void {
  const rm = restartManagerOf(c);
  if (rm.canceled) return;
  rm.canceled = true;
  d.waiters.notify(cancelTopic(c), 'canceled');
}

/**
 * What killWithSignal does before it signals: the stop signal (any signal when the container
 * names none, and SIGKILL always) cancels the restart manager; a user's signal marks the
 * container manually stopped. True when the container is waiting to restart: there is no
 * process, so nothing is sent and no `kill` event is logged.
 */
export function exitOnNext(d: Daemon, c: ContainerRecord, sig: number): boolean {
  if (sig === 9 || !c.stopSignalSet || signalNumber(c.stopSignal) === sig) cancelRestart(d, c);
  if (!d.shuttingDown) c.hasBeenManuallyStopped = true;
  return c.actor.getSnapshot().matches({ running: 'restarting' });
}

/** daemon.containerStart(…, resetRestartManager=true): a user's start begins the count anew. */
export function resetRestartManager(d: Daemon, c: ContainerRecord): void {
  if (c.restartManager) cancelRestart(d, c);
  delete c.restartManager;
  c.restartCount = 0;
  c.hasBeenManuallyStopped = false;
}

/** handleContainerExit's question, with the daemon's shutdown counting as a manual stop. */
export function decideAfterExit(d: Daemon, c: ContainerRecord): RestartDecision {
  const ranMs = c.finishedMs - c.startedMs;
  return shouldRestart(restartManagerOf(c), c.exitCode, d.shuttingDown || c.hasBeenManuallyStopped, ranMs);
}

/**
 * The goroutine handleContainerExit leaves behind: wait the back-off (or the cancel), then
 * start the container again without resetting its manager; `start` follows `connect` and no
 * `restart` event is logged (that one is `docker restart`'s). Its exit's waiters (`docker
 * wait`, a stop) are released here: SetRestarting closes waitStop (moby container/state.go).
 */
export function* restartAfterBackoff(d: Daemon, c: ContainerRecord, timeoutMs: number): OperationProgram {
  // The manager this exit asked: a user's start may replace it while the back-off runs.
  const rm = restartManagerOf(c);
  // A stop or kill that came during the exit's handling waited for its lock (moby
  // monitor.go holds it until the goroutine is under way), then cancelled: Cancel closes
  // the manager's channel, so the goroutine sees it at once and the container stays exited
  // before the stop is told it stopped (restartmanager.go Cancel, ShouldRestart's select).
  if (rm.canceled) return stayExited(d, c, rm);
  d.waiters.notify(`exit:${c.id}`, c.exitCode);
  d.self(
    'dockerd.restartBackoff',
    `restart manager: ${c.name} exited (${c.exitCode}); restart ${c.restartCount} in ${timeoutMs} ms`,
    {
      params: { name: c.name, code: c.exitCode, count: c.restartCount, ms: timeoutMs },
    },
  );
  const woke = yield { kind: 'waitFor', topic: cancelTopic(c), timeoutMs };
  if (woke !== 'timeout' || rm.canceled || !c.actor.getSnapshot().matches({ running: 'restarting' })) {
    // The cancel came from a stop or kill that now waits for the container to stop: the
    // goroutine answers on its own turn, after that waiter has begun to wait.
    yield { kind: 'sleep', ms: 0 };
    return stayExited(d, c, rm);
  }
  d.self('dockerd.restartNow', `back-off over: start ${short(c.id)}… again`, {
    params: { name: c.name },
  });
  // Until it runs, the container still reads `restarting` (moby sets Running only at the end).
  yield* startContainer(d, c);
  rm.active = false;
}

/** The goroutine's answer to a cancel: SetStopped, which releases the exit's waiters. */
function stayExited(d: Daemon, c: ContainerRecord, rm: RestartManager): void {
  rm.active = false;
  c.actor.send({ type: 'EXITED' });
  d.self('dockerd.restartCanceled', `restart canceled: ${c.name} stays exited (${c.exitCode})`, {
    params: { name: c.name, code: c.exitCode },
  });
  d.waiters.notify(`exit:${c.id}`, c.exitCode);
}

/** `restarting` while the back-off runs and while its start is under way. */
export function isRestarting(c: ContainerRecord): boolean {
  const snap = c.actor.getSnapshot();
  return (
    snap.matches({ running: 'restarting' }) || (snap.matches('starting') && c.restartManager?.active === true)
  );
}

/**
 * restore's restartContainers: a container that is not running comes back when its policy says
 * so for its last exit (an `always` one even after a user's stop; an `unless-stopped` one not),
 * and only if it had been started before.
 */
export function restartsOnBoot(d: Daemon): ContainerRecord[] {
  return [...d.containers.values()].filter((c) => {
    const snap = c.actor.getSnapshot();
    if (!snap.matches('exited') || c.startedMs === 0) return false;
    const probe = newRestartManager(c.restartPolicy, c.restartCount);
    return shouldRestart(probe, c.exitCode, c.hasBeenManuallyStopped, c.finishedMs - c.startedMs).restart;
  });
}

/** One container's start during restore: a goroutine of its own, beside the others'. */
export function* restoreStart(d: Daemon, req: Message): OperationProgram {
  const c = d.containers.get(String((req.payload as { id?: string } | undefined)?.id));
  if (!c) return d.reply(req, 404);
  resetRestartManager(d, c);
  const failure = yield* startContainer(d, c);
  d.reply(req, failure ? 500 : 204);
}
