import type { Message } from '../model/message.ts';
import { tryParseReference } from '../model/image.ts';
import type { Trace } from '../model/trace.ts';
import { daemonOf, imagesOf, statusOf } from '../sim/hostSnapshot.ts';
import type { World as SimWorld } from '../sim/world.ts';
import { messagesOf } from '../views/trace.ts';
import { Simulation } from '../sim/simulation.ts';
import { join } from './checker.ts';
import { ScenarioFileError, setupLine } from './parse.ts';
import type { Anchor, FailsGoal, Goal, Question, Scenario } from './types.ts';
import { positionOf, ScenarioError, type YamlSource } from './yamlSource.ts';

/** What a lesson's run produced: the trace, where its notes and questions fall, and its goal. */
export interface ScenarioRun {
  trace: Trace;
  messages: Message[];
  /** For notes[i] and questions[i]: the seq of the message each is tied to. */
  noteAt: number[];
  questionAt: number[];
  goals: GoalResult[];
  reached: boolean;
}

export interface GoalResult {
  goal: Goal;
  ok: boolean;
  /** What the run shows, in words, when the goal is not met. */
  actual: string;
  /** A challenge's goal not met: how the requests it names were answered (none: no such request). */
  answered?: string[];
}

/** The setup lines that build a scenario's world (see SimulationOptions.setup). */
export function setupLines(s: Scenario): string[] {
  return [...s.world.images.map((ref) => `docker pull ${ref}`), ...s.world.containers.map(setupLine)];
}

export function simulationOf(s: Scenario): Simulation {
  const host = { files: s.world.files, ...(s.world.cwd === undefined ? {} : { cwd: s.world.cwd }) };
  return new Simulation([...s.steps.map((x) => x.run), ...(s.solution ?? [])], {
    seed: s.seed,
    profile: s.profile,
    platform: s.platform,
    setup: setupLines(s),
    faults: s.faults,
    daemon: s.world.daemon,
    ...host,
  });
}

/**
 * Run a scenario to its end and check it. An anchor that matches no message of the run is an
 * error in the file (it names the field and line), as the file cannot say what the run does.
 */
export function runScenario(s: Scenario & { source?: YamlSource }): ScenarioRun {
  const sim = simulationOf(s);
  const trace = sim.runToEnd();
  const messages = messagesOf(trace);
  const errors: ScenarioError[] = [];
  const place = (a: Anchor, path: string): number => {
    const found = find(messages, a);
    if (found === undefined) {
      const at = s.source ? positionOf(s.source, path) : { line: 1, col: 1 };
      errors.push(
        new ScenarioError(
          s.file,
          at,
          path,
          `no message of the run has a call starting with '${a.call}'${a.from ? ` from ${a.from}` : ''}${a.to ? ` to ${a.to}` : ''}${a.step === undefined ? '' : ` in step ${a.step}`}`,
        ),
      );
    }
    return found ?? 0;
  };
  const noteAt = s.notes.map((n, i) => place(n.at, join(join('notes', i), 'at')));
  const questionAt = s.questions.map((q, i) => place(q.at, join(join('questions', i), 'at')));
  s.questions.forEach((q, i) => {
    const answer = answerOf(q, messages[(questionAt[i] ?? 0) - 1]);
    const path = join(join('questions', i), 'choices');
    if (q.kind !== 'choice' && answer && q.choices.length > 0 && !q.choices.includes(answer)) {
      const who = q.kind === 'next-sender' ? 'sender' : 'receiver';
      errors.push(
        new ScenarioError(
          s.file,
          s.source ? positionOf(s.source, path) : { line: 1, col: 1 },
          path,
          `the message's ${who} is ${answer}, which is not among the choices`,
        ),
      );
    }
  });
  if (errors.length > 0) throw new ScenarioFileError(errors);
  const goals = s.goal.map((g) =>
    'fails' in g ? checkFails(g.fails, messages) : check(g, sim.world, trace),
  );
  return { trace, messages, noteAt, questionAt, goals, reached: goals.every((g) => g.ok) };
}

