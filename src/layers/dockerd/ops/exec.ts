import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord, ExecRecord } from '../records.ts';
import { daemonEnvironment } from './environment.ts';
import { apiRequest, asMessage } from './request.ts';
import { simUser } from './specUser.ts';

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
  d.execs.set(id, {
    id,
    containerId: c.id,
    cmd,
    ...execConfig(c, body),
    running: false,
    exitCode: null,
    pid: 0,
  });
  d.containerEvent(c, execAction('exec_create', cmd), { execID: id });
  d.reply(req, 201, { Id: id }, { params: { id: short(id) } });
  yield* [];
}

/** Errors dockerd calls an invalid configuration, 400 (moby v20.10.24 daemon/errors.go translateContainerdStartErr). */
const INVALID_CONFIG =
  /executable file not found|no such file or directory|permission denied|not a directory/;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * ExecConfig from the create body (moby v20.10.24 daemon/exec.go ContainerExecCreate): the
 * daemon's environment for the container (TERM with a TTY) with `-e` replacing or appending,
 * `-u` and `-w` or else the container's own.
 */
function execConfig(c: ContainerRecord, body: JsonObject): Partial<ExecRecord> {
  const tty = body.Tty === true;
  const env = daemonEnvironment(c, tty);
  for (const entry of Array.isArray(body.Env) ? body.Env.map(text) : []) {
    const key = entry.split('=')[0] ?? entry;
    const at = env.findIndex((e) => (e.split('=')[0] ?? e) === key);
    if (at >= 0) env[at] = entry;
    else env.push(entry);
  }
  return {
    env,
    user: text(body.User),
    workingDir: text(body.WorkingDir) || c.image.config.config?.WorkingDir || '',
    tty,
    openStdin: body.AttachStdin === true,
    openStdout: body.AttachStdout === true || body.AttachStderr === true,
  };
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
  // The dockstep engine answers as the dockerd 20.10 it is measured against (namesByConfig).
  if (d.profile === 'classic' || d.namesByConfig) return 126;
  const text = error.toLowerCase();
  if (text.includes('permission denied') || text.includes('is a directory')) return 126;
  return /executable file not found|no such file or directory/.test(text) ? 127 : 126;
}

export function* execStart(d: Daemon, req: Message): OperationProgram {
  const { target, body } = apiRequest(req);
  const exec = d.execs.get(target);
  const c = exec ? d.containers.get(exec.containerId) : undefined;
  if (!exec || !c) return d.error(req, 404, `No such exec instance: ${target}`);
  // An exec runs once (moby daemon/exec.go ContainerExecStart).
  if (exec.exitCode !== null) return d.error(req, 409, `Error: Exec command ${exec.id} has already run`);
  if (exec.running || exec.client !== undefined)
    return d.error(req, 409, `Error: Exec command ${exec.id} is already running`);
  exec.client = req.from;
  d.containerEvent(c, execAction('exec_start', exec.cmd), { execID: exec.id });
  const error = yield* startExecProcess(d, c, exec);
  if (error !== undefined) {
    d.waiters.notify(`execStarted:${exec.id}`, 0);
    // Detached, the error is the answer (moby postContainerExecStart returns it): 400 for a
    // program that is not there (translateContainerdStartErr's invalid config), else 500.
    if (body.Detach === true) {
      exec.exitCode = execStartExitCode(d, error);
      return d.error(req, INVALID_CONFIG.test(error.toLowerCase()) ? 400 : 500, error);
    }
    // The API server writes the error into the already hijacked stream (stdout), ending in \r\n.
    exec.exitCode = execStartExitCode(d, error);
    return d.reply(req, 200, { error: `${error}\r\n` }, { narration: 'api.exec.start.failed' });
  }
  // Detached: an empty 200 once the process runs (w-exec-top-stats.txt).
  if (body.Detach === true) return d.reply(req, 200, undefined, { params: { detach: 1 } });
  const status = exec.exitCode ?? (yield { kind: 'waitFor', topic: `exec:${exec.id}` });
  d.reply(req, 200, { exitCode: Number(status) });
}

/** Tasks.Exec, then Tasks.Start(exec_id); on failure Tasks.DeleteProcess. Returns the error text. */
function* startExecProcess(
  d: Daemon,
  c: ContainerRecord,
  exec: ExecRecord,
): Generator<Effect, string | undefined, unknown> {
  // `-u` names a user of the container's /etc/passwd (moby daemon/exec_linux.go getUser): dockerd
  // reads the container's files, work of its own. Without one the process keeps the container's.
  const named = exec.user ?? '';
  const user =
    named === '' ? undefined : yield* d.work('execUser', { id: c.id, user: named }, () => simUser(named));
  if (user?.ok === false) return user.error;
  const process = {
    terminal: exec.tty === true,
    user:
      user?.ok === true
        ? (user.output as { uid: number; gid: number })
        : (c.spec?.process.user ?? { uid: 0, gid: 0 }),
    args: exec.cmd,
    env: exec.env ?? daemonEnvironment(c),
    // The exec's WorkingDir (the container's unless it names one), else / (moby v20.10.24 daemon/exec.go).
    cwd: exec.workingDir || '/',
  };
  const ids = { id: c.id, execId: exec.id, ...(exec.openStdin === true ? { stdin: true } : {}) };
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
    // A process that ends at once may have exited before its Start was answered (its /tasks/exit
    // came first): it stays exited.
    exec.running = exec.exitCode === null;
    exec.pid = Number(((reply.payload ?? {}) as JsonObject).pid ?? 0);
    d.waiters.notify(`execStarted:${exec.id}`, exec.pid);
    return undefined;
  }
  yield deleteExecProcess(d, c, exec);
  const error = String(((reply?.payload ?? {}) as JsonObject).error ?? 'unknown');
  return `OCI runtime exec failed: ${error}: unknown`;
}

/** The simulation has no /etc/passwd to read: a numeric `uid[:gid]` is taken as it is, a name is root. */
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
  // moby api/types ContainerExecInspect, as dockerd 20.10 answers it (w-exec-top-stats.txt).
  d.reply(req, 200, {
    ID: exec.id,
    Running: exec.running,
    ExitCode: exec.exitCode,
    ProcessConfig: {
      tty: exec.tty === true,
      entrypoint: exec.cmd[0] ?? '',
      arguments: exec.cmd.slice(1),
      privileged: false,
      ...(exec.user ? { user: exec.user } : {}),
    },
    OpenStdin: exec.openStdin === true,
    OpenStderr: exec.openStdout === true,
    OpenStdout: exec.openStdout === true,
    CanRemove: false,
    ContainerID: exec.containerId,
    DetachKeys: '',
    Pid: exec.pid,
  });
  yield* [];
}
