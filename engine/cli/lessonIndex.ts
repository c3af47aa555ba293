// `dockstep scenario --list` without reading every lesson: the list the full reader made last
// time (engine/cli/scenarioCommand.ts), kept beside the built command in `dist/cli/lessons.json`
// with the name, size and modification time of each lesson file it was made from. It is used only
// while the lesson directory holds exactly those files, unchanged; otherwise the lessons are read
// (and checked) again and the index made anew. This module loads nothing of the simulation.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioFiles } from '../scenario/files.ts';

/** One lesson as `--list` shows it. */
export interface LessonRow {
  id: string;
  title: Record<string, string>;
  summary: Record<string, string>;
  level: number;
  profile: string;
  steps: string[];
  file: string;
}

interface Index {
  files: [string, number, number][];
  rows: LessonRow[];
}

const INDEX = fileURLToPath(new URL('../../dist/cli/lessons.json', import.meta.url));

/** The lesson files as they are now: name, size, modification time. */
function filesNow(): [string, number, number][] {
  return scenarioFiles().map((path) => {
    const s = statSync(path);
    return [basename(path), s.size, s.mtimeMs];
  });
}

/** The rows of the last full read, if the lesson files are still exactly those. */
export function indexedLessons(): LessonRow[] | undefined {
  try {
    const index = JSON.parse(readFileSync(INDEX, 'utf8')) as Index;
    return JSON.stringify(index.files) === JSON.stringify(filesNow()) ? index.rows : undefined;
  } catch {
    return undefined;
  }
}

/** Keep a full read's rows for next time; where the command is not built (or not writable), nothing. */
export function saveLessonIndex(rows: LessonRow[]): void {
  try {
    const index: Index = { files: filesNow(), rows };
    writeFileSync(INDEX, JSON.stringify(index));
  } catch {
    // No dist/cli: the sources run through tsx, and each --list reads the lessons.
  }
}

/** The list as `--list` prints it. */
export function formatLessons(rows: readonly LessonRow[], format: string): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const width = Math.max(...rows.map((r) => r.id.length));
  return rows.map((r) => `${r.id.padEnd(width)}  L${r.level}  ${r.title.en ?? ''}\n`).join('');
}
