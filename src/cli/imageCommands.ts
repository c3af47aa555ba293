import { InvalidReferenceError, parseReference } from '../model/image.ts';
import { defined, type BuildInput, type CommandSpec } from './command.ts';
import { cliError } from './errors.ts';
import { m, spec } from './flags.ts';
import type { CliError, InspectType } from './types.ts';

/**
 * Image and system commands (docker/cli v28 cli/command/image/*.go, system/*.go): Use line,
 * flags, argument rule. Reference: https://docs.docker.com/reference/cli/docker/image/
 */
const FORMAT = m(spec('format', '', 'string'));

export const IMAGES: CommandSpec = {
  use: 'images [OPTIONS] [REPOSITORY[:TAG]]',
  short: 'List images',
  args: { kind: 'max', n: 1 },
  flags: [
    m(spec('quiet', 'q', 'bool')),
    m(spec('all', 'a', 'bool')),
    m(spec('no-trunc', '', 'bool')),
    m(spec('digests', '', 'bool')),
    FORMAT,
    m(spec('filter', 'f', 'filter')),
    spec('tree', '', 'bool'),
  ],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'images',
    all: v.bool('all'),
    quiet: v.bool('quiet'),
    noTrunc: v.bool('no-trunc'),
    digests: v.bool('digests'),
    filters: v.list('filter'),
    ...defined({ repository: args[0], format: v.string('format') || undefined }),
  }),
};

/** The reference's own error (model/image.ts reproduces distribution/reference's texts). */
export function referenceError(ref: string): string | undefined {
  try {
    parseReference(ref);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidReferenceError) return error.message;
    throw error;
  }
}

/** reference.IsNameOnly on what the user typed: no `:tag` in the last path component, no digest. */
function isNameOnly(ref: string): boolean {
  return !ref.includes('@') && !(ref.split('/').at(-1) ?? '').includes(':');
}

/**
 * pull.go and push.go alike: the reference is parsed before any request (plain errors, exit 1),
 * and `-a` takes a name with no tag or digest.
 */
function transferArgs({
  values: v,
  args,
}: BuildInput): CliError | { ref: string; quiet: boolean; allTags: boolean } {
  const ref = args[0] ?? '';
  const allTags = v.bool('all-tags');
  const invalid = referenceError(ref);
  if (invalid !== undefined) return cliError(invalid, 1);
  if (allTags && !isNameOnly(ref)) return cliError("tag can't be used with --all-tags/-a", 1);
  return { ref, quiet: v.bool('quiet'), allTags };
}

export const PULL: CommandSpec = {
  use: 'pull [OPTIONS] NAME[:TAG|@DIGEST]',
  short: 'Download an image from a registry',
  args: { kind: 'exact', n: 1 },
  flags: [
    m(spec('all-tags', 'a', 'bool')),
    m(spec('quiet', 'q', 'bool')),
    m(spec('platform', '', 'string')),
    spec('disable-content-trust', '', 'bool'),
  ],
  interspersed: true,
  build: (input) => {
    const t = transferArgs(input);
    if ('exitCode' in t) return t;
    return { name: 'pull', ...t, ...defined({ platform: input.values.string('platform') || undefined }) };
  },
};

/** image/push.go: one name; `-a` pushes every tag and takes no tag itself. */
export const PUSH: CommandSpec = {
  use: 'push [OPTIONS] NAME[:TAG]',
  short: 'Upload an image to a registry',
  args: { kind: 'exact', n: 1 },
  flags: [
    m(spec('all-tags', 'a', 'bool')),
    m(spec('quiet', 'q', 'bool')),
    spec('disable-content-trust', '', 'bool'),
    spec('platform', '', 'string'),
  ],
  interspersed: true,
  build: (input) => {
    const t = transferArgs(input);
    return 'exitCode' in t ? t : { name: 'push', ...t };
  },
};

export const RMI: CommandSpec = {
  use: 'rmi [OPTIONS] IMAGE [IMAGE...]',
  short: 'Remove one or more images',
  args: { kind: 'min', n: 1 },
  flags: [m(spec('force', 'f', 'bool')), m(spec('no-prune', '', 'bool')), spec('platform', '', 'list')],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'rmi',
    images: args,
    force: v.bool('force'),
    noPrune: v.bool('no-prune'),
  }),
};

