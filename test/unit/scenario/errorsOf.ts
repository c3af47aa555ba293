import { parseScenario, runScenario, ScenarioFileError } from '../../../src/scenario/index.ts';

/**
 * The messages of every mistake in a lesson file, or [] when it is fine: as read (`run: false`),
 * or also run, for the mistakes only the run can show (an anchor no message matches).
 */
export function errorsOf(text: string, { run = true, file = 'scenarios/tiny.yaml' } = {}): string[] {
  try {
    const s = parseScenario(file, text);
    if (run) runScenario(s);
  } catch (e) {
    if (e instanceof ScenarioFileError) return e.errors.map((x) => x.message);
    throw e;
  }
  return [];
}
