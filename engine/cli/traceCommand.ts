// `dockstep trace`: the engine's last operation, drawn from its trace as the simulation's runs
// are (one trace, every view): the Mermaid diagram, the docker events, the message lines, the
// narration, or the trace itself as JSON. It reads the trace the engine keeps under its root,
// so it works after the fact and with no engine running.
import { isLang, LANGS, type Lang } from '../../src/i18n/index.ts';
import { loadTrace } from '../real/traces.ts';
import { renderTrace, UsageError } from './simCommand.ts';

export const TRACE_FORMATS = ['mermaid', 'events', 'json', 'golden', 'narration'] as const;
type TraceFormat = (typeof TRACE_FORMATS)[number];

export const TRACE_USAGE = `usage: dockstep trace [--root DIR] [--format ${TRACE_FORMATS.join('|')}] [--lang ${LANGS.join('|')}]`;

export const DEFAULT_ROOT = '/var/lib/dockstep';

interface TraceArgs {
  root: string;
  format: TraceFormat;
  lang: Lang;
}

function parseTraceArgs(argv: readonly string[]): TraceArgs {
  const args: TraceArgs = { root: process.env.DOCKSTEP_ROOT ?? DEFAULT_ROOT, format: 'mermaid', lang: 'en' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`flag needs an argument: ${flag}`);
      return v;
    };
    if (flag === '--root') args.root = value();
    else if (flag === '--format') {
      const v = value();
      if (!(TRACE_FORMATS as readonly string[]).includes(v))
        throw new UsageError(`invalid value "${v}" for --format: expected one of ${TRACE_FORMATS.join(', ')}`);
      args.format = v as TraceFormat;
    } else if (flag === '--lang') {
      const v = value();
      if (!isLang(v)) throw new UsageError(`invalid value "${v}" for --lang: expected one of ${LANGS.join(', ')}`);
      args.lang = v;
    } else throw new UsageError(`unknown argument: ${a}`);
  }
  return args;
}

export async function traceCommand(argv: readonly string[]): Promise<string> {
  const args = parseTraceArgs(argv);
  const trace = await loadTrace(args.root);
  return renderTrace(trace, args.format, args.lang);
}
