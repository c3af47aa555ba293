import type { DockerCommand, MountSpec } from '../../../cli/index.ts';
import { familiarName, parseReference } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { BlockMark } from '../../../model/message.ts';
import { formatPullStream } from '../../../views/docker/index.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, attachContainer, startContainer, type Cli } from '../cli.ts';

type RunLike = Extract<DockerCommand, { name: 'run' } | { name: 'create' }>;

/**
 * `docker run` / `docker create` as docker/cli runs them (cli/command/container/run.go,
 * create.go): create; on 404 print "Unable to find image", pull, create again; for run, attach
 * (unless -d), wait, start; print the id (-d) or stream the output and exit with its status.
 */
export function* runCommand(cli: Cli, cmd: RunLike): OperationProgram {
  const isRun = cmd.name === 'run';
  const detach = isRun && cmd.detach;
  const body = createBody(cmd);
  const query: Record<string, string> = cmd.containerName ? { name: cmd.containerName } : {};
  // --pull always pulls before creating; never lets a missing image fail the create (create.go).
  if (cmd.pull === 'always') {
    const ref = parseReference(cmd.image);
    if (!(yield* pullImage(cli, ref.name, ref.tag ?? 'latest'))) return fail(cli, isRun);
  }
  let created = asReply(
    yield cli.call({ op: 'api.containers.create', method: 'POST', path: '/containers/create', query, body }),
  );
  if (created.status === '404' && cmd.pull === 'missing') {
    const ref = parseReference(cmd.image);
    cli.err(`Unable to find image '${familiarName(ref)}' locally`);
    const missing = { open: { type: 'alt' as const, label: { key: 'block.imageMissing' } } };
    const pulled = yield* pullImage(cli, ref.name, ref.tag ?? 'latest', missing);
    if (!pulled) return fail(cli, isRun);
    created = asReply(
      yield cli.call({
        op: 'api.containers.create',
        method: 'POST',
        path: '/containers/create',
        query,
        body,
        block: { close: 1 },
      }),
    );
  }
  if (!created.ok) {
    cli.err(
      cli.daemonError(created, isRun ? 'docker: ' : '') +
        (isRun ? "\n\nRun 'docker run --help' for more information" : ''),
    );
    return fail(cli, isRun);
  }
  const id = String(((created.payload ?? {}) as JsonObject).Id);
  if (!isRun) return cli.out(id);
  if (!detach) yield cli.call(attachContainer(id));
  const waitCondition = cmd.rm ? 'removed' : 'next-exit';
  const started = yield* startAndWait(cli, id, waitCondition, detach);
  if (started !== undefined) {
    if (detach) cli.out(id);
    cli.err(`docker: ${started}\n\nRun 'docker run --help' for more information`);
    cli.exitCode = startExitCode(started);
    return;
  }
  if (detach) cli.out(id);
}

export function* startAndWait(
  cli: Cli,
  id: string,
  condition: string,
  detach: boolean,
): Generator<ReturnType<Cli['call']>, string | undefined, unknown> {
  const wait = {
    op: 'api.containers.wait',
    method: 'POST' as const,
    path: `/containers/${id}/wait`,
    target: id,
    query: { condition },
  };
  if (detach) {
    yield cli.post(wait);
    const started = asReply(yield cli.call(startContainer(id)));
    return started.ok ? undefined : cli.daemonError(started);
  }
  // docker/cli posts wait before start (in a goroutine) so no exit can be missed, and reads its
  // answer once the output has drained.
  const waitId = Number(yield cli.post(wait));
  const started = asReply(yield cli.call(startContainer(id)));
  if (!started.ok) return cli.daemonError(started);
  const status = asReply(yield { kind: 'collect', id: waitId });
  cli.exitCode = Number(((status.payload ?? {}) as JsonObject).StatusCode ?? 0);
  return undefined;
}