/** image/tag.go: exactly two arguments, no flags; the target is parsed by the client at run time. */
export const TAG: CommandSpec = {
  use: 'tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  short: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  args: { kind: 'exact', n: 2 },
  flags: [],
  interspersed: true,
  build: ({ args }) => ({ name: 'tag', source: args[0] ?? '', target: args[1] ?? '' }),
};

export const HISTORY: CommandSpec = {
  use: 'history [OPTIONS] IMAGE',
  short: 'Show the history of an image',
  args: { kind: 'exact', n: 1 },
  flags: [
    m(spec('human', 'H', 'bool')),
    m(spec('quiet', 'q', 'bool')),
    m(spec('no-trunc', '', 'bool')),
    FORMAT,
    spec('platform', '', 'string'),
  ],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'history',
    image: args[0] ?? '',
    noTrunc: v.bool('no-trunc'),
    quiet: v.bool('quiet'),
    // history.go: --human defaults to true
    human: v.bool('human', true),
    ...defined({ format: v.string('format') || undefined }),
  }),
};

/** `docker image inspect` (image/inspect.go). */
export const IMAGE_INSPECT: CommandSpec = {
  use: 'inspect [OPTIONS] IMAGE [IMAGE...]',
  short: 'Display detailed information on one or more images',
  args: { kind: 'min', n: 1 },
  flags: [m(spec('format', 'f', 'string')), spec('platform', '', 'string')],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'inspect',
    names: args,
    type: 'image',
    size: false,
    ...defined({ format: v.string('format') || undefined }),
  }),
};

const INSPECT_TYPES: readonly InspectType[] = [
  'config',
  'container',
  'image',
  'network',
  'node',
  'plugin',
  'secret',
  'service',
  'task',
  'volume',
];

function isInspectType(type: string): type is InspectType {
  return (INSPECT_TYPES as readonly string[]).includes(type);
}

/** `docker inspect` (system/inspect.go): any object, `--type` narrows it. */
export const INSPECT: CommandSpec = {
  use: 'inspect [OPTIONS] NAME|ID [NAME|ID...]',
  short: 'Return low-level information on Docker objects',
  args: { kind: 'min', n: 1 },
  flags: [m(spec('format', 'f', 'string')), m(spec('type', '', 'string')), m(spec('size', 's', 'bool'))],
  interspersed: true,
  build: ({ values: v, args }) => {
    const type = v.string('type') ?? '';
    if (type !== '' && !isInspectType(type)) {
      const all = INSPECT_TYPES.join('", "');
      return cliError(`unknown type: "${type}": must be one of "${all}"`, 1);
    }
    return {
      name: 'inspect',
      names: args,
      size: v.bool('size'),
      ...defined({ type: type === '' ? undefined : type, format: v.string('format') || undefined }),
    };
  },
};

export const EVENTS: CommandSpec = {
  use: 'events [OPTIONS]',
  short: 'Get real time events from the server',
  args: { kind: 'none' },
  flags: [
    m(spec('since', '', 'string')),
    m(spec('until', '', 'string')),
    m(spec('filter', 'f', 'filter')),
    FORMAT,
  ],
  interspersed: true,
  build: ({ values: v }) => ({
    name: 'events',
    filters: v.list('filter'),
    ...defined({
      since: v.string('since') || undefined,
      until: v.string('until') || undefined,
      format: v.string('format') || undefined,
    }),
  }),
};

export const VERSION: CommandSpec = {
  use: 'version [OPTIONS]',
  short: 'Show the Docker version information',
  args: { kind: 'none' },
  flags: [m(spec('format', 'f', 'string'))],
  interspersed: true,
  build: ({ values: v }) => ({ name: 'version', ...defined({ format: v.string('format') || undefined }) }),
};

export const INFO: CommandSpec = {
  ...VERSION,
  use: 'info [OPTIONS]',
  short: 'Display system-wide information',
  build: ({ values: v }) => ({ name: 'info', ...defined({ format: v.string('format') || undefined }) }),
};
