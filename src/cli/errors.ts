import type { CliError } from './types.ts';

/**
 * A command line the console cannot read (an unterminated quote). It is thrown by
 * {@link splitShellWords} and returned by `parseDockerLine` as a {@link CliError}.
 * Exit status 2, as POSIX shells use for syntax errors.
 */
export class CliSyntaxError extends Error implements CliError {
  readonly stderr: string;
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'CliSyntaxError';
    this.stderr = `dockstep: ${message}\n`;
  }
}

/** docker/cli's main prints the error with `fmt.Fprintln` (cmd/docker/docker.go), hence the newline. */
export function cliError(text: string, exitCode: number): CliError {
  return { stderr: `${text}\n`, exitCode };
}

/**
 * cli/cobra.go `FlagErrorFunc`: every flag-parsing error is a StatusError with code 125 and the
 * command's usage line.
 */
export function flagError(message: string, useLine: string, path: string): CliError {
  return cliError(`${message}\n\nUsage:  ${useLine}\n\nRun '${path} --help' for more information`, 125);
}

/**
 * cli/command/container/run.go `withHelp`: errors from the container options (`-p`, `--restart`,
 * `--network`…) become StatusError 125. The command name is hard-coded there, so
 * `docker container run -p foo x` also says `Run 'docker run --help'`.
 */
export function containerOptionsError(message: string, command: 'run' | 'create'): CliError {
  return cliError(`docker: ${message}\n\nRun 'docker ${command} --help' for more information`, 125);
}