/** Pull for `docker run`/`create` (errors as `docker: …` plus the run help) or for `docker pull`. */
export function* pullImage(
  cli: Cli,
  name: string,
  tag: string,
  block?: BlockMark,
  forRun = true,
): Generator<ReturnType<Cli['call']>, boolean, unknown> {
  const reply = asReply(
    yield cli.call({
      op: 'api.images.create',
      method: 'POST',
      path: '/images/create',
      query: { fromImage: name, tag },
      ...(block ? { block } : {}),
    }),
  );
  const stream = (Array.isArray(reply.payload) ? reply.payload : []) as JsonObject[];
  if (!reply.ok) {
    const inStream = stream.find((m) => typeof m.error === 'string');
    const message = inStream ? String(inStream.error) : cli.daemonError(reply);
    // What the stream said before it failed (a layer downloaded, then the disk filled up).
    const before = inStream ? formatPullStream(stream as never, false) : '';
    if (before) progress(cli, before, forRun);
    cli.err(forRun ? `docker: ${message}\n\nRun 'docker run --help' for more information` : message);
    return false;
  }
  progress(cli, formatPullStream(stream as never, false), forRun);
  return true;
}

/**
 * Where the pull progress goes, as in docker/cli: `docker pull` shows it on stdout
 * (cli/command/image/pull.go, `cli.Out()`), `docker run` and `docker create` on stderr
 * (cli/command/container/create.go, `pullImage`: `out := dockerCli.Err()`).
 */
function progress(cli: Cli, text: string, forRun: boolean): void {
  if (forRun) cli.err(text);
  else cli.out(text);
}

function createBody(cmd: RunLike): JsonObject {
  const host: JsonObject = {
    AutoRemove: cmd.name === 'run' ? cmd.rm : false,
    NetworkMode: cmd.network === 'default' ? 'bridge' : cmd.network,
  };
  if (cmd.memoryBytes) host.Memory = cmd.memoryBytes;
  // `--restart` defaults to "no" in docker/cli (opts.go); the daemon validates the name.
  host.RestartPolicy = {
    Name: cmd.restart?.name ?? 'no',
    MaximumRetryCount: cmd.restart?.maximumRetryCount ?? 0,
  };
  if (cmd.publish.length > 0) {
    host.PortBindings = cmd.publish.map(
      (p: { hostIp?: string; hostPort?: number; containerPort: number; protocol: string }) => ({
        hostIp: p.hostIp ?? '0.0.0.0',
        hostPort: p.hostPort ?? 32768,
        containerPort: p.containerPort,
        protocol: p.protocol,
      }),
    );
  }
  if (cmd.binds) host.Binds = cmd.binds;
  if (cmd.mounts) host.Mounts = cmd.mounts.map(mountJson);
  const body: JsonObject = { Image: cmd.image, Cmd: cmd.args, Env: cmd.env, HostConfig: host };
  // opts.go parseNetworkOpts: --network-alias goes to the endpoint of the --network it names.
  if (cmd.aliases !== undefined)
    body.NetworkingConfig = { EndpointsConfig: { [cmd.network]: { Aliases: cmd.aliases } } };
  if (cmd.entrypoint !== undefined) body.Entrypoint = [cmd.entrypoint];
  if (cmd.stopSignal !== undefined) body.StopSignal = cmd.stopSignal;
  if (cmd.stopTimeout !== undefined) body.StopTimeout = cmd.stopTimeout;
  return body;
}

/** A `--mount` as the Engine API's mount.Mount JSON (omitempty fields left out). */
function mountJson(m: MountSpec): JsonObject {
  const json: JsonObject = { Type: m.type };
  if (m.source !== undefined && m.source !== '') json.Source = m.source;
  json.Target = m.target;
  if (m.readOnly) json.ReadOnly = true;
  if (m.consistency) json.Consistency = m.consistency;
  const bind: JsonObject = {};
  if (m.propagation) bind.Propagation = m.propagation;
  if (m.nonRecursive) bind.NonRecursive = true;
  if (Object.keys(bind).length > 0) json.BindOptions = bind;
  return json;
}

function fail(cli: Cli, isRun: boolean): void {
  cli.exitCode = isRun ? 125 : 1;
}

/**
 * docker/cli run.go runStartContainerErr: 127 for a program not found, 126 for one that cannot
 * run, 125 for the rest (a missing network, a port in use).
 */
function startExitCode(error: string): number {
  if (/permission denied|is a directory/.test(error)) return 126;
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(error))
    return 127;
  return 125;
}
