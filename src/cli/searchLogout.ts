import { defined, type CommandSpec } from './command.ts';
import { m, spec } from './flags.ts';

/**
 * `docker search` and `docker logout` as docker/cli v28 declares them
 * (cli/command/registry/search.go, logout.go).
 */
export const SEARCH: CommandSpec = {
  use: 'search [OPTIONS] TERM',
  short: 'Search Docker Hub for images',
  args: { kind: 'exact', n: 1 },
  flags: [
    m(spec('filter', 'f', 'filter')),
    m(spec('format', '', 'string')),
    m(spec('limit', '', 'int')),
    m(spec('no-trunc', '', 'bool')),
  ],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'search',
    term: args[0] ?? '',
    filters: v.list('filter'),
    noTrunc: v.bool('no-trunc'),
    ...defined({ limit: v.int('limit'), format: v.string('format') || undefined }),
  }),
};

export const LOGOUT: CommandSpec = {
  use: 'logout [SERVER]',
  short: 'Log out from a registry',
  args: { kind: 'max', n: 1 },
  flags: [],
  interspersed: true,
  build: ({ args }) => ({ name: 'logout', ...defined({ server: args[0] }) }),
};
