import { checkArgs, isCliError, type CommandSpec } from './command.ts';
import { CliSyntaxError, cliError, flagError } from './errors.ts';
import { parseFlags, spec } from './flags.ts';
import { findInGroup, GROUPS, OTHER_COMMANDS, TOP_LEVEL, type Group } from './registry.ts';
import { rootHelp } from './rootHelp.ts';
import { splitShellWords } from './shellWords.ts';
import type { CliError, ParseOutcome } from './types.ts';

/**
 * The one docker command-line parser, shared by the site's console and the terminal CLI. It
 * does what the docker CLI does before it talks to the daemon: cobra finds the command,
 * pflag parses the flags, cli/required.go checks the argument count, and the command checks
 * its options. Every refusal carries docker's own stderr and exit status:
 * - flag errors: 125 (cli/cobra.go FlagErrorFunc returns a StatusError with code 125);
 * - run/create option errors (`-p`, `--restart`, `--network`): 125 (run.go withHelp);
 * - unknown commands, wrong argument counts, other command errors: 1 (plain errors;
 *   cmd/docker/docker.go getExitCode gives 1 to anything that is not a StatusError).
 * `--help` yields `ok: false` with exit status 0 and a short usage text (docker prints the full
 * help on stdout).
 */
export function parseDockerLine(line: string): ParseOutcome {
  let words: string[];
  try {
    words = splitShellWords(line);
  } catch (error) {
    if (error instanceof CliSyntaxError) return fail({ stderr: error.stderr, exitCode: error.exitCode });
    throw error;
  }
  const [program, ...argv] = words;
  if (program === undefined) return fail({ stderr: '', exitCode: 0 });
  // Like a shell that has no such program: 127 (POSIX 2.8.2).
  if (program !== 'docker')
    return fail(cliError(`dockstep: only docker commands run here: '${program}'`, 127));
  return parseArgv(argv);
}

const fail = (error: CliError): ParseOutcome => ({ ok: false, error });

const ROOT_USE = 'docker [OPTIONS] COMMAND [ARG...]';

/** cli/flags/options.go: the root command's own flags (accepted, not simulated). */
const ROOT_FLAGS = [
  spec('config', '', 'string'),
  spec('context', 'c', 'string'),
  spec('debug', 'D', 'bool'),
  spec('host', 'H', 'list'),
  spec('log-level', 'l', 'string'),
  spec('tls', '', 'bool'),
  spec('tlscacert', '', 'string'),
  spec('tlscert', '', 'string'),
  spec('tlskey', '', 'string'),
  spec('tlsverify', '', 'bool'),
  { ...spec('version', 'v', 'bool'), modelled: true },
];

function help(useLine: string, short: string): ParseOutcome {
  return fail({ stderr: `Usage:  ${useLine}\n\n${short}\n`, exitCode: 0 });
}

function notSimulated(path: string): ParseOutcome {
  return fail(cliError(`dockstep: '${path}' is a docker command that dockstep does not simulate yet`, 1));
}

function parseArgv(argv: string[]): ParseOutcome {
  // The root command does not intersperse: its flags come before the command's name.
  const root = parseFlags(argv, ROOT_FLAGS, false);
  if (root.error !== undefined) return fail(flagError(root.error, ROOT_USE, 'docker'));
  if (root.help) return fail({ stderr: rootHelp(), exitCode: 0 });
  // cobra's version template (cli/cobra.go SetupRootCommand), for the CLI dockstep mirrors.
  if (root.values.bool('version'))
    return fail({ stderr: 'Docker version 28.2.2, build e6534b4\n', exitCode: 0 });
  const [name, ...rest] = root.args;
  // cobra's help command: `docker help` is `docker --help`.
  if (name === undefined || (name === 'help' && rest.length === 0))
    return fail({ stderr: rootHelp(), exitCode: 0 });
  const top = TOP_LEVEL[name];
  const group = GROUPS[name];
  let outcome: ParseOutcome;
  if (top !== undefined) outcome = runCommand(top, rest, 'docker', name);
  else if (group !== undefined) outcome = runGroup(group, rest, `docker ${name}`);
  else if (OTHER_COMMANDS.includes(name)) outcome = notSimulated(`docker ${name}`);
  // cmd/docker/docker.go: the root command's RunE for an unknown name.
  else
    outcome = fail(
      cliError(`docker: unknown command: docker ${name}\n\nRun 'docker --help' for more information`, 1),
    );
  return outcome.ok
    ? { ...outcome, ignoredFlags: [...root.values.ignored, ...outcome.ignoredFlags], argv }
    : outcome;
}

function runGroup(group: Group, argv: string[], path: string): ParseOutcome {
  const parsed = parseFlags(argv, [], false);
  if (parsed.error !== undefined) return fail(flagError(parsed.error, path, path));
  const [name, ...rest] = parsed.args;
  if (parsed.help || name === undefined) return help(`${path} COMMAND`, group.short);
  const found = findInGroup(group, name);
  if (found !== undefined) return runCommand(found[1], rest, path, found[0]);
  if (group.others.includes(name)) return notSimulated(`${path} ${name}`);
  // cli/required.go NoArgs on a command with subcommands.
  return fail(
    cliError(
      `docker: unknown command: ${path} ${name}\n\nUsage:  ${path}\n\nRun '${path} --help' for more information`,
      1,
    ),
  );
}

function runCommand(command: CommandSpec, argv: string[], parent: string, name: string): ParseOutcome {
  const path = `${parent} ${name}`;
  const useLine = `${parent} ${command.use}`;
  const parsed = parseFlags(argv, command.flags, command.interspersed);
  if (parsed.error !== undefined) return fail(flagError(parsed.error, useLine, path));
  if (parsed.help) return help(useLine, command.short);
  const argsError = checkArgs(command.args, parsed.args.length, path, useLine);
  if (argsError !== undefined) return fail(argsError);
  const built = command.build({ values: parsed.values, args: parsed.args, path });
  if (isCliError(built)) return fail(built);
  return { ok: true, command: built, argv, ignoredFlags: parsed.values.ignored };
}
