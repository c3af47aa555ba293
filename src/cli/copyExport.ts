import type { CommandSpec } from './command.ts';
import { cliError } from './errors.ts';
import { m, spec } from './flags.ts';

/**
 * `docker cp` and `docker export` as docker/cli v28 declares them (cli/command/container/cp.go,
 * export.go). cp's arguments: exactly one of the two names a container (`NAME:PATH`); a path with
 * a colon before any slash is a container's (splitCpArg: `./a:b` is a local file).
 */
function splitCpArg(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/') || arg.startsWith('.')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon <= 0) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

export const CP: CommandSpec = {
  use: 'cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  short: 'Copy files/folders between a container and the local filesystem',
  args: { kind: 'exact', n: 2 },
  flags: [spec('archive', 'a', 'bool'), spec('follow-link', 'L', 'bool'), m(spec('quiet', 'q', 'bool'))],
  interspersed: true,
  build: ({ args }) => {
    const src = splitCpArg(args[0] ?? '');
    const dst = splitCpArg(args[1] ?? '');
    if (src.container !== undefined && dst.container !== undefined)
      return cliError('copying between containers is not supported', 1);
    if (src.container === undefined && dst.container === undefined)
      return cliError('must specify at least one container source', 1);
    if (src.path === '' || dst.path === '') return cliError('filepath can not be empty', 1);
    return src.container !== undefined
      ? {
          name: 'cp',
          direction: 'from',
          container: src.container,
          containerPath: src.path,
          hostPath: dst.path,
        }
      : {
          name: 'cp',
          direction: 'to',
          container: dst.container ?? '',
          containerPath: dst.path,
          hostPath: src.path,
        };
  },
};

export const EXPORT: CommandSpec = {
  use: 'export [OPTIONS] CONTAINER',
  short: "Export a container's filesystem as a tar archive",
  args: { kind: 'exact', n: 1 },
  flags: [m(spec('output', 'o', 'string'))],
  interspersed: true,
  build: ({ values, args }) => {
    const output = values.string('output');
    // export.go: the console's stdout is a terminal, and a tar is not for one.
    if (!output) return cliError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
    return { name: 'export', container: args[0] ?? '', ...(output ? { output } : {}) };
  },
};

/** `docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]` (cli/command/container/commit.go). */
export const COMMIT: CommandSpec = {
  use: 'commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  short: "Create a new image from a container's changes",
  args: { kind: 'min', n: 1 },
  flags: [
    spec('author', 'a', 'string'),
    m(spec('change', 'c', 'list')),
    m(spec('message', 'm', 'string')),
    m(spec('pause', 'p', 'bool')),
  ],
  interspersed: true,
  build: ({ values, args }) => {
    if (args.length > 2) return cliError(`"docker commit" requires at least 1 and at most 2 arguments.`, 1);
    const reference = args[1];
    return {
      name: 'commit',
      container: args[0] ?? '',
      changes: values.list('change'),
      message: values.string('message') ?? '',
      pause: values.bool('pause', true),
      ...(reference !== undefined ? { reference } : {}),
    };
  },
};
