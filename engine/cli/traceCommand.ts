// `dockstep trace`: the engine's last operation, drawn from its trace as the simulation's runs
// are (one trace, every view): the Mermaid diagram, the docker events, the message lines, the
// narration, or the trace itself as JSON. It reads the trace the engine keeps under its root,
// so it works after the fact and with no engine running. With `--follow` it connects to the
// running engine instead and prints every request's messages as they happen (traceFollow.ts).
import { LANGS, type Lang } from '../../src/i18n/index.ts';
import { resolveHost } from '../client/engine.ts';
import { loadTrace } from '../real/traces.ts';
import { followTrace } from './traceFollow.ts';
import { renderTrace, UsageError } from './simCommand.ts';
import { flagWords, oneOf } from './usageError.ts';

export const TRACE_FORMATS = ['mermaid', 'events', 'json', 'golden', 'narration'] as const;
type TraceFormat = (typeof TRACE_FORMATS)[number];

export const TRACE_USAGE = `usage: dockstep trace [--root DIR] [--format ${TRACE_FORMATS.join('|')}] [--lang ${LANGS.join('|')}]
       dockstep trace --follow [-H unix:///run/dockstep/dockstep.sock] [--format ${TRACE_FORMATS.join('|')}] [--lang ${LANGS.join('|')}]`;

export const DEFAULT_ROOT = '/var/lib/dockstep';

interface TraceArgs {
  root: string;
  format: TraceFormat;
  lang: Lang;
  follow: boolean;
  host?: string;
}

function parseTraceArgs(argv: readonly string[]): TraceArgs {
  const args: TraceArgs = {
    root: process.env.DOCKSTEP_ROOT ?? DEFAULT_ROOT,
    format: 'mermaid',
    lang: 'en',
    follow: false,
  };
  for (const { arg: a, flag, inline, value } of flagWords(argv)) {
    if (flag === '--follow' || flag === '-f') {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      args.follow = true;
    } else if (flag === '--host' || flag === '-H') args.host = value();
    else if (flag === '--root') args.root = value();
    else if (flag === '--format') args.format = oneOf(flag, value(), TRACE_FORMATS);
    else if (flag === '--lang') args.lang = oneOf(flag, value(), LANGS);
    else throw new UsageError(`unknown argument: ${a}`);
  }
  return args;
}

export async function traceCommand(
  argv: readonly string[],
  write: (text: string) => void = (t) => process.stdout.write(t),
): Promise<string> {
  const args = parseTraceArgs(argv);
  if (args.follow) {
    const socket = resolveHost(args.host, process.env).slice('unix://'.length);
    await followTrace(socket, args.format, args.lang, write, () =>
      process.stderr.write(`dockstep: following the engine on ${socket} (Ctrl-C to stop)\n`),
    );
    return '';
  }
  const trace = await loadTrace(args.root);
  return renderTrace(trace, args.format, args.lang);
}
