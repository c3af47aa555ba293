import { cliError } from './errors.ts';
import type { FlagSpec, FlagValues } from './flags.ts';
import type { CliError, DockerCommand } from './types.ts';

/** What a command's builder gets once flags and argument counts have passed. */
export interface BuildInput {
  values: FlagValues;
  args: string[];
  /** The command path cobra prints: `docker container ls` even when `docker container ps` was typed. */
  path: string;
}

/** cli/required.go: the argument-count checks docker attaches to each cobra command. */
export type ArgsRule =
  { kind: 'none' } | { kind: 'min'; n: number } | { kind: 'max'; n: number } | { kind: 'exact'; n: number };

/** One cobra command: its `Use` line, flags, argument rule, and how to build the typed command. */
export interface CommandSpec {
  use: string;
  short: string;
  args: ArgsRule;
  flags: readonly FlagSpec[];
  /** False for run, create and exec: flags end at the first positional (`SetInterspersed(false)`). */
  interspersed: boolean;
  build: (input: BuildInput) => DockerCommand | CliError;
}

export function isCliError(value: DockerCommand | CliError): value is CliError {
  return 'stderr' in value;
}

const plural = (n: number): string => (n === 1 ? 'argument' : 'arguments');

/**
 * The texts of cli/required.go, exit status 1 (plain errors, not StatusError). They differ in
 * small ways that docker really prints: `See` after "requires at least", and the stray `S` in
 * "SRun" after "requires at most" (both present in docker/cli v28.2.2).
 */
export function checkArgs(
  rule: ArgsRule,
  count: number,
  path: string,
  useLine: string,
): CliError | undefined {
  const usage = `\n\nUsage:  ${useLine}\n\n`;
  switch (rule.kind) {
    case 'none':
      return count === 0
        ? undefined
        : cliError(
            `docker: '${path}' accepts no arguments${usage}Run '${path} --help' for more information`,
            1,
          );
    case 'min':
      return count >= rule.n
        ? undefined
        : cliError(
            `docker: '${path}' requires at least ${rule.n} ${plural(rule.n)}${usage}See '${path} --help' for more information`,
            1,
          );
    case 'max':
      return count <= rule.n
        ? undefined
        : cliError(
            `docker: '${path}' requires at most ${rule.n} ${plural(rule.n)}${usage}SRun '${path} --help' for more information`,
            1,
          );
    case 'exact':
      return count === rule.n
        ? undefined
        : cliError(
            `docker: '${path}' requires ${rule.n} ${plural(rule.n)}${usage}Run '${path} --help' for more information`,
            1,
          );
  }
}

/** Optional fields only when set: a command never carries `key: undefined` (clean JSON, strict equality). */
export function defined<T extends object>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
