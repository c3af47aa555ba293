import type { CommandSpec } from './command.ts';

/**
 * `docker rename CONTAINER NEW_NAME` and `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`
 * (docker/cli v28 cli/command/container/rename.go, port.go).
 */
export const RENAME: CommandSpec = {
  use: 'rename CONTAINER NEW_NAME',
  short: 'Rename a container',
  args: { kind: 'exact', n: 2 },
  flags: [],
  interspersed: true,
  build: ({ args }) => ({ name: 'rename', container: args[0] ?? '', newName: args[1] ?? '' }),
};

export const PORT: CommandSpec = {
  use: 'port CONTAINER [PRIVATE_PORT[/PROTO]]',
  short: 'List port mappings or a specific mapping for the container',
  args: { kind: 'min', n: 1 },
  flags: [],
  interspersed: true,
  build: ({ args }) => ({
    name: 'port',
    container: args[0] ?? '',
    ...(args[1] !== undefined ? { port: args[1] } : {}),
  }),
};

export const DIFF: CommandSpec = {
  use: 'diff CONTAINER',
  short: "Inspect changes to files or directories on a container's filesystem",
  args: { kind: 'exact', n: 1 },
  flags: [],
  interspersed: true,
  build: ({ args }) => ({ name: 'diff', container: args[0] ?? '' }),
};
