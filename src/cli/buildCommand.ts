import { defined, type CommandSpec } from './command.ts';
import { m, spec } from './flags.ts';

/**
 * `docker build` as docker/cli v28 declares it (cli/command/image/build.go `AddBuildFlags`):
 * exactly one argument (the context), `-t` checked as a reference when it is set (`validateTag`,
 * so a bad tag is a flag error, 125), the other flags accepted. `--progress` is buildx's flag:
 * with Engine 29 `docker build` is `docker buildx build`, whose plain progress is what a
 * terminal-less run prints anyway.
 * https://docs.docker.com/reference/cli/docker/buildx/build/
 */
export const BUILD: CommandSpec = {
  use: 'build [OPTIONS] PATH | URL | -',
  short: 'Build an image from a Dockerfile',
  args: { kind: 'exact', n: 1 },
  flags: [
    m(spec('tag', 't', 'tag')),
    m(spec('file', 'f', 'string')),
    m(spec('no-cache', '', 'bool')),
    m(spec('quiet', 'q', 'bool')),
    spec('build-arg', '', 'env'),
    spec('label', '', 'list'),
    spec('pull', '', 'bool'),
    spec('rm', '', 'bool'),
    spec('force-rm', '', 'bool'),
    spec('network', '', 'string'),
    spec('target', '', 'string'),
    spec('platform', '', 'string'),
    spec('iidfile', '', 'string'),
    spec('cache-from', '', 'list'),
    spec('memory', 'm', 'bytes'),
    spec('memory-swap', '', 'string'),
    spec('shm-size', '', 'bytes'),
    spec('cpu-shares', 'c', 'int'),
    spec('cpu-period', '', 'int'),
    spec('cpu-quota', '', 'int'),
    spec('cpuset-cpus', '', 'string'),
    spec('cpuset-mems', '', 'string'),
    spec('cgroup-parent', '', 'string'),
    spec('isolation', '', 'string'),
    spec('ulimit', '', 'list'),
    spec('add-host', '', 'list'),
    spec('security-opt', '', 'list'),
    spec('compress', '', 'bool'),
    spec('squash', '', 'bool'),
    spec('disable-content-trust', '', 'bool'),
    spec('progress', '', 'string'),
  ],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'build',
    context: args[0] ?? '',
    tags: v.list('tag'),
    noCache: v.bool('no-cache'),
    quiet: v.bool('quiet'),
    ...defined({ file: v.string('file') || undefined }),
  }),
};
