import type { DockerCommand } from '../../../cli/index.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, attachContainer, inspectContainer, type Cli } from '../cli.ts';
import { startAndWait } from './run.ts';

type Cmd = DockerCommand;

/**
 * `docker exec` as docker/cli v28 runs it (cli/command/container/exec.go RunExec): a dummy
 * inspect first, so that "No such container" wins over exec errors; `POST
 * /containers/{id}/exec`; then `POST /exec/{id}/start` — detached it returns at once, attached
 * it streams the output — and `GET /exec/{id}/json` for the exit code. A process that cannot
 * start is reported inside the stream (stdout) by the daemon, and its exit code is 126.
 * https://docs.docker.com/reference/cli/docker/container/exec/
 */
export function* exec(cli: Cli, cmd: Extract<Cmd, { name: 'exec' }>): OperationProgram {
  const target = cmd.container;
  const info = asReply(yield cli.call(inspectContainer(target)));
  if (!info.ok) return cli.fail(cli.daemonError(info));
  const body: JsonObject = {
    User: cmd.user ?? '',
    Privileged: false,
    Tty: cmd.tty,
    AttachStdin: cmd.interactive && !cmd.detach,
    AttachStderr: !cmd.detach,
    AttachStdout: !cmd.detach,
    Detach: cmd.detach,
    Env: cmd.env,
    WorkingDir: cmd.workdir ?? '',
    Cmd: cmd.cmd,
  };
  const created = asReply(
    yield cli.call({
      op: 'api.containers.exec',
      method: 'POST',
      path: `/containers/${target}/exec`,
      target,
      body,
    }),
  );
  if (!created.ok) return cli.fail(cli.daemonError(created));
  const id = String(((created.payload ?? {}) as JsonObject).Id);
  const started = asReply(
    yield cli.call({
      op: 'api.exec.start',
      method: 'POST',
      path: `/exec/${id}/start`,
      target: id,
      body: { Detach: cmd.detach, Tty: cmd.tty },
    }),
  );
  if (!started.ok) return cli.fail(cli.daemonError(started));
  if (cmd.detach) return;
  const error = ((started.payload ?? {}) as JsonObject).error;
  if (typeof error === 'string') cli.out(error);
  const inspected = asReply(
    yield cli.call({ op: 'api.exec.inspect', method: 'GET', path: `/exec/${id}/json`, target: id }),
  );
  cli.exitCode = Number(((inspected.payload ?? {}) as JsonObject).ExitCode ?? 0);
}

/**
 * `docker start -a` (cli/command/container/start.go RunStart): inspect, attach (the daemon logs
 * `attach`), wait for the next exit, start; the output streams in and the exit code is the
 * container's. A start that fails prints the daemon's error and exits 1.
 */
export function* startAttached(cli: Cli, cmd: Extract<Cmd, { name: 'start' }>): OperationProgram {
  const target = cmd.containers[0] ?? '';
  const info = asReply(yield cli.call(inspectContainer(target)));
  if (!info.ok) return cli.fail(cli.daemonError(info));
  const c = (info.payload ?? {}) as JsonObject;
  const id = String(c.Id);
  const autoRemove = ((c.HostConfig ?? {}) as JsonObject).AutoRemove === true;
  yield cli.call(attachContainer(id));
  const failed = yield* startAndWait(cli, id, autoRemove ? 'removed' : 'next-exit', false);
  if (failed !== undefined) cli.fail(failed);
}
