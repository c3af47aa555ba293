import { readFileSync } from 'node:fs';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
import type { YamlSource } from '../../src/scenario/yamlSource.ts';
import { SCENARIO_DIR, scenarioFiles } from './files.ts';

export { SCENARIO_DIR, scenarioFiles };

export type LoadedScenario = Scenario & { source: YamlSource };

/** One lesson file, read and checked: a broken file throws its ScenarioFileError. */
export function loadScenarioFile(path: string): LoadedScenario {
  return parseScenario(path, readFileSync(path, 'utf8'));
}

export function loadScenarios(dir = SCENARIO_DIR): LoadedScenario[] {
  return scenarioFiles(dir)
    .map(loadScenarioFile)
    .sort((a, b) => a.level - b.level || a.id.localeCompare(b.id));
}
