import type { DockerCommand } from '../../../cli/index.ts';
import { parseReference } from '../../../model/image.ts';
import type { JsonObject, JsonValue } from '../../../model/json.ts';
import type { DockerEvent } from '../../../model/trace.ts';
import {
  eventJson,
  formatEventLine,
  formatHistory,
  formatImages,
  formatInspect,
  formatPs,
  type ContainerSummary,
} from '../../../views/docker/index.ts';
import { printInspectFormat, printPsFormat } from '../formats.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, inspectContainer, type Cli } from '../cli.ts';
import { pullImage } from './run.ts';

/**
 * The other docker commands: one request per container named, or one listing request formatted
 * as docker/cli's tables. stop, kill, pause, unpause and rm send their requests all at once
 * (docker/cli cli/command/container/utils.go parallelOperation), so a quick removal can finish
 * before a slow one named earlier; the results are still printed in argument order. start and
 * restart go one container after the other.
 */
const PER_CONTAINER: Record<
  string,
  { op: string; method: 'POST' | 'DELETE'; path: (id: string) => string; parallel: boolean }
> = {
  start: {
    op: 'api.containers.start',
    method: 'POST',
    path: (id) => `/containers/${id}/start`,
    parallel: false,
  },
  stop: { op: 'api.containers.stop', method: 'POST', path: (id) => `/containers/${id}/stop`, parallel: true },
  restart: {
    op: 'api.containers.restart',
    method: 'POST',
    path: (id) => `/containers/${id}/restart`,
    parallel: false,
  },
  kill: { op: 'api.containers.kill', method: 'POST', path: (id) => `/containers/${id}/kill`, parallel: true },
  pause: {
    op: 'api.containers.pause',
    method: 'POST',
    path: (id) => `/containers/${id}/pause`,
    parallel: true,
  },
  unpause: {
    op: 'api.containers.unpause',
    method: 'POST',
    path: (id) => `/containers/${id}/unpause`,
    parallel: true,
  },
  rm: { op: 'api.containers.delete', method: 'DELETE', path: (id) => `/containers/${id}`, parallel: true },
};

type Cmd = DockerCommand;

export function* perContainer(cli: Cli, cmd: Cmd & { containers: string[] }): OperationProgram {
  const route = PER_CONTAINER[cmd.name];
  if (!route) return;
  const query = queryFor(cmd);
  const requests = cmd.containers.map((name) => ({
    op: route.op,
    method: route.method,
    path: route.path(name),
    target: name,
    query,
  }));
  const posted: number[] = [];
  if (route.parallel) for (const r of requests) posted.push(Number(yield cli.post(r)));
  const failed: string[] = [];
  for (const [i, request] of requests.entries()) {
    const reply = asReply(
      route.parallel ? yield { kind: 'collect', id: posted[i] ?? 0 } : yield cli.call(request),
    );
    const name = request.target;
    if (reply.ok) cli.out(name);
    else {
      cli.err(cli.daemonError(reply));
      // rm -f: a container that does not exist is reported but is no failure (rm.go).
      if (!(cmd.name === 'rm' && 'force' in cmd && cmd.force && reply.status === '404')) failed.push(name);
    }
  }
  if (failed.length > 0 && cmd.name === 'start')
    cli.err(`Error: failed to start containers: ${failed.join(', ')}`);
  if (failed.length > 0) cli.exitCode = 1;
}

function queryFor(cmd: Cmd): Record<string, string> {
  const q: Record<string, string> = {};
  if ((cmd.name === 'stop' || cmd.name === 'restart') && cmd.time !== undefined) q.t = String(cmd.time);
  if ((cmd.name === 'stop' || cmd.name === 'restart') && cmd.signal !== undefined) q.signal = cmd.signal;
  if (cmd.name === 'kill' && cmd.signal !== 'KILL') q.signal = cmd.signal;
  if (cmd.name === 'rm' && cmd.force) q.force = '1';
  return q;
}

export function* ps(cli: Cli, cmd: Extract<Cmd, { name: 'ps' }>): OperationProgram {
  const reply = asReply(
    yield cli.call({
      op: 'api.containers.list',
      method: 'GET',
      path: '/containers/json',
      query: cmd.all ? { all: '1' } : {},
    }),
  );
  const list = (reply.payload ?? []) as unknown as ContainerSummary[];
  const nowSec = Math.floor(cli.now() / 1000);
  if (cmd.format !== undefined && !cmd.quiet)
    return printPsFormat(cli, list, cmd.format, !cmd.noTrunc, nowSec);
  cli.out(formatPs(list, { quiet: cmd.quiet, noTrunc: cmd.noTrunc }, nowSec));
}

export function* images(cli: Cli, cmd: Extract<Cmd, { name: 'images' }>): OperationProgram {
  const reply = asReply(yield cli.call({ op: 'api.images.list', method: 'GET', path: '/images/json' }));
  cli.out(
    formatImages(
      (reply.payload ?? []) as never,
      { quiet: cmd.quiet, noTrunc: cmd.noTrunc, digests: cmd.digests },
      Math.floor(cli.now() / 1000),
    ),
  );
}

