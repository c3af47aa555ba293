import type { StatsCommand } from '../../../cli/types.ts';
import type { JsonObject } from '../../../model/json.ts';
import { STATS_FORMAT, STATS_HEADERS, statsContext } from '../../../views/docker/stats.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, type Cli } from '../cli.ts';
import { printFormatted } from '../formats.ts';

/**
 * `docker stats` (docker/cli v28.2.2 cli/command/container/stats.go): one stats request per
 * container, side by side. Without names the CLI lists the running containers (all with `-a`)
 * and asks each by its short id; it also watches the container events to follow starts and
 * removals, which a single listing here stands for. `--no-stream` prints one table; a stream
 * prints one frame a second (the real CLI moves the cursor home before each) until Ctrl-C,
 * which the simulation's dockerd stands for by ending the stream after a few frames. Any
 * container that cannot be read fails the whole command, before a table is printed.
 * Recorded: u-top-update-stats.txt, u2-stats-stream.txt.
 */
export function* stats(cli: Cli, cmd: StatsCommand): OperationProgram {
  let targets = cmd.containers;
  if (targets.length === 0) {
    const list = asReply(
      yield cli.call({
        op: 'api.containers.list',
        method: 'GET',
        path: '/containers/json',
        ...(cmd.all ? { query: { all: '1' } } : {}),
      }),
    );
    targets = ((list.payload ?? []) as JsonObject[]).map((c) => String(c.Id).slice(0, 12));
  }
  const posted: number[] = [];
  for (const target of targets)
    posted.push(
      Number(
        yield cli.post({
          op: 'api.containers.stats',
          method: 'GET',
          path: `/containers/${target}/stats`,
          target,
          query: { stream: cmd.noStream ? '0' : '1' },
        }),
      ),
    );
  const replies = [];
  for (const id of posted) replies.push(asReply(yield { kind: 'collect', id }));
  const errors = replies.filter((r) => !r.ok).map((r) => cli.daemonError(r));
  if (errors.length > 0) {
    cli.fail(errors.join('\n'));
    return;
  }
  const frames = replies.map((r) => (Array.isArray(r.payload) ? r.payload : [r.payload]) as JsonObject[]);
  const count = Math.max(0, ...frames.map((f) => f.length));
  for (let i = 0; i < count; i++) {
    const contexts = frames.flatMap((f, j) => {
      const frame = f[Math.min(i, f.length - 1)];
      return frame === undefined ? [] : [statsContext(frame, targets[j] ?? '')];
    });
    printFormatted(cli, contexts, cmd.format ?? STATS_FORMAT, STATS_HEADERS);
  }
}
