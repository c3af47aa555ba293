import { defined, type CommandSpec } from './command.ts';
import { cliError } from './errors.ts';
import { m, spec } from './flags.ts';

/**
 * The container commands other than run/create, one cobra command each in
 * docker/cli cli/command/container/*.go (v28): Use line, flags, argument rule.
 * Reference: https://docs.docker.com/reference/cli/docker/container/
 */

export const START: CommandSpec = {
  use: 'start [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Start one or more stopped containers',
  args: { kind: 'min', n: 1 },
  flags: [
    m(spec('attach', 'a', 'bool')),
    m(spec('interactive', 'i', 'bool')),
    spec('detach-keys', '', 'string'),
    spec('checkpoint', '', 'string'),
    spec('checkpoint-dir', '', 'string'),
  ],
  interspersed: true,
  build: ({ values: v, args }) => {
    const attach = v.bool('attach');
    const interactive = v.bool('interactive');
    // start.go runStart: attaching works for one container only (plain error, exit 1).
    if ((attach || interactive) && args.length > 1)
      return cliError('you cannot start and attach multiple containers at once', 1);
    return { name: 'start', containers: args, attach, interactive };
  },
};

// stop.go / restart.go: `--time` is the deprecated spelling of `--timeout` (same variable).
const STOP_FLAGS = [
  m(spec('signal', 's', 'string')),
  m(spec('timeout', 't', 'int')),
  m(spec('time', '', 'int', { key: 'timeout' })),
];

export const STOP: CommandSpec = {
  use: 'stop [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Stop one or more running containers',
  args: { kind: 'min', n: 1 },
  flags: STOP_FLAGS,
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'stop',
    containers: args,
    ...defined({ time: v.int('timeout'), signal: v.string('signal') || undefined }),
  }),
};

export const RESTART: CommandSpec = {
  ...STOP,
  use: 'restart [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Restart one or more containers',
  build: ({ values: v, args }) => ({
    name: 'restart',
    containers: args,
    ...defined({ time: v.int('timeout'), signal: v.string('signal') || undefined }),
  }),
};

export const KILL: CommandSpec = {
  use: 'kill [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Kill one or more running containers',
  args: { kind: 'min', n: 1 },
  flags: [m(spec('signal', 's', 'string'))],
  interspersed: true,
  build: ({ values: v, args }) => ({ name: 'kill', containers: args, signal: v.string('signal') || 'KILL' }),
};

export const PAUSE: CommandSpec = {
  use: 'pause CONTAINER [CONTAINER...]',
  short: 'Pause all processes within one or more containers',
  args: { kind: 'min', n: 1 },
  flags: [],
  interspersed: true,
  build: ({ args }) => ({ name: 'pause', containers: args }),
};

export const UNPAUSE: CommandSpec = {
  ...PAUSE,
  use: 'unpause CONTAINER [CONTAINER...]',
  short: 'Unpause all processes within one or more containers',
  build: ({ args }) => ({ name: 'unpause', containers: args }),
};

export const RM: CommandSpec = {
  use: 'rm [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Remove one or more containers',
  args: { kind: 'min', n: 1 },
  flags: [m(spec('force', 'f', 'bool')), m(spec('volumes', 'v', 'bool')), spec('link', 'l', 'bool')],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'rm',
    containers: args,
    force: v.bool('force'),
    volumes: v.bool('volumes'),
  }),
};

export const PS: CommandSpec = {
  use: 'ps [OPTIONS]',
  short: 'List containers',
  args: { kind: 'none' },
  flags: [
    m(spec('all', 'a', 'bool')),
    m(spec('quiet', 'q', 'bool')),
    m(spec('no-trunc', '', 'bool')),
    m(spec('latest', 'l', 'bool')),
    m(spec('last', 'n', 'int')),
    m(spec('size', 's', 'bool')),
    m(spec('filter', 'f', 'filter')),
    m(spec('format', '', 'string')),
  ],
  interspersed: true,
  build: ({ values: v }) => {
    const last = v.int('last');
    return {
      name: 'ps',
      all: v.bool('all'),
      quiet: v.bool('quiet'),
      noTrunc: v.bool('no-trunc'),
      latest: v.bool('latest'),
      size: v.bool('size'),
      filters: v.list('filter'),
      // -1 is docker's "no limit" default (list.go)
      ...defined({ last: last === -1 ? undefined : last, format: v.string('format') || undefined }),
    };
  },
};

export const LOGS: CommandSpec = {
  use: 'logs [OPTIONS] CONTAINER',
  short: 'Fetch the logs of a container',
  args: { kind: 'exact', n: 1 },
  flags: [
    m(spec('follow', 'f', 'bool')),
    m(spec('since', '', 'string')),
    m(spec('until', '', 'string')),
    m(spec('timestamps', 't', 'bool')),
    spec('details', '', 'bool'),
    m(spec('tail', 'n', 'string')),
  ],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'logs',
    container: args[0] ?? '',
    follow: v.bool('follow'),
    timestamps: v.bool('timestamps'),
    ...defined({
      tail: v.string('tail'),
      since: v.string('since') || undefined,
      until: v.string('until') || undefined,
    }),
  }),
};

export const WAIT: CommandSpec = {
  use: 'wait CONTAINER [CONTAINER...]',
  short: 'Block until one or more containers stop, then print their exit codes',
  args: { kind: 'min', n: 1 },
  flags: [],
  interspersed: true,
  build: ({ args }) => ({ name: 'wait', containers: args }),
};

export const EXEC: CommandSpec = {
  use: 'exec [OPTIONS] CONTAINER COMMAND [ARG...]',
  short: 'Execute a command in a running container',
  args: { kind: 'min', n: 2 },
  flags: [
    spec('detach-keys', '', 'string'),
    m(spec('interactive', 'i', 'bool')),
    m(spec('tty', 't', 'bool')),
    m(spec('detach', 'd', 'bool')),
    m(spec('user', 'u', 'string')),
    spec('privileged', '', 'bool'),
    m(spec('env', 'e', 'env')),
    spec('env-file', '', 'list'),
    m(spec('workdir', 'w', 'string')),
  ],
  interspersed: false,
  build: ({ values: v, args }) => ({
    name: 'exec',
    container: args[0] ?? '',
    detach: v.bool('detach'),
    interactive: v.bool('interactive'),
    tty: v.bool('tty'),
    env: v.list('env'),
    cmd: args.slice(1),
    ...defined({ workdir: v.string('workdir') || undefined, user: v.string('user') || undefined }),
  }),
};

/** `docker container inspect`: the container-only variant (container/inspect.go). */
export const CONTAINER_INSPECT: CommandSpec = {
  use: 'inspect [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Display detailed information on one or more containers',
  args: { kind: 'min', n: 1 },
  flags: [m(spec('format', 'f', 'string')), m(spec('size', 's', 'bool'))],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'inspect',
    names: args,
    type: 'container',
    size: v.bool('size'),
    ...defined({ format: v.string('format') || undefined }),
  }),
};
