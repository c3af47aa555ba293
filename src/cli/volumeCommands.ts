import type { CommandSpec } from './command.ts';
import { cliError } from './errors.ts';
import { m, spec } from './flags.ts';

/**
 * `docker volume create|ls|inspect|rm` and `docker container prune`, with docker/cli v28's flags
 * (cli/command/volume, cli/command/container/prune.go).
 * https://docs.docker.com/reference/cli/docker/volume/
 */
const FORMAT = m(spec('format', 'f', 'string'));

export const VOLUME_CREATE: CommandSpec = {
  use: 'create [OPTIONS] [VOLUME]',
  short: 'Create a volume',
  args: { kind: 'max', n: 1 },
  flags: [
    m(spec('driver', 'd', 'string')),
    spec('label', '', 'list'),
    spec('opt', 'o', 'list'),
    spec('name', '', 'string'),
  ],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'volume',
    verb: 'create',
    driver: v.string('driver') || 'local',
    ...(args[0] !== undefined ? { volume: args[0] } : {}),
  }),
};

export const VOLUME_LS: CommandSpec = {
  use: 'ls [OPTIONS]',
  short: 'List volumes',
  args: { kind: 'none' },
  flags: [m(spec('quiet', 'q', 'bool')), spec('filter', 'f', 'filter'), m(spec('format', '', 'string'))],
  interspersed: true,
  build: ({ values: v }) => ({ name: 'volume', verb: 'ls', quiet: v.bool('quiet') }),
};

export const VOLUME_INSPECT: CommandSpec = {
  use: 'inspect [OPTIONS] VOLUME [VOLUME...]',
  short: 'Display detailed information on one or more volumes',
  args: { kind: 'min', n: 1 },
  flags: [FORMAT],
  interspersed: true,
  build: ({ values: v, args }) => {
    const format = v.string('format');
    return { name: 'volume', verb: 'inspect', volumes: args, ...(format ? { format } : {}) };
  },
};

export const VOLUME_RM: CommandSpec = {
  use: 'rm [OPTIONS] VOLUME [VOLUME...]',
  short: 'Remove one or more volumes',
  args: { kind: 'min', n: 1 },
  flags: [m(spec('force', 'f', 'bool'))],
  interspersed: true,
  build: ({ values: v, args }) => ({ name: 'volume', verb: 'rm', volumes: args, force: v.bool('force') }),
};

/**
 * Without `-f` docker asks `Are you sure you want to continue? [y/N]` on its terminal, which a
 * simulated console does not have: dockstep asks for `-f`.
 */
/**
 * `docker volume prune` (cli/command/volume/prune.go): `-a` asks for named volumes too (API
 * 1.42+); without `-f` the CLI asks for confirmation, which the console cannot answer.
 */
export const VOLUME_PRUNE: CommandSpec = {
  use: 'prune [OPTIONS]',
  short: 'Remove unused local volumes',
  args: { kind: 'none' },
  flags: [m(spec('force', 'f', 'bool')), m(spec('all', 'a', 'bool')), spec('filter', '', 'filter')],
  interspersed: true,
  build: ({ values: v }) =>
    v.bool('force')
      ? { name: 'volume', verb: 'prune', all: v.bool('all') }
      : cliError("dockstep: 'docker volume prune' asks for confirmation on a terminal: run it with -f", 1),
};

export const CONTAINER_PRUNE: CommandSpec = {
  use: 'prune [OPTIONS]',
  short: 'Remove all stopped containers',
  args: { kind: 'none' },
  flags: [m(spec('force', 'f', 'bool')), spec('filter', '', 'filter')],
  interspersed: true,
  build: ({ values: v }) =>
    v.bool('force')
      ? { name: 'container prune' }
      : cliError("dockstep: 'docker container prune' asks for confirmation on a terminal: run it with -f", 1),
};

/** `docker system df` (cli/command/system/df.go): the disk usage summary; `-v` is not simulated. */
export const SYSTEM_DF: CommandSpec = {
  use: 'df [OPTIONS]',
  short: 'Show docker disk usage',
  args: { kind: 'none' },
  flags: [spec('verbose', 'v', 'bool'), spec('format', '', 'string')],
  interspersed: true,
  build: () => ({ name: 'system df' }),
};
