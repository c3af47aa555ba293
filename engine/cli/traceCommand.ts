// `dockstep trace`: the engine's last operation, drawn from its trace as the simulation's runs
// are (one trace, every view): the Mermaid diagram, the docker events, the message lines, the
// narration, or the trace itself as JSON. It reads the trace the engine keeps under its root,
// so it works after the fact and with no engine running. With `--follow` it connects to the
// running engine instead and prints every request's messages as they happen (traceFollow.ts).
import { isLang, LANGS, type Lang } from '../../src/i18n/index.ts';
import { resolveHost } from '../client/engine.ts';
import { loadTrace } from '../real/traces.ts';
import { followTrace } from './traceFollow.ts';
import { renderTrace, UsageError } from './simCommand.ts';

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
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`flag needs an argument: ${flag}`);
      return v;
    };
    if (flag === '--follow' || flag === '-f') {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      args.follow = true;
    } else if (flag === '--host' || flag === '-H') args.host = value();
    else if (flag === '--root') args.root = value();
    else if (flag === '--format') {
      const v = value();
      if (!(TRACE_FORMATS as readonly string[]).includes(v))
        throw new UsageError(
          `invalid value "${v}" for --format: expected one of ${TRACE_FORMATS.join(', ')}`,
        );
      args.format = v as TraceFormat;
    } else if (flag === '--lang') {
      const v = value();
      if (!isLang(v))
        throw new UsageError(`invalid value "${v}" for --lang: expected one of ${LANGS.join(', ')}`);
      args.lang = v;
    } else throw new UsageError(`unknown argument: ${a}`);
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
