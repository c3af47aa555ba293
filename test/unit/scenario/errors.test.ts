import { describe, expect, it } from 'vitest';
import { errorsOf } from './errorsOf.ts';

/** A minimal valid lesson; each case below breaks one thing in it. */
const GOOD = `id: tiny
level: 1
title:
  en: Tiny
  zh-CN: 小课
summary:
  en: One command.
  zh-CN: 一条命令。
steps:
  - run: docker ps
goal:
  - exit: { step: 0, code: 0 }
`;

describe('scenario files: every mistake names its file, line, column and field', () => {
  it('accepts the minimal lesson', () => {
    expect(errorsOf(GOOD)).toEqual([]);
  });

  it('bad YAML', () => {
    expect(errorsOf(GOOD.replace('  - run: docker ps', '  - run: [docker ps'))).toEqual([
      expect.stringMatching(/^scenarios\/tiny\.yaml:1[0-2]:\d+: not valid YAML: /),
    ]);
  });

  it('a duplicate field', () => {
    expect(errorsOf(`${GOOD}level: 2\n`)).toEqual([
      'scenarios/tiny.yaml:13:1: not valid YAML: Map keys must be unique',
    ]);
  });

  it('an unknown field, at its key', () => {
    expect(errorsOf(GOOD.replace('level: 1', 'level: 1\ndifficulty: 3'))).toEqual([
      "scenarios/tiny.yaml:3:1: difficulty: unknown field 'difficulty'; expected one of: id, level, title, summary, profile, platform, seed, world, faults, steps, challenge, solution, notes, questions, hints, goal",
    ]);
  });

  it('a wrong type', () => {
    expect(errorsOf(GOOD.replace('level: 1', 'level: easy'))).toEqual([
      "scenarios/tiny.yaml:2:8: level: expected a whole number from 1 to 5, got the text 'easy'",
    ]);
    expect(errorsOf(GOOD.replace('  - run: docker ps', '  - run: 42'))).toEqual([
      'scenarios/tiny.yaml:10:10: steps[0].run: expected a command line (docker, kubectl or a host action), got number 42',
    ]);
  });

  it("an unknown docker command, with docker's own words", () => {
    expect(errorsOf(GOOD.replace('docker ps', 'docker frobnicate'))).toEqual([
      "scenarios/tiny.yaml:10:10: steps[0].run: 'docker frobnicate' is not a command docker accepts: docker: unknown command: docker frobnicate",
    ]);
    expect(errorsOf(GOOD.replace('docker ps', 'docker ps --frob'))).toEqual([
      "scenarios/tiny.yaml:10:10: steps[0].run: 'docker ps --frob' is not a command docker accepts: unknown flag: --frob",
    ]);
  });

  it('a title without its Chinese, and a summary without its English', () => {
    const text = GOOD.replace('  zh-CN: 小课\n', '').replace('  en: One command.\n', '');
    expect(errorsOf(text)).toEqual([
      'scenarios/tiny.yaml:4:3: title.zh-CN: missing; expected the zh-CN text',
      'scenarios/tiny.yaml:6:3: summary.en: missing; expected the en text',
    ]);
  });
});

describe('scenario files: mistakes only the whole lesson or its run can show', () => {
  it('an id that is not the file name', () => {
    expect(errorsOf(GOOD, { file: 'scenarios/other.yaml' })).toEqual([
      "scenarios/other.yaml:1:5: id: expected 'other', the file's name",
    ]);
  });

  it('a goal naming a step the lesson does not have', () => {
    expect(errorsOf(GOOD.replace('step: 0, code', 'step: 3, code'))).toEqual([
      'scenarios/tiny.yaml:12:19: goal[0].exit.step: expected a step from 0 to 0 (steps count from 0), got 3',
    ]);
  });

  it('a note tied to a message the run never sends', () => {
    const text = `${GOOD}notes:\n  - at: { call: "Tasks.Create" }\n    en: x\n    zh-CN: x\n`;
    expect(errorsOf(text)).toEqual([
      "scenarios/tiny.yaml:14:9: notes[0].at: no message of the run has a call starting with 'Tasks.Create'",
    ]);
  });

  it("a question whose choices leave out the run's answer", () => {
    const q = `questions:\n  - at: { call: "GET /v1.50/containers/json" }\n    ask: { en: Who answers?, zh-CN: 谁回答？ }\n    choices: [containerd, runc]\n    explain: { en: dockerd., zh-CN: dockerd。 }\n`;
    expect(errorsOf(`${GOOD}${q}`)).toEqual([
      "scenarios/tiny.yaml:16:14: questions[0].choices: the message's receiver is dockerd, which is not among the choices",
    ]);
  });

  it('a written answer that is not one of the choices', () => {
    const q = `questions:\n  - at: { call: "HEAD /_ping" }\n    kind: choice\n    ask: { en: Why?, zh-CN: 为什么？ }\n    choices: [a, b]\n    answer: c\n    explain: { en: a., zh-CN: a。 }\n`;
    expect(errorsOf(`${GOOD}${q}`)).toEqual([
      "scenarios/tiny.yaml:18:13: questions[0].answer: expected one of the choices (a, b), got 'c'",
    ]);
  });

  it('collects every mistake of a file at once', () => {
    expect(errorsOf(GOOD.replace('level: 1', 'level: 9').replace('docker ps', 'docker nope'))).toHaveLength(
      2,
    );
  });
});
