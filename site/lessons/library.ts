import {
  parseScenario,
  runScenario,
  ScenarioFileError,
  setupLines,
  type Scenario,
  type ScenarioRun,
} from '../../src/scenario/index.ts';

export { answerOf } from '../../src/scenario/index.ts';
import type { LessonRun } from '../state/session.ts';

/**
 * The lessons the page offers: the files in scenarios/ (bundled as text, parsed here with the
 * same reader as `dockstep scenario`), plus lesson files the reader opened, kept in the
 * browser. Progress (lessons done) is kept in the browser too. This module is loaded only when
 * the lesson panel is shown, with the scenario reader and the simulation it needs.
 */
export interface Lesson {
  scenario: Scenario;
  text: string;
  imported: boolean;
}

const shipped = import.meta.glob<string>('../../scenarios/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true,
});
const IMPORTED_KEY = 'dockstep.lessons';
const PROGRESS_KEY = 'dockstep.progress';

function stored<T>(key: string, fallback: T): T {
  try {
    return (JSON.parse(localStorage.getItem(key) ?? '') as T) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Every lesson: shipped first, by level; then the reader's own. A broken own file is skipped. */
export function allLessons(): Lesson[] {
  const own = stored<Record<string, string>>(IMPORTED_KEY, {});
  const out: Lesson[] = Object.entries(shipped).map(([path, text]) => ({
    scenario: parseScenario(path.replace(/^(\.\.\/)+/, ''), text),
    text,
    imported: false,
  }));
  out.sort((a, b) => a.scenario.level - b.scenario.level || a.scenario.id.localeCompare(b.scenario.id));
  for (const [id, text] of Object.entries(own)) {
    if (out.some((l) => l.scenario.id === id)) continue;
    try {
      out.push({ scenario: parseScenario(`${id}.yaml`, text), text, imported: true });
    } catch {
      // A file that no longer reads (the format changed) is left out, not fatal.
    }
  }
  return out;
}

/** Read a lesson file the reader chose; throws a ScenarioFileError listing every mistake. */
export function importLesson(fileName: string, text: string): Lesson {
  const scenario = parseScenario(fileName, text);
  runScenario(scenario); // its notes and questions must fall on messages of the run
  const own = stored<Record<string, string>>(IMPORTED_KEY, {});
  localStorage.setItem(IMPORTED_KEY, JSON.stringify({ ...own, [scenario.id]: text }));
  return { scenario, text, imported: true };
}

export function lessonRun(s: Scenario): LessonRun {
  return {
    id: s.id,
    steps: s.steps.map((x) => x.run),
    setup: setupLines(s),
    faults: s.faults,
    daemon: s.world.daemon,
    platform: s.platform,
    files: s.world.files,
    ...(s.world.cwd ? { cwd: s.world.cwd } : {}),
    seed: s.seed,
    profile: s.profile,
  };
}

/** The lesson's run: where its notes and questions fall, and whether its goal holds at the end. */
export function analyse(s: Scenario): ScenarioRun {
  return runScenario(s);
}

export function doneLessons(): Set<string> {
  return new Set(stored<string[]>(PROGRESS_KEY, []));
}

export function markDone(id: string): void {
  localStorage.setItem(PROGRESS_KEY, JSON.stringify([...new Set([...doneLessons(), id])]));
}

/** A failed import's mistakes, one line each (file:line:col: field: what was expected). */
export function problemsOf(error: unknown): string[] {
  return error instanceof ScenarioFileError
    ? error.errors.map((x) => x.message)
    : [error instanceof Error ? error.message : String(error)];
}
