import { parseDockerLine } from '../cli/index.ts';
import { checkLine, routeLine } from '../cli/lines.ts';
import { isParticipant, PARTICIPANTS } from '../model/participants.ts';
import { PLATFORMS } from '../model/platform.ts';
import { PROFILES } from '../model/trace.ts';
import { Checker, describe, join } from './checker.ts';
import type {
  Anchor,
  FailsGoal,
  Goal,
  Note,
  Question,
  Scenario,
  Step,
  World,
  WorldContainer,
} from './types.ts';
import { readYaml, type ScenarioError, type YamlSource } from './yamlSource.ts';
import { fault } from './faults.ts';
import {
  ABSOLUTE_PATH,
  CONTAINER_NAME,
  CONTAINER_STATUSES,
  FIELDS,
  GOAL_KINDS,
  ID_PATTERN,
  QUESTION_KINDS,
  RANGES,
} from './format.ts';

/** Every mistake found in one scenario file, each naming its line and field. */
export class ScenarioFileError extends Error {
  constructor(readonly errors: readonly ScenarioError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ScenarioFileError';
  }
}

/**
 * Read a scenario file (YAML text). The id must be the file's name without `.yaml`; every docker
 * line must be one the docker CLI accepts. Throws a ScenarioFileError listing every mistake.
 */
export function parseScenario(file: string, text: string): Scenario & { source: YamlSource } {
  let source: YamlSource;
  try {
    source = readYaml(file, text);
  } catch (e) {
    throw new ScenarioFileError([e as ScenarioError]);
  }
  const c = new Checker(source);
  c.object('', FIELDS.lesson);
  const id = c.string('id', { pattern: ID_PATTERN, hint: 'lowercase letters, digits and dashes' });
  const base = file
    .split('/')
    .pop()
    ?.replace(/\.ya?ml$/, '');
  if (id && base && id !== base) c.fail('id', `expected '${base}', the file's name`);
  const challenge = c.get('challenge') === undefined ? undefined : c.bilingual('challenge');
  const scenario = {
    id: id ?? '',
    file,
    level: c.integer('level', ...RANGES.level) ?? 1,
    title: c.bilingual('title'),
    summary: c.bilingual('summary'),
    profile: c.oneOf('profile', PROFILES, 'v29') ?? 'v29',
    platform: c.oneOf('platform', PLATFORMS, 'linux') ?? 'linux',
    seed: c.integer('seed', ...RANGES.seed, 1) ?? 1,
    world: world(c),
    faults: c.list('faults', { optional: true }).flatMap((_, i) => fault(c, join('faults', i)) ?? []),
    // A challenge may have no steps of its own: the learner types them.
    steps: c.list('steps', { nonEmpty: !challenge }).map((_, i) => step(c, join('steps', i))),
    ...(challenge ? { challenge } : {}),
    ...(c.get('solution') === undefined
      ? {}
      : {
          solution: c
            .list('solution', { nonEmpty: true })
            .map((_, i) => commandLine(c, join('solution', i)) ?? ''),
        }),
    notes: c.list('notes', { optional: true }).map((_, i) => note(c, join('notes', i))),
    questions: c.list('questions', { optional: true }).map((_, i) => question(c, join('questions', i))),
    hints: c.list('hints', { optional: true }).map((_, i) => c.bilingual(join('hints', i))),
    goal: c.list('goal', { nonEmpty: true }).map((_, i) => goal(c, join('goal', i))),
    source,
  };
  checkStepIndices(c, scenario.steps.length);
  if (c.errors.length > 0) throw new ScenarioFileError(c.errors);
  return scenario as Scenario & { source: YamlSource };
}

/** Notes, questions and goals that name a step must name one the lesson has. */
function checkStepIndices(c: Checker, steps: number): void {
  const paths = [
    ...c.list('notes', { optional: true }).map((_, i) => `notes[${i}].at.step`),
    ...c.list('questions', { optional: true }).map((_, i) => `questions[${i}].at.step`),
    ...c
      .list('goal', { optional: true })
      .flatMap((_, i) => [`goal[${i}].exit.step`, `goal[${i}].output.step`]),
  ];
  for (const path of paths) {
    const n = c.get(path);
    if (typeof n === 'number' && n >= steps)
      c.fail(path, `expected a step from 0 to ${steps - 1} (steps count from 0), got ${n}`);
  }
}

