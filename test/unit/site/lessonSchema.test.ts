import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/index.ts';
import { lessonSchema } from '../../../src/scenario/schema.ts';

/**
 * The lesson format's JSON Schema (scenarios/lesson.schema.json) is made from the definitions
 * the reader checks files with: the file must be what lessonSchema() makes
 * (DOCKSTEP_WRITE_SCHEMA=1 writes it), every lesson names it, every lesson passes it, and broken
 * files are refused by both the reader and the schema (checked with Ajv, a JSON Schema validator).
 */
const FILE = 'scenarios/lesson.schema.json';
const MODELINE = '# yaml-language-server: $schema=./lesson.schema.json';
const made = `${JSON.stringify(lessonSchema(), null, 2)}\n`;
if (process.env.DOCKSTEP_WRITE_SCHEMA === '1') writeFileSync(FILE, made);

const validate = new Ajv({ allErrors: true }).compile(lessonSchema());
const lessons = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));

const GOOD = `${MODELINE}
id: broken
level: 1
title: { en: A lesson, zh-CN: 一课 }
summary: { en: What it shows, zh-CN: 它展示什么 }
steps:
  - run: docker ps
goal:
  - image: { ref: nginx, present: false }
`;

/** A challenge: no steps of its own, a task, a solution, and a goal that a request fails. */
const CHALLENGE = GOOD.replace(
  'steps:\n  - run: docker ps\n',
  'steps: []\nchallenge: { en: Fail it, zh-CN: 让它失败 }\nsolution: [docker pull nginx:nope]\n',
).replace(
  '  - image: { ref: nginx, present: false }',
  '  - fails: { call: "GET /v2/", from: dockerd, to: Registry, status: 404 }',
);

/** Broken files: each differs from GOOD by one mistake the reader and the schema both refuse. */
const BROKEN: Record<string, string> = {
  'an unknown top-level field': `${GOOD}colour: blue\n`,
  'a level out of range': GOOD.replace('level: 1', 'level: 9'),
  'a missing title': GOOD.replace('title: { en: A lesson, zh-CN: 一课 }\n', ''),
  'a title without its Chinese text': GOOD.replace(', zh-CN: 一课', ''),
  'no steps': GOOD.replace('steps:\n  - run: docker ps\n', 'steps: []\n'),
  'an unknown profile': `${GOOD}profile: v30\n`,
  'a goal of two kinds at once': GOOD.replace(
    '  - image: { ref: nginx, present: false }',
    '  - image: { ref: nginx }\n    exit: { step: 0, code: 0 }',
  ),
  'a question whose kind is not known': `${GOOD}questions:\n  - at: { call: GET }\n    kind: guess\n    ask: { en: a, zh-CN: a }\n    explain: { en: b, zh-CN: b }\n`,
  'a choice question without an answer': `${GOOD}questions:\n  - at: { call: GET }\n    kind: choice\n    choices: [a, b]\n    ask: { en: a, zh-CN: a }\n    explain: { en: b, zh-CN: b }\n`,
  'a fault of an unknown kind': `${GOOD}faults:\n  - network: { drop: true }\n`,
  'a registry fault with a status it cannot give': `${GOOD}faults:\n  - registry: { path: /v2/, status: 418 }\n`,
  'a failing-request goal without its call': CHALLENGE.replace('call: "GET /v2/", ', ''),
  'a failing-request goal from a participant that does not exist': CHALLENGE.replace(
    'from: dockerd',
    'from: Cloud',
  ),
  'a failing-request goal with a field it does not have': CHALLENGE.replace(
    'status: 404',
    'status: 404, code: 1',
  ),
  'a challenge without its Chinese text': CHALLENGE.replace(', zh-CN: 让它失败', ''),
  'an empty solution': CHALLENGE.replace('[docker pull nginx:nope]', '[]'),
  'an anchor on a participant that does not exist': `${GOOD}notes:\n  - at: { call: GET, to: Cloud }\n    en: a\n    zh-CN: a\n`,
};

describe('the lesson schema', () => {
  it('is the file in scenarios/, made from the reader’s definitions', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(made);
  });

  it('is named by every lesson, and every lesson passes it', () => {
    for (const file of lessons) {
      const text = readFileSync(`scenarios/${file}`, 'utf8');
      expect(text.split('\n')[0], file).toBe(MODELINE);
      expect(validate(parse(text)), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('accepts the good file and a challenge, as the reader does', () => {
    for (const text of [GOOD, CHALLENGE]) {
      expect(() => parseScenario('broken.yaml', text)).not.toThrow();
      expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(parseScenario('broken.yaml', CHALLENGE)).toMatchObject({
      steps: [],
      solution: ['docker pull nginx:nope'],
      goal: [{ fails: { call: 'GET /v2/', from: 'dockerd', to: 'Registry', status: '404' } }],
    });
  });

  for (const [mistake, text] of Object.entries(BROKEN)) {
    it(`refuses ${mistake}, as the reader does`, () => {
      expect(() => parseScenario('broken.yaml', text)).toThrow();
      expect(validate(parse(text))).toBe(false);
    });
  }
});
