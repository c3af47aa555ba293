import type { DockerCommand } from '../../../cli/index.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Cli } from '../cli.ts';

type BuildCmd = Extract<DockerCommand, { name: 'build' }>;

export function* buildxBuild(cli: Cli, _cmd: BuildCmd): OperationProgram {
  cli.err('ERROR: not yet');
  cli.exitCode = 1;
  yield* [];
}
