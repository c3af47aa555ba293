import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * `docker exec`: `POST /containers/{id}/exec` registers the exec (exec_create), then
 * `POST /exec/{id}/start` asks containerd to add a process to the running task (Tasks.Exec →
 * shim → `runc exec`), and waits for its exit (exec_die). The exit code is read back with
 * `GET /exec/{id}/json`.
 */
export function* execCreate(d: Daemon, req: Message): OperationProgram {
  const { target, body } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  if (!c.actor.getSnapshot().matches('running')) return d.error(req, 409, `Container ${c.id} is not running`);
  const cmd = (body.Cmd as string[] | undefined) ?? [];
  const id = d.ports.ids.id64();
  d.execs.set(id, { id, containerId: c.id, cmd, running: false, exitCode: null, pid: 0 });
  d.containerEvent(c, `exec_create: ${cmd[0] ?? ''} ${cmd.slice(1).join(' ')}`, { execID: id });
  d.reply(req, 201, { Id: id }, { params: { id: short(id) } });
  yield* [];
}

export function* execStart(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const exec = d.execs.get(target);
  const c = exec ? d.containers.get(exec.containerId) : undefined;
  if (!exec || !c) return d.error(req, 404, `No such exec instance: ${target}`);
  d.containerEvent(c, `exec_start: ${exec.cmd[0] ?? ''} ${exec.cmd.slice(1).join(' ')}`, { execID: exec.id });
  const process = { terminal: false, user: { uid: 0, gid: 0 }, args: exec.cmd, env: c.env, cwd: '/' };
  const reply = asMessage(yield d.call('containerd', 'ctrd.Tasks.Exec', `Tasks.Exec(${short(c.id)}…, exec_id=${short(exec.id)})`, { payload: { id: c.id, execId: exec.id, process } }));
  if (!reply?.ok) {
    const error = String(((reply?.payload ?? {}) as JsonObject).error ?? 'unknown');
    exec.exitCode = /permission denied/.test(error) ? 126 : 127;
    return d.reply(req, 200, { error: `OCI runtime exec failed: exec failed: ${error.replace(/^runc create failed: /, '')}: unknown` }, { narration: 'api.exec.start.failed' });
  }
  exec.running = true;
  const status = yield { kind: 'waitFor', topic: `exec:${exec.id}` };
  d.reply(req, 200, { exitCode: Number(status) });
}

export function* execInspect(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const exec = d.execs.get(target);
  if (!exec) return d.error(req, 404, `No such exec instance: ${target}`);
  d.reply(req, 200, { ID: exec.id, Running: exec.running, ExitCode: exec.exitCode, ContainerID: exec.containerId });
  yield* [];
}