/** The right answer to a question: written in the file, or the message's own sender or receiver. */
export function answerOf(q: Question, m: Message | undefined): string | undefined {
  if (q.kind === 'choice') return q.answer;
  if (!m) return undefined;
  return q.kind === 'next-sender' ? m.from : m.kind === 'self' ? m.from : m.to;
}

function find(messages: readonly Message[], a: Anchor): number | undefined {
  return messages.find(
    (m) =>
      (a.step === undefined || m.command === a.step) &&
      m.call.startsWith(a.call) &&
      (!a.from || m.from === a.from) &&
      (!a.to || m.to === a.to),
  )?.seq;
}

/**
 * A challenge's goal: some request of the run matching the goal failed, as its reply says (not
 * ok, with the status asked for). Otherwise, what is still missing: the matching requests and
 * how they were answered, or the replies that did fail.
 */
export function checkFails(want: FailsGoal, messages: readonly Message[]): GoalResult {
  const goal = { fails: want };
  const requests = messages.filter(
    (m) =>
      m.kind === 'request' &&
      m.call.startsWith(want.call) &&
      (!want.from || m.from === want.from) &&
      (!want.to || m.to === want.to),
  );
  const replies = requests.flatMap(
    (r) => messages.find((m) => m.kind === 'reply' && m.inReplyTo === r.id) ?? [],
  );
  const failed = (m: Message) => !m.ok && (want.status === undefined || m.status === want.status);
  if (replies.some(failed)) return { goal, ok: true, actual: '' };
  const answered = replies.map((m) => m.call);
  if (replies.length > 0)
    return { goal, ok: false, answered, actual: `${want.call}… was answered ${answered.join(', ')}` };
  const fails = messages.filter((m) => m.kind === 'reply' && !m.ok).map((m) => `${m.seq}: ${m.call}`);
  return {
    goal,
    ok: false,
    answered,
    actual: `no request ${want.call}… in the run${fails.length ? `; failed replies: ${fails.slice(0, 4).join(', ')}` : ''}`,
  };
}

function check(goal: Exclude<Goal, { fails: FailsGoal }>, world: SimWorld, trace: Trace): GoalResult {
  const daemon = daemonOf(world);
  if ('container' in goal) {
    const want = goal.container;
    const record = [...daemon.containers.values()].find(
      (c) => c.name === want.name && statusOf(c) !== 'removed',
    );
    if (!record) return { goal, ok: want.present === false, actual: `no container named ${want.name}` };
    const status = statusOf(record);
    const ok =
      want.present !== false &&
      (want.status === undefined || want.status === status) &&
      (want.exitCode === undefined || want.exitCode === record.exitCode);
    return { goal, ok, actual: `${want.name} is ${status}, exit code ${record.exitCode}` };
  }
  if ('image' in goal) {
    const ref = tryParseReference(goal.image.ref)?.string ?? goal.image.ref;
    const present = imagesOf(world, daemon).some((i) => i.name === ref);
    return {
      goal,
      ok: present === goal.image.present,
      actual: present ? `${ref} is present` : `${ref} is not present`,
    };
  }
  if ('exit' in goal) {
    const code = trace.entries.find((e) => e.type === 'exit' && e.command === goal.exit.step);
    const got = code?.type === 'exit' ? code.code : undefined;
    return {
      goal,
      ok: got === goal.exit.code,
      actual:
        got === undefined
          ? `step ${goal.exit.step} did not finish`
          : `step ${goal.exit.step} exited with ${got}`,
    };
  }
  const out = trace.entries
    .filter((e) => e.type === 'output' && e.command === goal.output.step)
    .map((e) => (e.type === 'output' ? e.text : ''))
    .join('');
  return {
    goal,
    ok: out.includes(goal.output.contains),
    actual: `step ${goal.output.step} printed ${JSON.stringify(out.slice(0, 200))}`,
  };
}
