/**
 * The client's command line: `dockstep [--host unix://…] VERB [OPTIONS] ARGS`. Flags are read
 * by the core's copy of pflag (src/cli/flags.ts) so the errors are pflag's; argument counts and
 * usage texts follow docker/cli 28 (cli/required.go, cli/cobra.go FlagErrorFunc), with
 * "dockstep" where docker says "docker":
 * - a flag error is exit status 125 with the usage line;
 * - a wrong number of arguments is exit status 1.
 * https://github.com/docker/cli/blob/v28.2.2/cli/required.go
 */
import { checkArgs, type ArgsRule } from '../../src/cli/command.ts';
import { flagError } from '../../src/cli/errors.ts';
import { parseFlags, spec, type FlagSpec, type FlagValues } from '../../src/cli/flags.ts';

/** A refusal before any request: what goes to stderr (or stdout for --help) and the exit status. */
export class UsageFailure extends Error {
  constructor(
    readonly text: string,
    readonly exitCode: number,
    readonly toStdout = false,
  ) {
    super(text);
    this.name = 'UsageFailure';
  }
}

export type Verb = 'pull' | 'push' | 'images' | 'rmi' | 'tag' | 'save' | 'load' | 'history' | 'image tree';

interface FlagHelp {
  flag: FlagSpec;
  help: string;
}

interface VerbSpec {
  use: string;
  short: string;
  args: ArgsRule | { kind: 'range'; min: number; max: number };
  flags: FlagHelp[];
}

const f = (name: string, short: string, kind: 'bool' | 'string', help: string): FlagHelp => ({
  flag: spec(name, short, kind, { modelled: true }),
  help,
});

/** Use lines and flags as docker/cli 28 declares them (cli/command/image/*.go). */
export const VERBS: Record<Verb, VerbSpec> = {
  pull: {
    use: 'pull [OPTIONS] NAME[:TAG|@DIGEST]',
    short: 'Download an image from a registry',
    args: { kind: 'exact', n: 1 },
    flags: [
      f('platform', '', 'string', 'Set platform if server is multi-platform capable'),
      f('quiet', 'q', 'bool', 'Suppress verbose output'),
    ],
  },
  push: {
    use: 'push NAME[:TAG]',
    short: 'Upload an image to a registry',
    args: { kind: 'exact', n: 1 },
    flags: [],
  },
  images: {
    use: 'images [OPTIONS] [REPOSITORY[:TAG]]',
    short: 'List images',
    args: { kind: 'max', n: 1 },
    flags: [
      f('all', 'a', 'bool', 'Show all images (default hides intermediate images)'),
      f('digests', '', 'bool', 'Show digests'),
      f('no-trunc', '', 'bool', "Don't truncate output"),
      f('quiet', 'q', 'bool', 'Only show image IDs'),
    ],
  },
  rmi: {
    use: 'rmi [OPTIONS] IMAGE [IMAGE...]',
    short: 'Remove one or more images',
    args: { kind: 'min', n: 1 },
    flags: [
      f('force', 'f', 'bool', 'Force removal of the image'),
      f('no-prune', '', 'bool', 'Do not delete untagged parents'),
    ],
  },
  tag: {
    use: 'tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
    short: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
    args: { kind: 'exact', n: 2 },
    flags: [],
  },
  save: {
    use: 'save [OPTIONS] IMAGE [IMAGE...]',
    short: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
    args: { kind: 'min', n: 1 },
    flags: [f('output', 'o', 'string', 'Write to a file, instead of STDOUT')],
  },
  load: {
    use: 'load [OPTIONS]',
    short: 'Load an image from a tar archive or STDIN',
    args: { kind: 'none' },
    flags: [
      f('input', 'i', 'string', 'Read from tar archive file, instead of STDIN'),
      f('quiet', 'q', 'bool', 'Suppress the load output'),
    ],
  },
  history: {
    use: 'history [OPTIONS] IMAGE',
    short: 'Show the history of an image',
    args: { kind: 'exact', n: 1 },
    flags: [
      f('human', 'H', 'bool', 'Print sizes and dates in human readable format (default true)'),
      f('no-trunc', '', 'bool', "Don't truncate output"),
      f('quiet', 'q', 'bool', 'Only show image IDs'),
    ],
  },
  'image tree': {
    use: 'image tree IMAGE [PATH]',
    short: "List the files of an image's root file system, as a container would see them",
    args: { kind: 'range', min: 1, max: 2 },
    flags: [],
  },
};

export interface Parsed {
  verb: Verb;
  values: FlagValues;
  args: string[];
}

/**
 * `--help`: the command's usage, description and options on stdout, laid out as cobra and
 * pflag's FlagUsages do (the descriptions start 3 columns after the longest flag; no wrapping).
 */
