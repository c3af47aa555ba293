// The dockstep command line. `dockstep sim` runs docker command lines through the simulated
// layers and prints one view of the trace; `dockstep scenario` does the same for a lesson;
// `dockstep engine` runs the engine daemon (engine/daemon/main.ts).
import { ScenarioFileError } from '../../src/scenario/index.ts';
import { SCENARIO_USAGE, scenarioCommand } from './scenarioCommand.ts';
import { SIM_USAGE, simCommand, UsageError } from './simCommand.ts';
import { TRACE_USAGE, traceCommand } from './traceCommand.ts';
import { GATE_USAGE, gateCommand } from './gateCommand.ts';
import { ENGINE_USAGE, EngineUsageError, engineCommand } from '../daemon/main.ts';
import { CLIENT_USAGE } from '../client/args.ts';

const USAGE = `${SIM_USAGE}\n${SCENARIO_USAGE}\n${ENGINE_USAGE}\n${TRACE_USAGE}\n${GATE_USAGE}\n${CLIENT_USAGE}\n`;

function engine(argv: string[]): Promise<number> {
  return engineCommand(argv).catch((error: unknown) => {
    if (!(error instanceof EngineUsageError)) throw error;
    process.stderr.write(`dockstep: ${error.message}\n${ENGINE_USAGE}\n`);
    return 2;
  });
}

async function main(argv: string[]): Promise<number> {
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
    if (verb === 'trace') {
      process.stdout.write(await traceCommand(rest));
      return 0;
    }
    if (verb === 'gate') {
      process.stdout.write(await gateCommand(rest));
      return 0;
    }
    if (verb === 'engine') return await engine(rest);
    if (verb === 'scenario') {
      const { out, code } = scenarioCommand(rest);
      process.stdout.write(out);
      return code;
    }
    // Engine API client commands (engine/client/main.ts), or the client's -H/--host first.
    const clientVerbs = ['pull', 'push', 'images', 'rmi', 'tag', 'save', 'load', 'history', 'image'];
    if (clientVerbs.includes(verb) || verb.startsWith('-H') || verb === '--host' || verb.startsWith('--host=')) {
      const { runClient, processIO } = await import('../client/main.ts');
      return await runClient(argv, processIO());
    }
    throw new UsageError(`unknown command "${verb}"`);
  } catch (error) {
    if (error instanceof ScenarioFileError) {
      process.stderr.write(`dockstep: ${error.message}\n`);
      return 1;
    }
    if ((verb === 'trace' || verb === 'gate') && error instanceof Error && !(error instanceof UsageError)) {
      process.stderr.write(`dockstep: ${error.message}\n`);
      return 1;
    }
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`dockstep: ${error.message}\n${USAGE}`);
    return 2;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// The engine runs until a signal; then nothing it used may hold the process open.
if (process.argv[2] === 'engine') process.exit(code);
