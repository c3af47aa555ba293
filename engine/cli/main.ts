// The dockstep command line. `dockstep sim` runs docker command lines through the simulated
// layers and prints one view of the trace.
import { Simulation } from '../../src/wire/simulation.ts';
import { cliOutput, containerdLines, goldenLines } from '../../src/views/trace.ts';
import { eventJson } from '../../src/views/docker/index.ts';

function usage(): never {
  process.stderr.write("usage: dockstep sim [--seed N] [--profile v29|classic] [--format cli|events|containerd|json|golden] '<docker command>'...\n");
  process.exit(2);
}

function main(argv: string[]): void {
  const [verb, ...rest] = argv;
  if (verb !== 'sim') usage();
  let seed = 1;
  let profile: 'v29' | 'classic' = 'v29';
  let format = 'cli';
  const commands: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    if (a === '--seed') seed = Number(rest[++i]);
    else if (a === '--profile') profile = rest[++i] === 'classic' ? 'classic' : 'v29';
    else if (a === '--format') format = rest[++i] ?? 'cli';
    else commands.push(a);
  }
  const trace = new Simulation(commands, { seed, profile }).runToEnd();
  if (format === 'json') process.stdout.write(`${JSON.stringify(trace, null, 2)}\n`);
  else if (format === 'golden') process.stdout.write(`${goldenLines(trace).join('\n')}\n`);
  else if (format === 'containerd') process.stdout.write(`${containerdLines(trace).join('\n')}\n`);
  else if (format === 'events') {
    for (const e of trace.entries) if (e.type === 'docker-event') process.stdout.write(`${eventJson(e.event)}\n`);
  } else process.stdout.write(cliOutput(trace));
}

main(process.argv.slice(2));
