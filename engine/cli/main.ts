// The dockstep command line. `dockstep sim` runs docker command lines through the simulated
// layers and prints one view of the trace; `dockstep scenario` does the same for a lesson;
// `dockstep engine` runs the engine daemon (engine/daemon/main.ts).
//
// Each command is loaded when it runs (a dynamic import: its own chunk in the built command,
// engine/cli/build.mjs), so `dockstep images` does not load the simulation, nor `dockstep sim`
// the engine.
import { UsageError } from './usageError.ts';
import { VERSION } from './version.ts';

async function usage(): Promise<string> {
  const [sim, scenario, engine, trace, gate, client] = await Promise.all([
    import('./simCommand.ts'),
    import('./scenarioCommand.ts'),
    import('../daemon/main.ts'),
    import('./traceCommand.ts'),
    import('./gateCommand.ts'),
    import('../client/main.ts'),
  ]);
  return `${sim.SIM_USAGE}\n${scenario.SCENARIO_USAGE}\n${engine.ENGINE_USAGE}\n${trace.TRACE_USAGE}\n${gate.GATE_USAGE}\n${client.CLIENT_USAGE}\n`;
}

/** `scenario --list [--format text|json]` from the lesson index, while it is current (lessonIndex.ts). */
async function quickList(argv: string[]): Promise<string | undefined> {
  const format =
    argv.length === 1
      ? 'text'
      : argv.length === 3 && argv[1] === '--format'
        ? argv[2]
        : argv[1]?.replace(/^--format=/, '');
  if (argv[0] !== '--list' || argv.length > 3 || (format !== 'text' && format !== 'json')) return undefined;
  const { indexedLessons, formatLessons } = await import('./lessonIndex.ts');
  const rows = indexedLessons();
  return rows === undefined ? undefined : formatLessons(rows, format);
}

async function engine(argv: string[]): Promise<number> {
  const { ENGINE_USAGE, EngineUsageError, engineCommand } = await import('../daemon/main.ts');
  return engineCommand(argv).catch((error: unknown) => {
    if (!(error instanceof EngineUsageError)) throw error;
    process.stderr.write(`dockstep: ${error.message}\n${ENGINE_USAGE}\n`);
    return 2;
  });
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(await usage());
    return verb === undefined ? 2 : 0;
  }
  if (verb === '--version' || verb === '-v' || verb === 'version') {
    process.stdout.write(`dockstep ${VERSION}\n`);
    return 0;
  }
  try {
    if (verb === 'sim') {
      process.stdout.write((await import('./simCommand.ts')).simCommand(rest));
      return 0;
    }
    if (verb === 'trace') {
      process.stdout.write(await (await import('./traceCommand.ts')).traceCommand(rest));
      return 0;
    }
    if (verb === 'gate') {
      process.stdout.write(await (await import('./gateCommand.ts')).gateCommand(rest));
      return 0;
    }
    if (verb === 'engine') return await engine(rest);
    if (verb === 'scenario') {
      const quick = await quickList(rest);
      if (quick !== undefined) {
        process.stdout.write(quick);
        return 0;
      }
      const { out, code } = (await import('./scenarioCommand.ts')).scenarioCommand(rest);
      process.stdout.write(out);
      return code;
    }
    // Engine API client commands (engine/client/main.ts), or the client's -H/--host first.
    const clientVerbs = ['pull', 'push', 'images', 'rmi', 'tag', 'save', 'load', 'history', 'image'];
    if (
      clientVerbs.includes(verb) ||
      verb.startsWith('-H') ||
      verb === '--host' ||
      verb.startsWith('--host=')
    ) {
      const { runClient, processIO } = await import('../client/main.ts');
      return await runClient(argv, processIO());
    }
    throw new UsageError(`unknown command "${verb}"`);
  } catch (error) {
    // A broken lesson file (src/scenario/parse.ts ScenarioFileError), known by name: this module
    // loads no scenario code of its own.
    if (error instanceof Error && error.name === 'ScenarioFileError') {
      process.stderr.write(`dockstep: ${error.message}\n`);
      return 1;
    }
    if ((verb === 'trace' || verb === 'gate') && error instanceof Error && !(error instanceof UsageError)) {
      process.stderr.write(`dockstep: ${error.message}\n`);
      return 1;
    }
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`dockstep: ${error.message}\n${await usage()}`);
    return 2;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// The engine runs until a signal; then nothing it used may hold the process open.
if (process.argv[2] === 'engine') process.exit(code);
