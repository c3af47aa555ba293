import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../../src/scenario/index.ts';
import { errorsOf } from './errorsOf.ts';

/** The lesson format's `platform`: linux (default) or desktop (Docker Desktop). */
const LESSON = `id: tiny
level: 1
title: { en: Tiny, zh-CN: 小课 }
summary: { en: One command., zh-CN: 一条命令。 }
steps:
  - run: docker ps
goal:
  - exit: { step: 0, code: 0 }
`;

const parseErrorsOf = (text: string): string[] => errorsOf(text, { run: false });

describe('platform in a lesson file', () => {
  it('defaults to linux: the CLI talks to dockerd', () => {
    const s = parseScenario('scenarios/tiny.yaml', LESSON);
    expect(s.platform).toBe('linux');
    expect(
      runScenario(s)
        .messages.filter((m) => m.from === 'CLI' && m.kind === 'request')
        .map((m) => m.to),
    ).toEqual(['dockerd', 'dockerd']);
  });

  it('desktop runs the lesson on Docker Desktop: the CLI talks to the backend', () => {
    const s = parseScenario('scenarios/tiny.yaml', LESSON.replace('level: 1', 'level: 1\nplatform: desktop'));
    expect(s.platform).toBe('desktop');
    const run = runScenario(s);
    expect(run.trace.platform).toBe('desktop');
    expect(run.messages.filter((m) => m.from === 'CLI' && m.kind === 'request').map((m) => m.to)).toEqual([
      'VM',
      'VM',
    ]);
    expect(run.reached).toBe(true);
  });

  it('names the line, the field and the values it takes for a bad value', () => {
    expect(parseErrorsOf(LESSON.replace('level: 1', 'level: 1\nplatform: mac'))).toEqual([
      "scenarios/tiny.yaml:3:11: platform: expected one of linux, desktop, got the text 'mac'",
    ]);
    expect(parseErrorsOf(LESSON.replace('level: 1', 'level: 1\nplatform: 2'))).toEqual([
      'scenarios/tiny.yaml:3:11: platform: expected one of linux, desktop, got number 2',
    ]);
  });
});
