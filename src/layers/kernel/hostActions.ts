import { parseHostWords, isCliError, type HostAction } from '../../cli/host.ts';
import { splitShellWords } from '../../cli/shellWords.ts';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { OciRuntime } from '../../ports/runtime.ts';
import type { Wire } from '../../wire/wire.ts';
import type { OperationProgram } from '../operation.ts';
import { draft, replyDraft } from '../post.ts';

/**
 * Host actions (cli/host.ts) as the kernel and the init system carry them out: pkill is a
 * kill(2); systemctl stop sends SIGTERM to the service's main process and waits for it to exit;
 * systemctl start execs the daemon and waits for its readiness notification (sd_notify
 * READY=1, man 3 sd_notify); restart is stop, then start. This host runs dockerd without
 * socket activation: a dead dockerd's socket refuses connections, and nothing restarts it.
 */
export interface HostState {
  wire: Wire;
  runtime: OciRuntime;
  dockerd: { pid: number; up: boolean };
  /** A new pid for a dockerd that starts again. */
  nextPid(): number;
}

const DOCKERD =
  '/usr/sbin/dockerd -H unix:///var/run/docker.sock --containerd=/run/containerd/containerd.sock';

export function* hostAction(h: HostState, msg: Message): OperationProgram {
  const line = String(((msg.payload ?? {}) as JsonObject).line ?? '');
  const action = parseHostWords(splitShellWords(line));
  if (isCliError(action)) return finish(h, msg, action.exitCode, action.stderr);
  if (action.kind === 'signal') return finish(h, msg, signalDockerd(h, action.signal) ? 0 : 1);
  if (action.kind === 'allocate') return allocate(h, msg, action);
  if (action.kind === 'sleep') {
    yield { kind: 'sleep', ms: action.ms };
    return finish(h, msg, 0);
  }
  if (action.verb !== 'start') yield* stopDockerd(h);
  if (action.verb !== 'stop') yield* startDockerd(h);
  finish(h, msg, 0);
}

/** kill(2) on dockerd's pid; false when no dockerd runs (pkill then exits 1 and prints nothing). */
function signalDockerd(h: HostState, signal: 9 | 15): boolean {
  if (!h.dockerd.up) return false;
  const name = signal === 9 ? 'SIGKILL' : 'SIGTERM';
  h.wire.event(
    draft('Kernel', 'dockerd', 'host.signal', `kill(${h.dockerd.pid}, ${name})`, {
      payload: { signal, pid: h.dockerd.pid },
      params: { pid: h.dockerd.pid, signal: name },
      narration: `host.signal.${signal}`,
    }),
  );
  // SIGKILL is never seen by the process: the kernel ends it at once, and every socket it had
  // open is closed (containerd sees its event stream end).
  if (signal === 9) dockerdGone(h);
  return true;
}

/** dockerd is no more: its connections close. */
export function dockerdGone(h: HostState): void {
  h.dockerd.up = false;
  h.wire.event(
    draft(
      'Kernel',
      'containerd',
      'host.connClosed',
      `EOF on dockerd's gRPC connection (pid ${h.dockerd.pid})`,
      { params: { pid: h.dockerd.pid } },
    ),
  );
}

function* stopDockerd(h: HostState): OperationProgram {
  if (!h.dockerd.up) return;
  signalDockerd(h, 15);
  yield { kind: 'waitFor', topic: 'dockerd:exited' };
}

function* startDockerd(h: HostState): OperationProgram {
  if (h.dockerd.up) return;
  h.dockerd = { pid: h.nextPid(), up: true };
  h.wire.event(
    draft('Kernel', 'dockerd', 'host.exec', `execve("${DOCKERD}") = pid ${h.dockerd.pid}`, {
      payload: { pid: h.dockerd.pid },
      params: { pid: h.dockerd.pid },
    }),
  );
  yield { kind: 'waitFor', topic: 'dockerd:ready' };
}

function allocate(h: HostState, msg: Message, action: Extract<HostAction, { kind: 'allocate' }>): void {
  const id = String(((msg.payload ?? {}) as JsonObject).containerId ?? '');
  const result =
    id && h.runtime.allocate
      ? h.runtime.allocate(id, action.bytes)
      : { ok: false as const, error: 'no such container' };
  if (!result.ok) return finish(h, msg, 1, `allocate: no running container ${action.container}\n`);
  const mib = Math.round(action.bytes / 1024 / 1024);
  h.wire.self(
    'Kernel',
    draft(
      'Kernel',
      'Kernel',
      'host.allocate',
      `${action.container}'s init: mmap(${mib} MiB) → memory.usage_in_bytes += ${mib} MiB`,
      { params: { mib, name: action.container } },
    ),
  );
  finish(h, msg, 0);
}

function finish(h: HostState, msg: Message, code: number, stderr = ''): void {
  if (stderr) h.wire.output('stderr', stderr.endsWith('\n') ? stderr : `${stderr}\n`);
  h.wire.reply(
    msg,
    replyDraft('host.action', `exit ${code}`, {
      payload: { exitCode: code },
      params: { code },
      ok: code === 0,
    }),
  );
}
