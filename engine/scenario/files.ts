// Where the lessons shipped with dockstep are, and which files they are. Nothing here reads a
// lesson: `scenario --list`'s index (engine/cli/lessonIndex.ts) uses it without loading the
// lesson reader.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The lessons shipped with dockstep. */
export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Every `*.yaml` file of a directory, by name. */
export function scenarioFiles(dir = SCENARIO_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}
