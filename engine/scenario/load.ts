import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
import type { YamlSource } from '../../src/scenario/yamlSource.ts';

/** The lessons shipped with dockstep. */
export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export type LoadedScenario = Scenario & { source: YamlSource };

/** Every `*.yaml` file of a directory, by name. A broken file throws its ScenarioFileError. */
export function scenarioFiles(dir = SCENARIO_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export function loadScenarioFile(path: string): LoadedScenario {
  return parseScenario(path, readFileSync(path, 'utf8'));
}

export function loadScenarios(dir = SCENARIO_DIR): LoadedScenario[] {
  return scenarioFiles(dir)
    .map(loadScenarioFile)
    .sort((a, b) => a.level - b.level || a.id.localeCompare(b.id));
}
