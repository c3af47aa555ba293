import type { DockerCommand, UpdateCommand } from '../../../cli/types.ts';
import type { JsonObject } from '../../../model/json.ts';
import { tabwriteText } from '../../../views/docker/tabwriter.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, type Cli } from '../cli.ts';

/**
 * `docker top` prints the daemon's ps table through a tabwriter of minimum width 20
 * (cli/command/container/top.go); `docker update` posts the resources once per container and
 * prints each name that took them (update.go). Recorded: test/fixtures/real-engine/u-top-update-stats.txt.
 */
export function* top(cli: Cli, cmd: Extract<DockerCommand, { name: 'top' }>): OperationProgram {
  const reply = asReply(
    yield cli.call({
      op: 'api.containers.top',
      method: 'GET',
      path: `/containers/${cmd.container}/top`,
      target: cmd.container,
      ...(cmd.psArgs.length > 0 ? { query: { ps_args: cmd.psArgs.join(' ') } } : {}),
    }),
  );
  if (!reply.ok) {
    cli.fail(cli.daemonError(reply));
    return;
  }
  const body = (reply.payload ?? {}) as JsonObject;
  const rows = [body.Titles, ...((body.Processes ?? []) as unknown[])] as string[][];
  cli.out(tabwriteText(rows.map((r) => `${r.join('\t')}\n`).join(''), { minwidth: 20, padding: 3 }));
}

/** The update body as docker/cli builds it: every resource field, zero when not set. */
function updateBody(cmd: UpdateCommand): JsonObject {
  return {
    CpuShares: 0,
    Memory: cmd.memoryBytes ?? 0,
    NanoCpus: cmd.nanoCpus ?? 0,
    MemorySwap: cmd.memorySwap ?? 0,
    PidsLimit: cmd.pidsLimit ?? null,
    RestartPolicy: { Name: cmd.restart?.name ?? '', MaximumRetryCount: cmd.restart?.maximumRetryCount ?? 0 },
  };
}

export function* update(cli: Cli, cmd: UpdateCommand): OperationProgram {
  const errors: string[] = [];
  for (const container of cmd.containers) {
    const reply = asReply(
      yield cli.call({
        op: 'api.containers.update',
        method: 'POST',
        path: `/containers/${container}/update`,
        target: container,
        body: updateBody(cmd),
      }),
    );
    if (reply.ok) cli.out(container);
    else errors.push(cli.daemonError(reply));
  }
  if (errors.length === 0) return;
  cli.fail(errors.join('\n'));
}
