import type { DockerCommand } from '../../../cli/types.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, inspectContainer, type Cli } from '../cli.ts';

/**
 * `docker rename` posts the new name and adds docker/cli's own line to a refusal; `docker port`
 * reads the container's NetworkSettings.Ports and prints `80/tcp -> 127.0.0.1:8080`, or only the
 * address for one port. Recorded: test/fixtures/real-engine/r-rename-port.txt.
 */
export function* rename(cli: Cli, cmd: Extract<DockerCommand, { name: 'rename' }>): OperationProgram {
  const reply = asReply(
    yield cli.call({
      op: 'api.containers.rename',
      method: 'POST',
      path: `/containers/${cmd.container}/rename`,
      target: cmd.container,
      query: { name: cmd.newName },
    }),
  );
  if (reply.ok) return;
  cli.fail(`${cli.daemonError(reply)}\nError: failed to rename container named ${cmd.container}`);
}

export function* port(cli: Cli, cmd: Extract<DockerCommand, { name: 'port' }>): OperationProgram {
  const reply = asReply(yield cli.call(inspectContainer(cmd.container)));
  if (!reply.ok) return cli.fail(cli.daemonError(reply));
  const settings = ((reply.payload ?? {}) as JsonObject).NetworkSettings as JsonObject | undefined;
  const ports = (settings?.Ports ?? {}) as Record<string, JsonObject[] | null>;
  const bindings = (key: string) =>
    (ports[key] ?? []).map((b) => `${String(b.HostIp)}:${String(b.HostPort)}`);
  if (cmd.port === undefined) {
    const lines = Object.keys(ports)
      .sort()
      .flatMap((key) => bindings(key).map((b) => `${key} -> ${b}`));
    if (lines.length > 0) cli.out(lines.join('\n'));
    return;
  }
  const key = cmd.port.includes('/') ? cmd.port : `${cmd.port}/tcp`;
  const found = bindings(key);
  if (found.length > 0) return cli.out(found.join('\n'));
  cli.fail(`Error: No public port '${cmd.port}' published for ${cmd.container}`);
}

/** `docker diff`: `C`, `A` or `D` and the path, one per change (cli/command/container/diff.go). */
export function* diff(cli: Cli, cmd: Extract<DockerCommand, { name: 'diff' }>): OperationProgram {
  const reply = asReply(
    yield cli.call({
      op: 'api.containers.changes',
      method: 'GET',
      path: `/containers/${cmd.container}/changes`,
      target: cmd.container,
    }),
  );
  if (!reply.ok) {
    cli.fail(cli.daemonError(reply));
    return;
  }
  const kinds = ['C', 'A', 'D'];
  const lines = ((reply.payload ?? []) as JsonObject[]).map(
    (c) => `${kinds[Number(c.Kind)] ?? '?'} ${String(c.Path)}`,
  );
  if (lines.length > 0) cli.out(lines.join('\n'));
}
