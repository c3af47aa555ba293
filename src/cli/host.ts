import { cliError } from './errors.ts';
import { ramInBytes } from './goValues.ts';
import type { CliError } from './types.ts';

/**
 * Host actions: what a lesson does to the machine around Docker, typed as the commands a lab
 * admin would use (or, for memory, said in words, as an application under load does it).
 *
 * - `pkill -9 dockerd` (or `pkill -KILL dockerd`): SIGKILL, nothing cleaned up (man 1 pkill);
 * - `pkill dockerd` / `pkill -15 dockerd`: SIGTERM, dockerd's graceful shutdown;
 * - `systemctl stop docker`, `systemctl start docker`, `systemctl restart docker`: the service
 *   as systemd runs it (stop sends SIGTERM, restart is stop then start; man 1 systemctl);
 * - `allocate SIZE in CONTAINER`: the container's main process allocates SIZE more memory
 *   (`64m`, `1g`: docker's size syntax), as an application under load would;
 * - `sleep SECONDS`: the person waits before typing the next line (man 1 sleep; decimals allowed),
 *   while the daemon goes on (a restart policy's back-off, a grace period).
 */
export type HostAction =
  | { kind: 'signal'; target: 'dockerd'; signal: 9 | 15 }
  | { kind: 'service'; verb: 'start' | 'stop' | 'restart'; unit: 'docker' }
  | { kind: 'allocate'; bytes: number; container: string }
  | { kind: 'sleep'; ms: number };

export const HOST_PROGRAMS: ReadonlySet<string> = new Set(['pkill', 'systemctl', 'allocate', 'sleep']);

const SIGNALS: Readonly<Record<string, 9 | 15>> = {
  '-9': 9,
  '-KILL': 9,
  '-SIGKILL': 9,
  '-15': 15,
  '-TERM': 15,
  '-SIGTERM': 15,
};

export function parseHostWords(words: readonly string[]): HostAction | CliError {
  const [program, ...args] = words;
  if (program === 'pkill') return pkill(args);
  if (program === 'systemctl') return systemctl(args);
  if (program === 'allocate') return allocate(args);
  if (program === 'sleep') return sleep(args);
  return cliError(
    `dockstep: '${program ?? ''}' is not a host action (pkill, systemctl, allocate, sleep)`,
    127,
  );
}

/** GNU sleep's seconds (a decimal number); its suffixes and several operands are not taken. */
function sleep(args: readonly string[]): HostAction | CliError {
  const [time, ...rest] = args;
  if (time === undefined) return cliError(`sleep: missing operand`, 1);
  if (!/^\d+(\.\d+)?$/.test(time) || rest.length > 0)
    return cliError(`sleep: invalid time interval '${[time, ...rest].join(' ')}'`, 1);
  return { kind: 'sleep', ms: Math.round(Number(time) * 1000) };
}

function pkill(args: readonly string[]): HostAction | CliError {
  const [first, second, ...rest] = args;
  const signal = first !== undefined && first.startsWith('-') ? SIGNALS[first] : 15;
  const name = first !== undefined && first.startsWith('-') ? second : first;
  if (signal === undefined)
    return cliError(`pkill: dockstep sends only SIGTERM or SIGKILL, not '${first ?? ''}'`, 2);
  if (
    name !== 'dockerd' ||
    (first?.startsWith('-') ? rest.length : [second, ...rest].filter(Boolean).length) > 0
  ) {
    return cliError(`pkill: dockstep signals dockerd only: pkill [-9] dockerd`, 2);
  }
  return { kind: 'signal', target: 'dockerd', signal };
}

function systemctl(args: readonly string[]): HostAction | CliError {
  const [verb, unit, ...rest] = args;
  if (verb !== 'start' && verb !== 'stop' && verb !== 'restart')
    return cliError(`systemctl: dockstep knows start, stop and restart, not '${verb ?? ''}'`, 1);
  const name = unit?.replace(/\.service$/, '');
  if (name !== 'docker' || rest.length > 0)
    return cliError(
      `Failed to ${verb} ${unit ?? ''}: dockstep runs the docker unit only: systemctl ${verb} docker`,
      5,
    );
  return { kind: 'service', verb, unit: 'docker' };
}

function allocate(args: readonly string[]): HostAction | CliError {
  const [size, word, container, ...rest] = args;
  if (size === undefined || word !== 'in' || container === undefined || rest.length > 0)
    return cliError(`allocate: expected 'allocate SIZE in CONTAINER', as in 'allocate 64m in web'`, 2);
  let bytes: number;
  try {
    bytes = ramInBytes(size);
  } catch (e) {
    return cliError(`allocate: invalid size '${size}': ${(e as Error).message}`, 2);
  }
  if (bytes <= 0) return cliError(`allocate: the size must be more than 0, got '${size}'`, 2);
  return { kind: 'allocate', bytes, container };
}

export function isCliError(value: HostAction | CliError): value is CliError {
  return 'stderr' in value;
}
