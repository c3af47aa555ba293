import type { NetworkCommand } from '../../../cli/types.ts';
import type { JsonObject } from '../../../model/json.ts';
import { tabwrite } from '../../../views/docker/tabwriter.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, type Cli } from '../cli.ts';
import { inspectEach } from './inspectEach.ts';

/**
 * `docker network …` as docker/cli v28 runs it (cli/command/network): create posts the
 * network's config and prints its id; ls prints NETWORK ID, NAME, DRIVER, SCOPE sorted by name;
 * inspect prints the JSON (`[]` and the error for a missing one); rm looks each network up
 * first, prints its name, and ends a failure with `exit status 1`; connect and disconnect print
 * nothing. Recorded: test/fixtures/real-engine/p-user-networks.txt.
 */
type Cmd<V extends NetworkCommand['verb']> = Extract<NetworkCommand, { verb: V }>;

export function* network(cli: Cli, cmd: NetworkCommand): OperationProgram {
  if (cmd.verb === 'create') return yield* create(cli, cmd);
  if (cmd.verb === 'ls') return yield* list(cli, cmd);
  if (cmd.verb === 'inspect') return yield* inspect(cli, cmd);
  if (cmd.verb === 'rm') return yield* remove(cli, cmd);
  return yield* attach(cli, cmd);
}

function* create(cli: Cli, cmd: Cmd<'create'>): OperationProgram {
  const config: JsonObject[] = [];
  if (cmd.subnet !== undefined)
    config.push({ Subnet: cmd.subnet, ...(cmd.gateway !== undefined ? { Gateway: cmd.gateway } : {}) });
  const body: JsonObject = {
    Driver: cmd.driver,
    Scope: '',
    IPAM: { Driver: 'default', Options: {}, Config: config },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigOnly: false,
    ConfigFrom: null,
    Options: {},
    Labels: {},
    Name: cmd.network,
    CheckDuplicate: true,
  };
  const reply = asReply(
    yield cli.call({ op: 'api.networks.create', method: 'POST', path: '/networks/create', body }),
  );
  if (!reply.ok) return fail(cli, cli.daemonError(reply));
  cli.out(String(((reply.payload ?? {}) as JsonObject).Id ?? ''));
}

function* list(cli: Cli, cmd: Cmd<'ls'>): OperationProgram {
  const reply = asReply(yield cli.call({ op: 'api.networks.list', method: 'GET', path: '/networks' }));
  if (!reply.ok) return fail(cli, cli.daemonError(reply));
  const networks = ((reply.payload ?? []) as JsonObject[]).sort((a, b) =>
    String(a.Name).localeCompare(String(b.Name)),
  );
  if (cmd.quiet) return cli.out(networks.map((n) => String(n.Id).slice(0, 12)).join('\n'));
  const rows = networks.map((n) => [
    String(n.Id).slice(0, 12),
    String(n.Name),
    String(n.Driver),
    String(n.Scope),
  ]);
  cli.out(tabwrite([['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], ...rows]).replace(/\n$/, ''));
}

function inspect(cli: Cli, cmd: Cmd<'inspect'>): OperationProgram {
  return inspectEach(cli, 'networks', cmd.networks, cmd.format);
}

function* remove(cli: Cli, cmd: Cmd<'rm'>): OperationProgram {
  let failed = false;
  for (const name of cmd.networks) {
    const found = asReply(
      yield cli.call({ op: 'api.networks.inspect', method: 'GET', path: `/networks/${name}`, target: name }),
    );
    const reply = found.ok
      ? asReply(
          yield cli.call({
            op: 'api.networks.delete',
            method: 'DELETE',
            path: `/networks/${name}`,
            target: name,
          }),
        )
      : found;
    if (reply.ok) cli.out(name);
    else {
      cli.err(cli.daemonError(reply));
      failed = true;
    }
  }
  // docker/cli 28 network/remove.go: after the errors, a StatusError whose text is printed too.
  if (failed) fail(cli, 'exit status 1');
}

function* attach(cli: Cli, cmd: Cmd<'connect' | 'disconnect'>): OperationProgram {
  const body: JsonObject =
    cmd.verb === 'connect'
      ? { Container: cmd.container, EndpointConfig: { Aliases: cmd.aliases } }
      : { Container: cmd.container, Force: cmd.force };
  const reply = asReply(
    yield cli.call({
      op: `api.networks.${cmd.verb}`,
      method: 'POST',
      path: `/networks/${cmd.network}/${cmd.verb}`,
      target: cmd.network,
      body,
    }),
  );
  if (!reply.ok) fail(cli, cli.daemonError(reply));
}

function fail(cli: Cli, text: string): void {
  cli.fail(text);
}
