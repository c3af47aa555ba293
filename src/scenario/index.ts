export * from './types.ts';
export { parseScenario, ScenarioFileError, setupLine } from './parse.ts';
export { answerOf, runScenario, setupLines, simulationOf, type GoalResult, type ScenarioRun } from './run.ts';
export { ScenarioError, type Position } from './yamlSource.ts';
