// `dockstep sim`: run docker command lines through the simulated layers and print one view.
import { LANGS, type Lang } from '../../src/i18n/index.ts';
import { PLATFORMS, type Platform } from '../../src/model/platform.ts';
import { PROFILES, type Profile, type Trace } from '../../src/model/trace.ts';
import { eventJson } from '../../src/views/docker/index.ts';
import { layerStack, namespaces } from '../../src/views/layerStack.ts';
import { toMermaid } from '../../src/views/mermaid.ts';
import { pstree } from '../../src/views/pstree.ts';
import { hostSnapshot } from '../../src/sim/hostSnapshot.ts';
import { narrationLines } from '../../src/views/narration.ts';
import { cliOutput, containerdLines, goldenLines } from '../../src/views/trace.ts';
import { traceWithSources } from '../../src/views/sources.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { readHostFiles } from './hostFiles.ts';

export const SIM_FORMATS = [
  'cli',
  'mermaid',
  'events',
  'containerd',
  'narration',
  'json',
  'golden',
  'pstree',
  'layers',
  'namespaces',
] as const;
/** Formats drawn from the host as it stands after the last command, not from the trace. */
const HOST_FORMATS = { pstree, layers: layerStack, namespaces } as const;
type Format = (typeof SIM_FORMATS)[number];

export const SIM_USAGE = `usage: dockstep sim [--seed N] [--profile ${PROFILES.join('|')}] [--platform ${PLATFORMS.join('|')}] [--lang ${LANGS.join('|')}] [--format ${SIM_FORMATS.join('|')}] [--files DIR] '<docker command>'...`;

export interface SimArgs {
  seed: number;
  profile: Profile;
  platform: Platform;
  lang: Lang;
  format: Format;
  commands: string[];
  /** `--files DIR`: a real directory given to the simulated host (and its working directory). */
  files?: string;
}

/** A usage error: the message names the flag and the value, and says what was expected. */
export { UsageError } from './usageError.ts';
import { flagWords, oneOf, UsageError } from './usageError.ts';

function parseSeed(value: string): number {
  if (!/^\d{1,9}$/.test(value))
    throw new UsageError(`invalid value "${value}" for --seed: expected a whole number from 0 to 999999999`);
  return Number(value);
}

export function parseSimArgs(argv: readonly string[]): SimArgs {
  const args: SimArgs = {
    seed: 1,
    profile: 'v29',
    platform: 'linux',
    lang: 'en',
    format: 'cli',
    commands: [],
  };
  for (const { arg: a, flag, value, rest } of flagWords(argv)) {
    if (flag === '--seed') args.seed = parseSeed(value());
    else if (flag === '--profile') args.profile = oneOf(flag, value(), PROFILES);
    else if (flag === '--platform') args.platform = oneOf(flag, value(), PLATFORMS);
    else if (flag === '--lang') args.lang = oneOf(flag, value(), LANGS);
    else if (flag === '--format') args.format = oneOf(flag, value(), SIM_FORMATS);
    else if (flag === '--files') args.files = value();
    else if (flag === '--') {
      args.commands.push(...rest());
    } else if (a.startsWith('-') && a.length > 1) throw new UsageError(`unknown flag: ${a}`);
    else args.commands.push(a);
  }
  if (args.commands.length === 0)
    throw new UsageError('no command lines given: pass each docker command as one argument');
  return args;
}

export function renderTrace(
  trace: Trace,
  format: Exclude<Format, keyof typeof HOST_FORMATS>,
  lang: Lang,
): string {
  const lines = (list: string[]): string => (list.length ? `${list.join('\n')}\n` : '');
  switch (format) {
    case 'json':
      // Each message names the real code it stands for (src/layers/sources.ts).
      return `${JSON.stringify(traceWithSources(trace), null, 2)}\n`;
    case 'golden':
      return lines(goldenLines(trace));
    case 'containerd':
      return lines(containerdLines(trace));
    case 'events':
      return lines(trace.entries.flatMap((e) => (e.type === 'docker-event' ? [eventJson(e.event)] : [])));
    case 'mermaid':
      return toMermaid(trace, { lang });
    case 'narration':
      return lines(narrationLines(trace, lang));
    case 'cli':
      return cliOutput(trace);
  }
}

export function simCommand(argv: readonly string[]): string {
  const args = parseSimArgs(argv);
  const host = args.files === undefined ? {} : readHostFiles(args.files);
  const sim = new Simulation(args.commands, {
    seed: args.seed,
    profile: args.profile,
    platform: args.platform,
    ...host,
  });
  const trace = sim.runToEnd();
  if (args.format === 'pstree' || args.format === 'layers' || args.format === 'namespaces') {
    return HOST_FORMATS[args.format](hostSnapshot(sim.world, args.profile), args.lang);
  }
  return renderTrace(trace, args.format, args.lang);
}
