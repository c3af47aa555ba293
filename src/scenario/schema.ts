import type { JsonObject } from '../model/json.ts';
import {
  ABSOLUTE_PATH,
  CHOICES,
  CONTAINER_NAME,
  FIELDS,
  ID_PATTERN,
  RANGES,
  REGISTRY_PATH,
  REQUIRED,
} from './format.ts';

/**
 * The lesson format as a JSON Schema (draft-07, which editors' YAML language servers read), made
 * from the definitions the reader checks files against (format.ts). Written to
 * scenarios/lesson.schema.json; every lesson file names it in its first line
 * (`# yaml-language-server: $schema=./lesson.schema.json`), so an editor completes the fields and
 * flags mistakes as they are typed. What a schema cannot say (a docker line the CLI accepts, the
 * id matching the file's name, a step index within the lesson) only the reader checks.
 */
type Part = keyof typeof FIELDS;

const text: JsonObject = { type: 'string', minLength: 1 };
const integer = ([minimum, maximum]: readonly [number, number]): JsonObject => ({
  type: 'integer',
  minimum,
  maximum,
});
const oneOf = (values: readonly (string | number)[]): JsonObject => ({ enum: [...values] });
const list = (items: JsonObject, minItems = 0): JsonObject => ({
  type: 'array',
  items,
  ...(minItems ? { minItems } : {}),
});
const ref = (name: string): JsonObject => ({ $ref: `#/definitions/${name}` });

/** A mapping of exactly the part's fields (FIELDS), with its required ones (REQUIRED). */
function object(part: Part, properties: Record<string, JsonObject>, description?: string): JsonObject {
  const fields: readonly string[] = FIELDS[part];
  const missing = fields.filter((f) => !(f in properties));
  if (missing.length > 0) throw new Error(`lesson schema: no definition for ${part}.${missing.join(', ')}`);
  const required: readonly string[] = part in REQUIRED ? REQUIRED[part as keyof typeof REQUIRED] : [];
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties: Object.fromEntries(fields.map((f) => [f, properties[f] ?? {}])),
    additionalProperties: false,
    ...(required.length ? { required: [...required] } : {}),
  };
}

/** Exactly one of the given kinds, each with its own fields. */
function exactlyOne(kinds: Record<string, JsonObject>): JsonObject {
  return {
    type: 'object',
    properties: kinds,
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
  };
}

const pattern = (re: RegExp): JsonObject => ({ type: 'string', pattern: re.source });

function definitions(): JsonObject {
  const anchor = object(
    'anchor',
    {
      call: text,
      from: oneOf(CHOICES.participant),
      to: oneOf(CHOICES.participant),
      step: integer(RANGES.step),
    },
    'A message of the run: the first one whose call starts with `call` (sent by `from`, to `to`, in step `step`).',
  );
  return {
    bilingual: object('bilingual', { en: text, 'zh-CN': text }),
    anchor,
    container: object('container', {
      name: pattern(CONTAINER_NAME),
      image: text,
      flags: text,
      command: text,
    }),
    world: object('world', {
      images: list(text),
      containers: list(ref('container')),
      daemon: object('daemon', { 'live-restore': { type: 'boolean' } }),
      files: {
        type: 'object',
        patternProperties: { [ABSOLUTE_PATH.source]: { type: 'string' } },
        additionalProperties: false,
      },
      cwd: pattern(ABSOLUTE_PATH),
    }),
    fault: faultSchema(),
    step: object('step', { run: text, intro: ref('bilingual') }),
    note: object('note', { at: ref('anchor'), en: text, 'zh-CN': text }),
    question: questionSchema(),
    goal: goalSchema(),
  };
}

function faultSchema(): JsonObject {
  return exactlyOne({
    registry: object('faultRegistry', {
      path: pattern(REGISTRY_PATH),
      status: oneOf(CHOICES.registryStatus),
      timeout: { type: 'boolean' },
      times: integer(RANGES.times),
    }),
    process: object('faultProcess', { image: text, ignore: list(oneOf(CHOICES.signal), 1) }),
    disk: object('faultDisk', { free: { type: 'string', pattern: '^[0-9]+[bkmgBKMG]?$' } }),
    port: object('faultPort', { port: integer(RANGES.port) }),
  });
}

function questionSchema(): JsonObject {
  return {
    ...object('question', {
      at: ref('anchor'),
      kind: oneOf(CHOICES.questionKind),
      ask: ref('bilingual'),
      choices: list(text),
      answer: text,
      explain: ref('bilingual'),
    }),
    // A choice question lists its choices and names its answer; the others take both from the run.
    if: { properties: { kind: { const: 'choice' } }, required: ['kind'] },
    then: { required: ['choices', 'answer'], properties: { choices: { minItems: 1 } } },
    else: { not: { required: ['answer'] } },
  };
}

function goalSchema(): JsonObject {
  return exactlyOne({
    container: object('goalContainer', {
      name: text,
      status: oneOf(CHOICES.containerStatus),
      exitCode: integer(RANGES.exitCode),
      present: { type: 'boolean' },
    }),
    image: object('goalImage', { ref: text, present: { type: 'boolean' } }),
    exit: object('goalExit', { step: integer(RANGES.step), code: integer(RANGES.exitCode) }),
    output: object('goalOutput', { step: integer(RANGES.step), contains: text }),
    fails: object(
      'goalFails',
      {
        call: text,
        from: oneOf(CHOICES.participant),
        to: oneOf(CHOICES.participant),
        status: {
          oneOf: [{ type: 'string', minLength: 1 }, integer(RANGES.httpStatus)],
          description: 'The status the failing reply gives: 404, 409, NotFound, …',
        },
      },
      'A request of the run that fails: the first whose call starts with `call` (from `from`, to `to`) and whose reply says it failed.',
    ),
  });
}

export function lessonSchema(): JsonObject {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://dockstep.invalid/scenarios/lesson.schema.json',
    title: 'dockstep lesson',
    description:
      'A lesson: a world, docker command lines to step through, notes and questions anchored on messages, and a goal (see scenarios/README.md).',
    // Steps may be none only in a challenge, where the learner types the commands.
    if: { not: { required: ['challenge'] } },
    then: { properties: { steps: { minItems: 1 } } },
    ...object('lesson', {
      id: { ...pattern(ID_PATTERN), description: "The file's name without .yaml." },
      level: integer(RANGES.level),
      title: ref('bilingual'),
      summary: ref('bilingual'),
      profile: oneOf(CHOICES.profile),
      platform: oneOf(CHOICES.platform),
      seed: integer(RANGES.seed),
      world: ref('world'),
      faults: list(ref('fault')),
      steps: list(ref('step')),
      challenge: { ...ref('bilingual'), description: 'A task for the learner, who types the commands.' },
      solution: {
        ...list(text, 1),
        description: "A challenge's answer: command lines a headless run types.",
      },
      notes: list(ref('note')),
      questions: list(ref('question')),
      hints: list(ref('bilingual')),
      goal: list(ref('goal'), 1),
    }),
    definitions: definitions(),
  };
}
