import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord, ExecRecord } from '../records.ts';
import { daemonEnvironment } from './environment.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * `docker exec`: `POST /containers/{id}/exec` registers the exec (exec_create), then
 * `POST /exec/{id}/start` adds a process to the running task in two containerd calls, as
 * libcontainerd does: `Tasks.Exec` registers it with the shim (/tasks/exec-added), and
 * `Tasks.Start(exec_id)` runs `runc exec` (/tasks/exec-started). The exit (exec_die) comes later
 * as a /tasks/exit whose id is the exec id. The exit code is read back with `GET /exec/{id}/json`.
 * https://docs.docker.com/reference/api/engine/version/v1.44/#tag/Exec
 */
export function* execCreate(d: Daemon, req: Message): OperationProgram {
  const { target, body } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  if (!c.actor.getSnapshot().matches('running')) return d.error(req, 409, `Container ${c.id} is not running`);
  const cmd = (body.Cmd as string[] | undefined) ?? [];
  const id = d.ports.ids.id64();
  d.execs.set(id, { id, containerId: c.id, cmd, running: false, exitCode: null, pid: 0 });
  d.containerEvent(c, execAction('exec_create', cmd), { execID: id });
  d.reply(req, 201, { Id: id }, { params: { id: short(id) } });
  yield* [];
}

/**
 * moby logs `"exec_create: " + path + " " + strings.Join(args, " ")`, so a command without
 * arguments ends in a space (`exec_create: true `) and arguments are not quoted.
 */
function execAction(prefix: string, cmd: string[]): string {
  return `${prefix}: ${cmd[0] ?? ''} ${cmd.slice(1).join(' ')}`;
}

/**
 * The exit code of an exec that could not start. dockerd 20.10 sets 126 whatever the cause
 * (moby v20.10.24 daemon/exec.go ContainerExecStart; recorded in f-exec.txt). Engine 29 reads the
 * error as for a container's start: 127 for a program that is not there, 126 for one that cannot
 * be run (moby docker-v29.0.0 daemon/exec.go → daemon/errors.go setExitCodeFromError).
 */
function execStartExitCode(d: Daemon, error: string): number {
  if (d.profile === 'classic') return 126;
  const text = error.toLowerCase();
  if (text.includes('permission denied') || text.includes('is a directory')) return 126;
  return /executable file not found|no such file or directory/.test(text) ? 127 : 126;
}

export function* execStart(d: Daemon, req: Message): OperationProgram {
  const { target, body } = apiRequest(req);
  const exec = d.execs.get(target);
  const c = exec ? d.containers.get(exec.containerId) : undefined;
  if (!exec || !c) return d.error(req, 404, `No such exec instance: ${target}`);
  exec.client = req.from;
  d.containerEvent(c, execAction('exec_start', exec.cmd), { execID: exec.id });
  const error = yield* startExecProcess(d, c, exec);
  if (error !== undefined) {
    // The API server writes the error into the already hijacked stream (stdout), ending in \r\n.
    exec.exitCode = execStartExitCode(d, error);
    return d.reply(req, 200, { error: `${error}\r\n` }, { narration: 'api.exec.start.failed' });
  }
  if (body.Detach === true) return d.reply(req, 200, {}, { params: { detach: 1 } });
  const status = yield { kind: 'waitFor', topic: `exec:${exec.id}` };
  d.reply(req, 200, { exitCode: Number(status) });
}

/** Tasks.Exec, then Tasks.Start(exec_id); on failure Tasks.DeleteProcess. Returns the error text. */
function* startExecProcess(
  d: Daemon,
  c: ContainerRecord,
  exec: ExecRecord,
): Generator<ReturnType<Daemon['call']>, string | undefined, unknown> {
  const process = {
    terminal: false,
    user: { uid: 0, gid: 0 },
    args: exec.cmd,
    env: daemonEnvironment(c),
    // The container's WorkingDir unless the exec names one, else / (moby v20.10.24 daemon/exec.go).
    cwd: c.image.config.config?.WorkingDir || '/',
  };
  const ids = { id: c.id, execId: exec.id };
  yield d.call('containerd', 'ctrd.Tasks.Exec', `Tasks.Exec(${short(c.id)}…, exec_id=${short(exec.id)})`, {
    payload: { ...ids, process },
  });
  const reply = asMessage(
    yield d.call(
      'containerd',
      'ctrd.Tasks.Start',
      `Tasks.Start(${short(c.id)}…, exec_id=${short(exec.id)})`,
      { payload: ids },
    ),
  );
  if (reply?.ok) {
    exec.running = true;
    exec.pid = Number(((reply.payload ?? {}) as JsonObject).pid ?? 0);
    return undefined;
  }
  yield deleteExecProcess(d, c, exec);
  const error = String(((reply?.payload ?? {}) as JsonObject).error ?? 'unknown');
  return `OCI runtime exec failed: ${error}: unknown`;
}

/** libcontainerd deletes an exec process when it has exited or could not start. */
export function deleteExecProcess(
  d: Daemon,
  c: ContainerRecord,
  exec: ExecRecord,
): ReturnType<Daemon['call']> {
  return d.call(
    'containerd',
    'ctrd.Tasks.DeleteProcess',
    `Tasks.DeleteProcess(${short(c.id)}…, exec_id=${short(exec.id)})`,
    { payload: { id: c.id, execId: exec.id } },
  );
}

export function* execInspect(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const exec = d.execs.get(target);
  if (!exec) return d.error(req, 404, `No such exec instance: ${target}`);
  d.reply(req, 200, {
    ID: exec.id,
    Running: exec.running,
    ExitCode: exec.exitCode,
    ContainerID: exec.containerId,
    Pid: exec.pid,
  });
  yield* [];
}