export function* history(cli: Cli, cmd: Extract<Cmd, { name: 'history' }>): OperationProgram {
  const reply = asReply(
    yield cli.call({
      op: 'api.images.history',
      method: 'GET',
      path: `/images/${cmd.image}/history`,
      target: cmd.image,
    }),
  );
  if (!reply.ok) {
    cli.fail(cli.daemonError(reply));
    return;
  }
  cli.out(
    formatHistory(
      (reply.payload ?? []) as never,
      { noTrunc: cmd.noTrunc, quiet: cmd.quiet, human: cmd.human },
      Math.floor(cli.now() / 1000),
    ),
  );
}

export function* pull(cli: Cli, cmd: Extract<Cmd, { name: 'pull' }>): OperationProgram {
  const ref = parseReference(cmd.ref);
  if (!cmd.ref.includes(':') && !cmd.ref.includes('@')) cli.out('Using default tag: latest');
  const ok = yield* pullImage(cli, ref.name, ref.tag ?? 'latest', undefined, false);
  if (ok) cli.out(ref.string);
  else cli.exitCode = 1;
}

export function* logs(cli: Cli, cmd: Extract<Cmd, { name: 'logs' }>): OperationProgram {
  const info = asReply(yield cli.call(inspectContainer(cmd.container)));
  if (!info.ok) return cli.fail(cli.daemonError(info));
  const id = String(((info.payload ?? {}) as JsonObject).Id);
  const query: Record<string, string> = { stderr: '1', stdout: '1', tail: cmd.tail ?? 'all' };
  const reply = asReply(
    yield cli.call({
      op: 'api.containers.logs',
      method: 'GET',
      path: `/containers/${id}/logs`,
      target: id,
      query,
    }),
  );
  for (const line of (reply.payload ?? []) as { stream: string; text: string }[]) {
    if (line.stream === 'stderr') cli.err(line.text);
    else cli.out(line.text);
  }
}

/**
 * docker/cli system/inspect.go without --type: a container, an image, a network, a volume, the
 * first that answers; when none does, it still asks GET /info (a swarm manager's objects would be
 * next) and a plugin before it gives up. Recorded: t-inspect-kinds.txt.
 */
const INSPECT_PROBES: { op: string; path: (name: string) => string }[] = [
  { op: 'api.containers.inspect', path: (n) => `/containers/${n}/json` },
  { op: 'api.images.inspect', path: (n) => `/images/${n}/json` },
  { op: 'api.networks.inspect', path: (n) => `/networks/${n}` },
  { op: 'api.volumes.inspect', path: (n) => `/volumes/${n}` },
];

export function* inspect(cli: Cli, cmd: Extract<Cmd, { name: 'inspect' }>): OperationProgram {
  const found: JsonValue[] = [];
  for (const name of cmd.names) {
    let object: JsonValue | undefined;
    for (const probe of INSPECT_PROBES) {
      const reply = asReply(
        yield cli.call({ op: probe.op, method: 'GET', path: probe.path(name), target: name }),
      );
      if (reply.ok) {
        object = reply.payload ?? null;
        break;
      }
    }
    if (object === undefined) {
      yield cli.call({ op: 'api.info', method: 'GET', path: '/info' });
      yield cli.call({
        op: 'api.plugins.inspect',
        method: 'GET',
        path: `/plugins/${name}/json`,
        target: name,
      });
      cli.fail(`Error: No such object: ${name}`);
    } else found.push(object);
  }
  if (cmd.format !== undefined) printInspectFormat(cli, found, cmd.format);
  else cli.out(formatInspect(found));
}

export function* wait(cli: Cli, cmd: Extract<Cmd, { name: 'wait' }>): OperationProgram {
  for (const name of cmd.containers) {
    const reply = asReply(
      yield cli.call({
        op: 'api.containers.wait',
        method: 'POST',
        path: `/containers/${name}/wait`,
        target: name,
        query: { condition: 'not-running' },
      }),
    );
    if (reply.ok) cli.out(String(((reply.payload ?? {}) as JsonObject).StatusCode));
    else {
      cli.fail(cli.daemonError(reply));
    }
  }
}

export function* events(cli: Cli, cmd: Extract<Cmd, { name: 'events' }>): OperationProgram {
  const query: Record<string, string> = { since: cmd.since ?? '0' };
  if (cmd.until !== undefined) query.until = cmd.until;
  const reply = asReply(yield cli.call({ op: 'api.events', method: 'GET', path: '/events', query }));
  const list = (reply.payload ?? []) as unknown as DockerEvent[];
  const json = cmd.format !== undefined && /json/.test(cmd.format);
  cli.out(list.map((e) => (json ? eventJson(e) : formatEventLine(e))).join('\n'));
}
