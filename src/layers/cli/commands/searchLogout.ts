import type { DockerCommand } from '../../../cli/types.ts';
import type { JsonObject } from '../../../model/json.ts';
import { SEARCH_FORMAT, SEARCH_HEADERS, searchContext } from '../../../views/docker/search.ts';
import type { OperationProgram } from '../../operation.ts';
import { draft } from '../../post.ts';
import { asReply, type Cli } from '../cli.ts';
import { printFormatted } from '../formats.ts';

/** `-f is-official=true` → `{"is-official":{"true":true}}` (filters.ToJSON). */
function filtersJson(filters: string[]): string {
  const out: Record<string, Record<string, boolean>> = {};
  for (const f of filters) {
    const [key = '', value = ''] = f.split('=');
    out[key] = { ...(out[key] ?? {}), [value]: true };
  }
  return JSON.stringify(out);
}

/**
 * `docker search` (docker/cli v28.2.2 cli/command/registry/search.go, formatter_search.go): dockerd
 * asks the index; the CLI prints NAME, DESCRIPTION (one line, cut at 45 columns unless
 * --no-trunc), STARS and OFFICIAL (`[OK]`). The query's keys are sorted, as Go's url.Values
 * encodes them. Recorded: w-search-prune.txt.
 */
export function* search(cli: Cli, cmd: Extract<DockerCommand, { name: 'search' }>): OperationProgram {
  const query: Record<string, string> = {};
  if (cmd.filters.length > 0) query.filters = filtersJson(cmd.filters);
  if (cmd.limit !== undefined) query.limit = String(cmd.limit);
  query.term = cmd.term;
  const reply = asReply(
    yield cli.call({ op: 'api.images.search', method: 'GET', path: '/images/search', query }),
  );
  if (!reply.ok) {
    cli.fail(cli.daemonError(reply));
    return;
  }
  const rows = ((reply.payload ?? []) as JsonObject[]).map((r) => searchContext(r, cmd.noTrunc));
  printFormatted(cli, rows, cmd.format ?? SEARCH_FORMAT, SEARCH_HEADERS);
}

const INDEX_SERVER = 'https://index.docker.io/v1/';

/**
 * `docker logout [SERVER]` (docker/cli v28.2.2 cli/command/registry/logout.go): the CLI erases
 * the server's credentials from its own config file (~/.docker/config.json, or the credential
 * helper it names) and prints the server as a host name; the daemon is not asked at all, not
 * even pinged. Recorded: w-search-prune.txt.
 */
export function* logout(cli: Cli, cmd: Extract<DockerCommand, { name: 'logout' }>): OperationProgram {
  const server =
    cmd.server === undefined ? INDEX_SERVER : (cmd.server.replace(/^https?:\/\//, '').split('/')[0] ?? '');
  const erase = draft(
    'CLI',
    'CLI',
    'cli.logout',
    `erase the credentials for ${server} from ~/.docker/config.json`,
    {
      params: { server },
    },
  );
  cli.wire.self('CLI', erase);
  cli.out(`Removing login credentials for ${server}`);
  yield* [];
}