/** A step's line: a docker command, a kubectl command or a host action (cli/lines.ts). */
function commandLine(c: Checker, path: string): string | undefined {
  const line = c.string(path, { hint: 'a command line (docker, kubectl or a host action)' });
  if (line === undefined) return undefined;
  const error = checkLine(line);
  if (error)
    return c.fail(
      path,
      `'${line}' is not a command ${whoRuns(line)} accepts: ${error.stderr.trim().split('\n')[0] ?? ''}`,
    );
  return line;
}

function whoRuns(line: string): string {
  const { to, program } = routeLine(line);
  return to === 'CLI' ? 'docker' : to === 'kubelet' ? 'kubectl' : `the host (${program})`;
}

/** `world.files`: a mapping of absolute paths to the files' text. */
function files(c: Checker): Record<string, string> {
  if (c.get('world.files') === undefined) return {};
  const given = c.get('world.files');
  if (given === null || typeof given !== 'object' || Array.isArray(given))
    return c.expected('world.files', "a mapping of absolute paths to the files' text") ?? {};
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(given)) {
    const p = join('world.files', path);
    if (!path.startsWith('/')) c.fail(p, `expected an absolute path (starting with /), got '${path}'`, true);
    else if (typeof text !== 'string') c.fail(p, `expected the file's text, got ${describe(text)}`);
    else out[path] = text;
  }
  return out;
}

function world(c: Checker): World {
  if (c.get('world') === undefined)
    return { images: [], containers: [], daemon: { liveRestore: false }, files: {} };
  c.object('world', FIELDS.world);
  const daemon =
    c.get('world.daemon') === undefined
      ? { liveRestore: false }
      : (c.object('world.daemon', FIELDS.daemon),
        { liveRestore: c.boolean('world.daemon.live-restore', false) });
  const images = c
    .list('world.images', { optional: true })
    .map((_, i) => c.string(join('world.images', i), { hint: 'an image reference' }) ?? '');
  const containers = c.list('world.containers', { optional: true }).map((_, i): WorldContainer => {
    const p = join('world.containers', i);
    c.object(p, FIELDS.container);
    const w = {
      name: c.string(join(p, 'name'), { pattern: CONTAINER_NAME, hint: 'a container name' }) ?? '',
      image: c.string(join(p, 'image'), { hint: 'an image reference' }) ?? '',
      flags: c.string(join(p, 'flags'), { optional: true }) ?? '',
      command: c.string(join(p, 'command'), { optional: true }) ?? '',
    };
    const line = setupLine(w);
    const parsed = parseDockerLine(line);
    if (!parsed.ok)
      c.fail(
        p,
        `'${line}' is not a command docker accepts: ${parsed.error.stderr.trim().split('\n')[0] ?? ''}`,
      );
    return w;
  });
  const cwd = c.string('world.cwd', {
    optional: true,
    pattern: ABSOLUTE_PATH,
    hint: 'an absolute path (starting with /)',
  });
  return { images, containers, daemon, files: files(c), ...(cwd === undefined ? {} : { cwd }) };
}

/** The `docker run` line that starts a world container. */
export function setupLine(w: WorldContainer): string {
  return ['docker run -d --name', w.name, w.flags, w.image, w.command].filter((s) => s !== '').join(' ');
}

function step(c: Checker, path: string): Step {
  c.object(path, FIELDS.step);
  const intro = c.get(join(path, 'intro')) === undefined ? undefined : c.bilingual(join(path, 'intro'));
  return { run: commandLine(c, join(path, 'run')) ?? '', ...(intro ? { intro } : {}) };
}

function anchor(c: Checker, path: string): Anchor {
  c.object(path, FIELDS.anchor);
  const who = (key: 'from' | 'to') =>
    c.get(join(path, key)) === undefined ? undefined : c.oneOf(join(path, key), PARTICIPANTS);
  const from = who('from');
  const to = who('to');
  const stepIndex =
    c.get(join(path, 'step')) === undefined ? undefined : c.integer(join(path, 'step'), ...RANGES.step);
  return {
    call: c.string(join(path, 'call'), { hint: "the start of a message's call" }) ?? '',
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(stepIndex === undefined ? {} : { step: stepIndex }),
  };
}

function note(c: Checker, path: string): Note {
  c.object(path, FIELDS.note);
  const text = c.bilingual(path, ['at']);
  return { at: anchor(c, join(path, 'at')), text: text ?? { en: '', 'zh-CN': '' } };
}