export function helpText(verb: Verb): string {
  const v = VERBS[verb];
  const head = `Usage:  dockstep ${v.use}\n\n${v.short}\n`;
  if (v.flags.length === 0) return head;
  const lefts = v.flags.map(({ flag }) => {
    const short = flag.short === undefined ? '    ' : `-${flag.short}, `;
    return `  ${short}--${flag.name}${flag.kind === 'string' ? ' string' : ''}`;
  });
  const width = Math.max(...lefts.map((l) => l.length)) + 3;
  const rows = v.flags.map((x, i) => `${(lefts[i] ?? '').padEnd(width)}${x.help}\n`);
  return `${head}\nOptions:\n${rows.join('')}`;
}

function argsError(verb: Verb, count: number): string | undefined {
  const v = VERBS[verb];
  const path = `dockstep ${verb}`;
  const useLine = `dockstep ${v.use}`;
  if (v.args.kind !== 'range') {
    // required.go's texts; the core writes them for "docker", the program here is dockstep.
    return checkArgs(v.args, count, path, useLine)?.stderr.replace(/^docker: /, 'dockstep: ');
  }
  if (count >= v.args.min && count <= v.args.max) return undefined;
  return `dockstep: '${path}' requires at least ${v.args.min} and at most ${v.args.max} arguments\n\nUsage:  ${useLine}\n\nRun '${path} --help' for more information\n`;
}

/** Flags, then the argument count; throws UsageFailure with docker's text and status. */
export function parseVerb(verb: Verb, argv: readonly string[]): Parsed {
  const v = VERBS[verb];
  const parsed = parseFlags(
    argv,
    v.flags.map((x) => x.flag),
    true,
  );
  const path = `dockstep ${verb}`;
  if (parsed.error !== undefined) {
    const e = flagError(parsed.error, `dockstep ${v.use}`, path);
    throw new UsageFailure(e.stderr, e.exitCode);
  }
  if (parsed.help) throw new UsageFailure(helpText(verb), 0, true);
  const wrong = argsError(verb, parsed.args.length);
  if (wrong !== undefined) throw new UsageFailure(wrong, 1);
  return { verb, values: parsed.values, args: parsed.args };
}

/** What `dockstep -H …` with no client command prints. */
export const CLIENT_USAGE = `Usage:  dockstep [--host unix:///path/to/socket] COMMAND

Engine API client commands (for the dockstep engine or a dockerd):
  pull [--platform P] [-q] NAME[:TAG|@DIGEST]   Download an image from a registry
  push NAME[:TAG]                               Upload an image to a registry
  images [-a] [-q] [--digests] [--no-trunc] [REPOSITORY[:TAG]]   List images
  rmi [-f] IMAGE [IMAGE...]                     Remove one or more images
  tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]     Create a tag that refers to an image
  save [-o FILE] IMAGE [IMAGE...]               Save images to a tar archive
  load [-i FILE] [-q]                           Load images from a tar archive
  history [--no-trunc] [-q] IMAGE               Show the history of an image
  image tree IMAGE [PATH]                       List the files of an image's root file system

The host is --host/-H, else $DOCKSTEP_HOST, else unix:///run/dockstep/dockstep.sock.
`;

export interface Invocation {
  host: string | undefined;
  verb: Verb;
  rest: string[];
}

/** The first words of the client's commands (`image` for `image tree`). */
export const CLIENT_VERBS: readonly string[] = [
  'pull',
  'push',
  'images',
  'rmi',
  'tag',
  'save',
  'load',
  'history',
  'image',
];

/** Whether `dockstep ARGV` is a client command (a verb, or the global -H/--host before one). */
export function isClientCommand(argv: readonly string[]): boolean {
  const first = argv[0] ?? '';
  return CLIENT_VERBS.includes(first) || first === '-H' || first === '--host' || first.startsWith('--host=');
}

/** The global `--host`/`-H` (before the verb), the verb and its own arguments. */
export function splitInvocation(argv: readonly string[]): Invocation {
  let host: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-H' || a === '--host') {
      host = argv[++i];
      if (host === undefined)
        throw new UsageFailure(`flag needs an argument: ${a === '-H' ? "'H' in -H" : '--host'}\n`, 125);
    } else if (a.startsWith('--host=')) host = a.slice('--host='.length);
    else if (a.startsWith('-H') && a.length > 2) host = a.slice(2).replace(/^=/, '');
    else break;
  }
  const [name, ...rest] = argv.slice(i);
  if (name === 'image') {
    const [sub, ...more] = rest;
    if (sub === 'tree') return { host, verb: 'image tree', rest: more };
    const what = sub === undefined ? '' : `unknown command: dockstep image ${sub}\n\n`;
    throw new UsageFailure(
      `dockstep: ${what}Usage:  dockstep image tree IMAGE [PATH]\n\nRun 'dockstep image tree --help' for more information\n`,
      1,
    );
  }
  if (name === undefined || !CLIENT_VERBS.includes(name)) {
    const what = name === undefined ? '' : `dockstep: unknown command: dockstep ${name}\n\n`;
    throw new UsageFailure(`${what}${CLIENT_USAGE}`, 1);
  }
  return { host, verb: name as Verb, rest };
}
