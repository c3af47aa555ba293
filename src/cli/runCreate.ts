import { defined, type BuildInput, type CommandSpec } from './command.ts';
import { CREATE_FLAGS, RUN_FLAGS } from './containerFlags.ts';
import { cliError, containerOptionsError } from './errors.ts';
import { referenceError } from './imageCommands.ts';
import { parseMountOpt, parseVolume, volumeRefusal } from './mounts.ts';
import { parsePublish } from './publish.ts';
import type {
  CliError,
  ContainerCreateFields,
  CreateCommand,
  MountSpec,
  PortPublish,
  RestartPolicy,
  RunCommand,
} from './types.ts';

/**
 * `docker run` and `docker create` (cli/command/container/run.go, create.go, opts.go `parse`).
 * After pflag, docker checks the options in `runRun`/`runCreate`: `--pull` first, then in
 * `parse` the `-v` specs, the port specs, the restart policy, `--rm` with `--restart`, and the
 * networks. Those errors go through run.go `withHelp` and exit 125. Then the image reference is
 * parsed. Only then does dockstep refuse what it does not simulate (volumes, tmpfs mounts), so a
 * line docker itself rejects still gets docker's error.
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
  const volumes = volumesOrError(v.list('volume'), v.list('mount'));
  if (typeof volumes === 'string') return containerOptionsError(volumes, name);
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
  if (volumes.refusal !== undefined) return cliError(volumes.refusal, 1);
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
      aliases: v.list('network-alias').length > 0 ? v.list('network-alias') : undefined,
      binds: volumes.binds.length > 0 ? volumes.binds : undefined,
      mounts: volumes.mounts.length > 0 ? volumes.mounts : undefined,
    }),
  };
}

interface Volumes {
  binds: string[];
  mounts: MountSpec[];
  /** The first spec dockstep does not simulate, as the console says it. */
  refusal?: string;
}

/**
 * opts.go `parse`: every `-v` through ParseVolume (the first error wins); specs with a source
 * become Binds, repeats dropped as docker's map drops them. `--mount` values were checked when
 * the flag was set. A `-v .x` source would be made absolute by docker/cli (any leading `.`),
 * a `--mount source=./x` only for `./` or `.`.
 */
function volumesOrError(specs: readonly string[], mountValues: readonly string[]): Volumes | string {
  const out: Volumes = { binds: [], mounts: mountValues.map(parseMountOpt) };
  const refusals: (string | undefined)[] = [];
  for (const spec of new Set(specs)) {
    let parsed;
    try {
      parsed = parseVolume(spec);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    if (parsed.source !== '') out.binds.push(spec);
    refusals.push(
      volumeRefusal(
        '-v',
        spec,
        parsed.type,
        parsed.source,
        parsed.type === 'bind' && parsed.source.startsWith('.'),
      ),
    );
  }
  for (const [i, m] of out.mounts.entries()) {
    const source = m.source ?? '';
    refusals.push(
      volumeRefusal(
        '--mount',
        mountValues[i] ?? '',
        m.type,
        source,
        source === '.' || source.startsWith('./'),
      ),
    );
  }
  const refusal = refusals.find((r) => r !== undefined);
  return refusal === undefined ? out : { ...out, refusal };
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
export function parseRestartPolicy(policy: string): RestartPolicy | undefined | string {
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
