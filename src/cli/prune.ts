import type { CommandSpec } from './command.ts';
import { cliError } from './errors.ts';
import { m, spec } from './flags.ts';

/**
 * `docker image prune` and `docker system prune` as docker/cli v28 declares them
 * (cli/command/image/prune.go, cli/command/system/prune.go). Without `-f` both ask for
 * confirmation on the terminal, which the console cannot answer (as `docker container prune`).
 */
const confirm = (path: string) =>
  cliError(`dockstep: '${path}' asks for confirmation on a terminal: run it with -f`, 1);

export const IMAGE_PRUNE: CommandSpec = {
  use: 'prune [OPTIONS]',
  short: 'Remove unused images',
  args: { kind: 'none' },
  flags: [m(spec('all', 'a', 'bool')), m(spec('force', 'f', 'bool')), spec('filter', '', 'filter')],
  interspersed: true,
  build: ({ values: v }) =>
    v.bool('force') ? { name: 'image prune', all: v.bool('all') } : confirm('docker image prune'),
};

export const SYSTEM_PRUNE: CommandSpec = {
  use: 'prune [OPTIONS]',
  short: 'Remove unused data',
  args: { kind: 'none' },
  flags: [
    m(spec('all', 'a', 'bool')),
    m(spec('force', 'f', 'bool')),
    m(spec('volumes', '', 'bool')),
    spec('filter', '', 'filter'),
  ],
  interspersed: true,
  build: ({ values: v }) =>
    v.bool('force')
      ? { name: 'system prune', all: v.bool('all'), volumes: v.bool('volumes') }
      : confirm('docker system prune'),
};
