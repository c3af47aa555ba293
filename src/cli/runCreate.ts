import { defined, type BuildInput, type CommandSpec } from './command.ts';
import { CREATE_FLAGS, RUN_FLAGS } from './containerFlags.ts';
import { cliError, containerOptionsError } from './errors.ts';
import { referenceError } from './imageCommands.ts';
import { parsePublish } from './publish.ts';
import type {
  CliError,
  ContainerCreateFields,
  CreateCommand,
  PortPublish,
  RestartPolicy,
  RunCommand,
} from './types.ts';

/**
 * `docker run` and `docker create` (cli/command/container/run.go, create.go, opts.go `parse`).
 * After pflag, docker checks the options in `runRun`/`runCreate`: `--pull` first, then in
 * `parse` the port specs, the restart policy, `--rm` with `--restart`, and the networks. Those
 * errors go through run.go `withHelp` and exit 125. Then the image reference is parsed.
 */
type Name = 'run' | 'create';

function fields(input: BuildInput, name: Name): ContainerCreateFields | CliError {
  const v = input.values;
  const pull = v.string('pull') ?? 'missing';
  if (pull !== 'always' && pull !== 'missing' && pull !== 'never') {
    // run.go validatePullOpt
    return containerOptionsError(
      `invalid pull option: '${pull}': must be one of "always", "missing" or "never"`,
      name,
    );
  }
  const publish = publishOrError(v.list('publish'));
  if (typeof publish === 'string') return containerOptionsError(publish, name);
  const restart = parseRestartPolicy(v.string('restart') ?? '');
  if (typeof restart === 'string') return containerOptionsError(restart, name);
  const rm = v.bool('rm');
  if (rm && restart !== undefined && restart.name !== 'no') {
    return containerOptionsError('conflicting options: cannot specify both --restart and --rm', name);
  }
  const networkError = checkNetworks(v.list('network'));
  if (networkError !== undefined) return containerOptionsError(networkError, name);
  const [image = '', ...args] = input.args;
  // container/create.go createContainer parses the image reference before any request: run
  // wraps the error like the others (exit 125), create returns it plain (exit 1).
  const invalid = referenceError(image);
  if (invalid !== undefined)
    return name === 'run' ? containerOptionsError(invalid, name) : cliError(invalid, 1);
  return {
    rm,
    env: v.list('env'),
    publish,
    network: v.list('network')[0] ?? 'default',
    interactive: v.bool('interactive'),
    tty: v.bool('tty'),
    pull,
    image,
    args,
    ...defined({
      containerName: v.string('name') || undefined,
      memoryBytes: v.int('memory'),
      entrypoint: v.string('entrypoint'),
      workdir: v.string('workdir') || undefined,
      user: v.string('user') || undefined,
      stopSignal: v.string('stop-signal') || undefined,
      stopTimeout: v.int('stop-timeout'),
      restart,
    }),
  };
}

function publishOrError(specs: readonly string[]): PortPublish[] | string {
  try {
    return parsePublish(specs);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * opts/parse.go ParseRestartPolicy: `name[:count]`. An empty value sets no policy at all (docker
 * leaves the daemon's default, "no"). Returns the error text on failure.
 */
function parseRestartPolicy(policy: string): RestartPolicy | undefined | string {
  if (policy === '') return undefined;
  const colon = policy.indexOf(':');
  const name = colon < 0 ? policy : policy.slice(0, colon);
  const count = colon < 0 ? '' : policy.slice(colon + 1);
  if (colon >= 0 && name === '') return 'invalid restart policy format: no policy provided before colon';
  if (count === '') return { name };
  // strconv.Atoi: optional sign, decimal digits, within int64
  if (!/^[+-]?\d+$/.test(count) || !Number.isSafeInteger(Number(count))) {
    return 'invalid restart policy format: maximum retry count must be an integer';
  }
  return { name, maximumRetryCount: Number(count) };
}

/** The network modes that are not user-defined networks (container.NetworkMode.IsUserDefined). */
function isUserDefined(network: string): boolean {
  return !['default', 'bridge', 'host', 'none'].includes(network) && !network.startsWith('container:');
}

/** cli/command/container/opts.go parseNetworkOpts / parseNetworkAttachmentOpt, the checks we model. */
function checkNetworks(networks: readonly string[]): string | undefined {
  if (networks.some((n) => n.trim() === '')) return 'no name set for network';
  const seen = new Set<string>();
  for (const n of networks) {
    if (seen.has(n)) return `network "${n}" is specified multiple times`;
    seen.add(n);
  }
  if (networks.some(isUserDefined) && networks.some((n) => !isUserDefined(n))) {
    return 'conflicting options: cannot attach both user-defined and non-user-defined network-modes';
  }
  return undefined;
}

export const RUN: CommandSpec = {
  use: 'run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create and run a new container from an image',
  args: { kind: 'min', n: 1 },
  flags: RUN_FLAGS,
  interspersed: false,
  build: (input): RunCommand | CliError => {
    const f = fields(input, 'run');
    return 'stderr' in f ? f : { name: 'run', detach: input.values.bool('detach'), ...f };
  },
};

export const CREATE: CommandSpec = {
  use: 'create [OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create a new container',
  args: { kind: 'min', n: 1 },
  flags: CREATE_FLAGS,
  interspersed: false,
  build: (input): CreateCommand | CliError => {
    const f = fields(input, 'create');
    return 'stderr' in f ? f : { name: 'create', ...f };
  },
};
