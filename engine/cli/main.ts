// The dockstep command line. `dockstep sim` runs docker command lines through the simulated
// layers and prints one view of the trace; `dockstep scenario` does the same for a lesson.
import { ScenarioFileError } from '../../src/scenario/index.ts';
import { SCENARIO_USAGE, scenarioCommand } from './scenarioCommand.ts';
import { SIM_USAGE, simCommand, UsageError } from './simCommand.ts';

const USAGE = `${SIM_USAGE}\n${SCENARIO_USAGE}\n`;

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
    // Engine API client commands (engine/client/main.ts), or the client's -H/--host first. They
    // are asynchronous, so the exit status is set when the command ends (read at exit).
    const clientVerbs = ['pull', 'push', 'images', 'rmi', 'tag', 'save', 'load', 'history', 'image'];
    if (clientVerbs.includes(verb) || verb.startsWith('-H') || verb === '--host' || verb.startsWith('--host=')) {
      void import('../client/main.ts')
        .then(({ runClient, processIO }) => runClient(argv, processIO()))
        .then((code) => (process.exitCode = code));
      return 0;
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

process.exitCode = main(process.argv.slice(2));
