import { defined, type CommandSpec } from './command.ts';
import { cliError } from './errors.ts';
import { m, spec, type FlagValues } from './flags.ts';
import { parseGoFloat, ramInBytes } from './goValues.ts';
import { parseRestartPolicy } from './runCreate.ts';

/**
 * `docker top`, `docker update` and `docker stats` as docker/cli v28 declares them
 * (cli/command/container/top.go, update.go, stats.go).
 */
export const TOP: CommandSpec = {
  use: 'top CONTAINER [ps OPTIONS]',
  short: 'Display the running processes of a container',
  args: { kind: 'min', n: 1 },
  flags: [],
  // top.go: flags.SetInterspersed(false), so `-o pid,comm` after the name goes to ps.
  interspersed: false,
  build: ({ args }) => ({ name: 'top', container: args[0] ?? '', psArgs: args.slice(1) }),
};

/** The resource flags of update.go; `nFlag` counts the ones set (none: the command refuses). */
const UPDATE_FLAGS = [
  m(spec('memory', 'm', 'bytes')),
  m(spec('memory-swap', '', 'string')),
  m(spec('cpus', '', 'string')),
  m(spec('restart', '', 'string')),
  m(spec('pids-limit', '', 'int')),
  spec('blkio-weight', '', 'uint16'),
  spec('cpu-period', '', 'int'),
  spec('cpu-quota', '', 'int'),
  spec('cpu-rt-period', '', 'int'),
  spec('cpu-rt-runtime', '', 'int'),
  spec('cpu-shares', 'c', 'int'),
  spec('cpuset-cpus', '', 'string'),
  spec('cpuset-mems', '', 'string'),
  spec('memory-reservation', '', 'bytes'),
];

/** opts.NanoCPUs: a decimal number of CPUs, stored in billionths. */
function nanoCpus(value: string): number | string {
  const n = parseGoFloat(value);
  return Number.isFinite(n) ? Math.round(n * 1e9) : `invalid argument "${value}" for "--cpus" flag`;
}

function buildUpdate(v: FlagValues, args: string[]) {
  const set = UPDATE_FLAGS.filter((f) => v.changed(f.name));
  if (set.length === 0) return cliError('you must provide one or more flags when using this command', 1);
  const cpus = v.string('cpus');
  const nano = cpus === undefined ? undefined : nanoCpus(cpus);
  if (typeof nano === 'string') return cliError(nano, 125);
  const restartText = v.string('restart');
  const restart = restartText === undefined ? undefined : parseRestartPolicy(restartText);
  if (typeof restart === 'string') return cliError(restart, 1);
  const swapText = v.string('memory-swap');
  const swap = swapText === undefined ? undefined : swapBytes(swapText);
  if (typeof swap === 'string') return cliError(swap, 125);
  return {
    name: 'update' as const,
    containers: args,
    ...defined({
      memoryBytes: v.int('memory'),
      memorySwap: swap,
      nanoCpus: nano,
      pidsLimit: v.int('pids-limit'),
      restart,
    }),
  };
}

/** opts.MemSwapBytes: -1 (unlimited) or a size (go-units RAMInBytes). */
function swapBytes(value: string): number | string {
  if (value === '-1') return -1;
  try {
    return ramInBytes(value);
  } catch (error) {
    return `invalid argument "${value}" for "--memory-swap" flag: ${error instanceof Error ? error.message : ''}`;
  }
}

export const UPDATE: CommandSpec = {
  use: 'update [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Update configuration of one or more containers',
  args: { kind: 'min', n: 1 },
  flags: UPDATE_FLAGS,
  interspersed: true,
  build: ({ values, args }) => buildUpdate(values, args),
};

/**
 * `docker stats` (stats.go): `--no-stream` takes one frame; without it the CLI redraws once a
 * second until interrupted, which the simulation bounds to a few frames.
 */
export const STATS: CommandSpec = {
  use: 'stats [OPTIONS] [CONTAINER...]',
  short: 'Display a live stream of container(s) resource usage statistics',
  args: { kind: 'min', n: 0 },
  flags: [
    m(spec('all', 'a', 'bool')),
    m(spec('no-stream', '', 'bool')),
    m(spec('format', '', 'string')),
    spec('no-trunc', '', 'bool'),
  ],
  interspersed: true,
  build: ({ values: v, args }) => ({
    name: 'stats',
    containers: args,
    all: v.bool('all'),
    noStream: v.bool('no-stream'),
    ...defined({ format: v.string('format') || undefined }),
  }),
};
