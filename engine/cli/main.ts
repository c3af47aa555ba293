// The dockstep command line. `dockstep sim` runs docker command lines through the simulated
// layers and prints one view of the trace; `dockstep scenario` does the same for a lesson.
// `dockstep pull|push|images|rmi|tag|save|load|history|image tree` are Engine API client commands.
import { ScenarioFileError } from '../../src/scenario/index.ts';
import { CLIENT_USAGE, isClientCommand, processIO, runClient } from '../client/main.ts';
import { SCENARIO_USAGE, scenarioCommand } from './scenarioCommand.ts';
import { SIM_USAGE, simCommand, UsageError } from './simCommand.ts';

const USAGE = `${SIM_USAGE}\n${SCENARIO_USAGE}\n${CLIENT_USAGE}`;

function main(argv: string[]): number {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(USAGE);
    return verb === undefined ? 2 : 0;
  }
  try {
    if (verb === 'sim') {
      process.stdout.write(simCommand(rest));
      return 0;
    }
    if (verb === 'scenario') {
      const { out, code } = scenarioCommand(rest);
      process.stdout.write(out);
      return code;
    }
    throw new UsageError(`unknown command "${verb}"`);
  } catch (error) {
    if (error instanceof ScenarioFileError) {
      process.stderr.write(`dockstep: ${error.message}\n`);
      return 1;
    }
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`dockstep: ${error.message}\n${USAGE}`);
    return 2;
  }
}

const argv = process.argv.slice(2);
if (isClientCommand(argv)) {
  void runClient(argv, processIO()).then((code) => {
    process.exitCode = code;
  });
} else {
  process.exitCode = main(argv);
}