function question(c: Checker, path: string): Question {
  c.object(path, FIELDS.question);
  const kind = c.oneOf(join(path, 'kind'), QUESTION_KINDS, 'next-receiver') ?? 'next-receiver';
  const fromRun = kind !== 'choice';
  const choices = c
    .list(join(path, 'choices'), { optional: fromRun, nonEmpty: !fromRun })
    .map((_, i) => c.string(join(join(path, 'choices'), i)) ?? '');
  if (fromRun)
    choices.forEach((x, i) =>
      isParticipant(x)
        ? undefined
        : c.fail(
            join(join(path, 'choices'), i),
            `expected a participant (${PARTICIPANTS.join(', ')}), got '${x}'`,
          ),
    );
  const answer = kind === 'choice' ? c.string(join(path, 'answer')) : undefined;
  if (fromRun && c.get(join(path, 'answer')) !== undefined)
    c.fail(join(path, 'answer'), `a ${kind} question takes its answer from the run; remove this field`, true);
  if (answer !== undefined && !choices.includes(answer))
    c.fail(join(path, 'answer'), `expected one of the choices (${choices.join(', ')}), got '${answer}'`);
  return {
    at: anchor(c, join(path, 'at')),
    kind,
    ask: c.bilingual(join(path, 'ask')) ?? { en: '', 'zh-CN': '' },
    choices,
    ...(answer === undefined ? {} : { answer }),
    explain: c.bilingual(join(path, 'explain')) ?? { en: '', 'zh-CN': '' },
  };
}

const GOALS = GOAL_KINDS;

function goal(c: Checker, path: string): Goal {
  const g = c.object(path, GOALS);
  const kinds = Object.keys(g ?? {}).filter((k) => (GOALS as readonly string[]).includes(k));
  if (g && kinds.length !== 1) c.fail(path, `expected exactly one of ${GOALS.join(', ')}`);
  const p = join(path, kinds[0] ?? 'container');
  switch (kinds[0]) {
    case 'image':
      c.object(p, FIELDS.goalImage);
      return { image: { ref: c.string(join(p, 'ref')) ?? '', present: c.boolean(join(p, 'present'), true) } };
    case 'exit':
      c.object(p, FIELDS.goalExit);
      return {
        exit: {
          step: c.integer(join(p, 'step'), ...RANGES.step) ?? 0,
          code: c.integer(join(p, 'code'), ...RANGES.exitCode) ?? 0,
        },
      };
    case 'fails':
      return { fails: failsGoal(c, p) };
    case 'output':
      c.object(p, FIELDS.goalOutput);
      return {
        output: {
          step: c.integer(join(p, 'step'), ...RANGES.step) ?? 0,
          contains: c.string(join(p, 'contains')) ?? '',
        },
      };
    default: {
      c.object(p, FIELDS.goalContainer);
      const status =
        c.get(join(p, 'status')) === undefined ? undefined : c.oneOf(join(p, 'status'), CONTAINER_STATUSES);
      const exitCode =
        c.get(join(p, 'exitCode')) === undefined
          ? undefined
          : c.integer(join(p, 'exitCode'), ...RANGES.exitCode);
      return {
        container: {
          name: c.string(join(p, 'name')) ?? '',
          present: c.boolean(join(p, 'present'), true),
          ...(status ? { status } : {}),
          ...(exitCode === undefined ? {} : { exitCode }),
        },
      };
    }
  }
}

/** A request that fails (FailsGoal): its call, optionally its ends and the failing status. */
function failsGoal(c: Checker, path: string): FailsGoal {
  c.object(path, FIELDS.goalFails);
  const who = (key: 'from' | 'to') =>
    c.get(join(path, key)) === undefined ? undefined : c.oneOf(join(path, key), PARTICIPANTS);
  const [from, to] = [who('from'), who('to')];
  const raw = c.get(join(path, 'status'));
  // `status: 404` and `status: "404"` alike: a status is compared as the reply writes it.
  const status =
    raw === undefined
      ? undefined
      : typeof raw === 'number' &&
          Number.isInteger(raw) &&
          raw >= RANGES.httpStatus[0] &&
          raw <= RANGES.httpStatus[1]
        ? String(raw)
        : c.string(join(path, 'status'), { hint: 'a status such as 404 or NotFound' });
  return {
    call: c.string(join(path, 'call'), { hint: "the start of the failing request's call" }) ?? '',
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(status === undefined ? {} : { status }),
  };
}
