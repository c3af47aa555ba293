import type { CommandSpec } from './command.ts';
import { m, spec } from './flags.ts';

/**
 * `docker network create|ls|inspect|rm|connect|disconnect`, with docker/cli v28's flags
 * (cli/command/network/*.go). Flags dockstep does not simulate (`--ipv6`, `--opt`…) are
 * accepted and reported as ignored.
 * https://docs.docker.com/reference/cli/docker/network/
 */
const FORMAT = m(spec('format', 'f', 'string'));

export const NETWORK_CREATE: CommandSpec = {
  use: 'create [OPTIONS] NETWORK',
  short: 'Create a network',
  args: { kind: 'exact', n: 1 },
  flags: [
    m(spec('driver', 'd', 'string')),
    m(spec('subnet', '', 'list')),
    m(spec('gateway', '', 'list')),
    spec('opt', 'o', 'list'),
    spec('label', '', 'list'),
    spec('internal', '', 'bool'),
    spec('ipv6', '', 'bool'),
    spec('attachable', '', 'bool'),
    spec('ingress', '', 'bool'),
    spec('scope', '', 'string'),
    spec('config-only', '', 'bool'),
    spec('config-from', '', 'string'),
    spec('ip-range', '', 'list'),
    spec('aux-address', '', 'list'),
    spec('ipam-driver', '', 'string'),
    spec('ipam-opt', '', 'list'),
  ],
  interspersed: true,
  build: ({ values: v, args }) => {
    const subnet = v.list('subnet')[0];
    const gateway = v.list('gateway')[0];
    return {
      name: 'network',
      verb: 'create',
      network: args[0] ?? '',
      driver: v.string('driver') || 'bridge',
      ...(subnet !== undefined ? { subnet } : {}),
      ...(gateway !== undefined ? { gateway } : {}),
    };
  },
};

export const NETWORK_LS: CommandSpec = {
  use: 'ls [OPTIONS]',
  short: 'List networks',
  args: { kind: 'none' },
  flags: [m(spec('quiet', 'q', 'bool')), spec('no-trunc', '', 'bool'), spec('filter', 'f', 'filter'), FORMAT],
  interspersed: true,
  build: ({ values: v }) => {
    const format = v.string('format');
    return { name: 'network', verb: 'ls', quiet: v.bool('quiet'), ...(format ? { format } : {}) };
  },
};

export const NETWORK_INSPECT: CommandSpec = {
  use: 'inspect [OPTIONS] NETWORK [NETWORK...]',
  short: 'Display detailed information on one or more networks',
  args: { kind: 'min', n: 1 },
  flags: [FORMAT, spec('verbose', 'v', 'bool')],
  interspersed: true,
  build: ({ values: v, args }) => {
    const format = v.string('format');
    return { name: 'network', verb: 'inspect', networks: args, ...(format ? { format } : {}) };
  },
};

export const NETWORK_RM: CommandSpec = {
  use: 'rm NETWORK [NETWORK...]',
  short: 'Remove one or more networks',
  args: { kind: 'min', n: 1 },
  flags: [spec('force', 'f', 'bool')],
  interspersed: true,
  build: ({ args }) => ({ name: 'network', verb: 'rm', networks: args }),
};

export const NETWORK_CONNECT: CommandSpec = {
  use: 'connect [OPTIONS] NETWORK CONTAINER',
  short: 'Connect a container to a network',
  args: { kind: 'exact', n: 2 },
  flags: [
    m(spec('alias', '', 'list')),
    spec('ip', '', 'string'),
    spec('ip6', '', 'string'),
    spec('link', '', 'list'),
    spec('link-local-ip', '', 'list'),
    spec('driver-opt', '', 'list'),
    spec('gw-priority', '', 'int'),
  ],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'network',
    verb: 'connect',
    network: args[0] ?? '',
    container: args[1] ?? '',
    aliases: v.list('alias'),
  }),
};

export const NETWORK_DISCONNECT: CommandSpec = {
  use: 'disconnect [OPTIONS] NETWORK CONTAINER',
  short: 'Disconnect a container from a network',
  args: { kind: 'exact', n: 2 },
  flags: [m(spec('force', 'f', 'bool'))],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'network',
    verb: 'disconnect',
    network: args[0] ?? '',
    container: args[1] ?? '',
    force: v.bool('force'),
  }),
};
