// `dockstep scenario`: list the lessons, run one and print it like `dockstep sim`, or check
// that its goal is reached.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LANGS, type Lang } from '../../src/i18n/index.ts';
import { runScenario, type ScenarioRun } from '../../src/scenario/index.ts';
import { hostSnapshot } from '../../src/sim/hostSnapshot.ts';
import { layerStack, namespaces } from '../../src/views/layerStack.ts';
import { narrationLine } from '../../src/views/narration.ts';
import { pstree } from '../../src/views/pstree.ts';
import { simulationOf } from '../../src/scenario/run.ts';
import { loadScenarioFile, loadScenarios, SCENARIO_DIR, type LoadedScenario } from '../scenario/load.ts';
import { formatLessons, saveLessonIndex, type LessonRow } from './lessonIndex.ts';
import { renderTrace, SIM_FORMATS, UsageError } from './simCommand.ts';
import { flagWords, oneOf } from './usageError.ts';

export const SCENARIO_USAGE = `usage: dockstep scenario --list [--format text|json]
       dockstep scenario <id|file.yaml> [--lang ${LANGS.join('|')}] [--format ${SIM_FORMATS.join('|')}]
       dockstep scenario <id|file.yaml> --check`;

interface ScenarioArgs {
  target?: string;
  list: boolean;
  check: boolean;
  lang: Lang;
  format: string;
}

function parseArgs(argv: readonly string[]): ScenarioArgs {
  const args: ScenarioArgs = { list: false, check: false, lang: 'en', format: '' };
  for (const { arg: a, flag, value } of flagWords(argv)) {
    if (flag === '--list') args.list = true;
    else if (flag === '--check') args.check = true;
    else if (flag === '--format') args.format = value();
    else if (flag === '--lang') args.lang = oneOf(flag, value(), LANGS);
    else if (a.startsWith('-')) throw new UsageError(`unknown flag: ${a}`);
    else if (args.target === undefined) args.target = a;
    else throw new UsageError(`one scenario at a time: got "${args.target}" and "${a}"`);
  }
  if (args.list === (args.target !== undefined))
    throw new UsageError(args.list ? '--list takes no scenario' : 'name a scenario, or pass --list');
  const formats: readonly string[] = args.list ? ['text', 'json'] : SIM_FORMATS;
  if (args.format && !formats.includes(args.format))
    throw new UsageError(
      `invalid value "${args.format}" for --format: expected one of ${formats.join(', ')}`,
    );
  if (args.check && args.format) throw new UsageError('--check prints the goal; it takes no --format');
  return args;
}

/** An id names a shipped lesson; anything with a slash or `.yaml` is a file. */
function find(target: string): LoadedScenario {
  if (/[/\\]|\.ya?ml$/.test(target)) {
    if (!existsSync(target)) throw new UsageError(`no such scenario file: ${target}`);
    return loadScenarioFile(target);
  }
  const path = join(SCENARIO_DIR, `${target}.yaml`);
  if (!existsSync(path)) throw new UsageError(`no scenario "${target}": see dockstep scenario --list`);
  return loadScenarioFile(path);
}

function list(format: string): string {
  const rows: LessonRow[] = loadScenarios().map((s) => ({
    id: s.id,
    title: s.title,
    summary: s.summary,
    level: s.level,
    profile: s.profile,
    steps: s.steps.map((x) => x.run),
    file: relative(SCENARIO_DIR, s.file),
  }));
  saveLessonIndex(rows);
  return formatLessons(rows, format);
}

function checkReport(s: LoadedScenario, run: ScenarioRun, lang: Lang): string {
  const lines = run.goals.map(
    (g) => `${g.ok ? 'ok  ' : 'FAIL'} ${JSON.stringify(g.goal)}${g.ok ? '' : ` (${g.actual})`}`,
  );
  return `${s.title[lang]}\n${lines.join('\n')}\n${run.reached ? 'goal reached' : 'goal not reached'}\n`;
}

/** The lesson's narration: each step's intro, each message's line, and the lesson's notes under theirs. */
function lessonNarration(s: LoadedScenario, run: ScenarioRun, lang: Lang): string {
  const out: string[] = [];
  let step = -1;
  for (const m of run.messages) {
    if (m.command !== step) {
      step = m.command;
      const intro = s.steps[step]?.intro;
      if (intro) out.push(`# ${intro[lang]}`);
    }
    out.push(narrationLine(m, lang));
    s.notes.forEach((n, i) => (run.noteAt[i] === m.seq ? out.push(`  ▸ ${n.text[lang]}`) : undefined));
  }
  return `${out.join('\n')}\n`;
}

/** Returns what to print and the exit status (1: the goal was not reached). */
export function scenarioCommand(argv: readonly string[]): { out: string; code: number } {
  const args = parseArgs(argv);
  if (args.list) return { out: list(args.format || 'text'), code: 0 };
  const s = find(args.target ?? '');
  const run = runScenario(s);
  if (args.check) return { out: checkReport(s, run, args.lang), code: run.reached ? 0 : 1 };
  const format = (args.format || 'cli') as (typeof SIM_FORMATS)[number];
  if (format === 'narration') return { out: lessonNarration(s, run, args.lang), code: 0 };
  if (format === 'pstree' || format === 'layers' || format === 'namespaces') {
    const sim = simulationOf(s);
    sim.runToEnd();
    const views = { pstree, layers: layerStack, namespaces };
    return { out: views[format](hostSnapshot(sim.world, s.profile), args.lang), code: 0 };
  }
  return { out: renderTrace(run.trace, format, args.lang), code: 0 };
}
