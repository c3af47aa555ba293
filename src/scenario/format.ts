import { IGNORABLE_SIGNALS, REGISTRY_FAULT_STATUSES } from '../model/faults.ts';
import { PARTICIPANTS } from '../model/participants.ts';
import { PLATFORMS } from '../model/platform.ts';
import { PROFILES } from '../model/trace.ts';

/**
 * The lesson format's definitions, in one place: the fields each part of a lesson file may
 * have, which are required, their ranges, patterns and choices. The reader (parse.ts, faults.ts)
 * checks files against these, and the JSON Schema teachers' editors use (schema.ts, written to
 * scenarios/lesson.schema.json) is made from them, so the two cannot disagree on a field.
 */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const REGISTRY_PATH = /^\/v2\//;
export const ABSOLUTE_PATH = /^\//;

export const QUESTION_KINDS = ['next-receiver', 'next-sender', 'choice'] as const;
export const GOAL_KINDS = ['container', 'image', 'exit', 'output', 'fails'] as const;
export const FAULT_KINDS = ['registry', 'process', 'disk', 'port'] as const;
export const CONTAINER_STATUSES = ['created', 'running', 'paused', 'exited'] as const;

/** Inclusive ranges of the integer fields. */
export const RANGES = {
  level: [1, 5],
  seed: [0, 2 ** 31 - 1],
  step: [0, 999],
  exitCode: [0, 255],
  port: [1, 65535],
  times: [1, 1000],
  httpStatus: [100, 599],
} as const satisfies Record<string, readonly [number, number]>;

/** The fields of each part of a lesson file, as the reader accepts them. */
export const FIELDS = {
  lesson: [
    'id',
    'level',
    'title',
    'summary',
    'profile',
    'platform',
    'seed',
    'world',
    'faults',
    'steps',
    'challenge',
    'solution',
    'notes',
    'questions',
    'hints',
    'goal',
  ],
  world: ['images', 'containers', 'daemon', 'files', 'cwd'],
  daemon: ['live-restore'],
  container: ['name', 'image', 'flags', 'command'],
  step: ['run', 'intro'],
  anchor: ['call', 'from', 'to', 'step'],
  note: ['at', 'en', 'zh-CN'],
  question: ['at', 'kind', 'ask', 'choices', 'answer', 'explain'],
  bilingual: ['en', 'zh-CN'],
  goalContainer: ['name', 'status', 'exitCode', 'present'],
  goalImage: ['ref', 'present'],
  goalExit: ['step', 'code'],
  goalOutput: ['step', 'contains'],
  goalFails: ['call', 'from', 'to', 'status'],
  faultRegistry: ['path', 'status', 'timeout', 'times'],
  faultProcess: ['image', 'ignore'],
  faultDisk: ['free'],
  faultPort: ['port'],
} as const;

/** The fields a lesson file must have (the others have defaults). */
export const REQUIRED = {
  lesson: ['id', 'level', 'title', 'summary', 'steps', 'goal'],
  container: ['name', 'image'],
  step: ['run'],
  anchor: ['call'],
  note: ['at', 'en', 'zh-CN'],
  question: ['at', 'ask', 'explain'],
  bilingual: ['en', 'zh-CN'],
  goalContainer: ['name'],
  goalImage: ['ref'],
  goalExit: ['step', 'code'],
  goalOutput: ['step', 'contains'],
  goalFails: ['call'],
  faultRegistry: ['path'],
  faultProcess: ['image', 'ignore'],
  faultDisk: ['free'],
  faultPort: ['port'],
} as const;

/** Choices taken from the model, named here so the schema lists the same ones. */
export const CHOICES = {
  profile: PROFILES,
  platform: PLATFORMS,
  participant: PARTICIPANTS,
  questionKind: QUESTION_KINDS,
  containerStatus: CONTAINER_STATUSES,
  registryStatus: REGISTRY_FAULT_STATUSES,
  signal: IGNORABLE_SIGNALS,
} as const;
