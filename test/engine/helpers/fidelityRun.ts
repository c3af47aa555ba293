// Replaying a recorded capture (test/fixtures/real-engine/*.txt, dockerd 20.10.24 + CLI 28.2.2)
// against `dockstep engine` with the same docker CLI: each picked command line runs as the
// recording ran it (a shell line, `docker` on the PATH, curl's socket the engine's), while a
// `docker events --since … --format '{{json .}}'` follows the engine. As the recording's operator
// typed the next command once the last one's events were in, the next line waits (boundedly) for
// as many events as the recording has so far. Events are given to the command that had started
// last when the engine stamped them. Both sides are normalised as the simulation's fidelity tests
// do it (test/golden/fidelity-fixture.ts): ids and names into tokens, times into <time>.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DockerEvent } from '../../../src/model/trace.ts';
import {
  connectAfterTaskCreate,
  givenNames,
  loadFixture,
  Normaliser,
  onlyPicked,
  type Step,
} from '../../golden/fidelity-fixture.ts';
import { DOCKER, type RunningEngine } from './engine.ts';

const exec = promisify(execFile);

/** One command on one side, normalised. */
export interface Replayed {
  line: string;
  stdout: string;
  stderr: string;
  exitCode: number;
  /** `EV container die {exitCode=137, image=busybox, name=c1} [status=Action id=Actor.ID from=busybox]` */
  events: string[];
}

export interface ReplayOptions {
  /** The line as it runs on the engine, when it cannot run as recorded (an image id of its own). */
  rewrite?: (line: string) => string;
  /**
   * Keep every event, not only those of the containers the picked commands created (a case that
   * picks all of a recording made on a fresh daemon: a failed create's `destroy` counts too).
   */
  allEvents?: boolean;
  /**
   * The recording's `systemctl stop docker` and `systemctl start docker` lines (there: SIGTERM to
   * that dockerd's pid, and dockerd again with the same flags once it had exited): the engine
   * stopped, and started again on the same root. Without it those lines run as written.
   */
  daemon?: { stop(): Promise<void>; start(): Promise<unknown> };
  /**
   * The recording lacks containerd's events of some steps (o-restart-policies: its `ctr events`
   * came back only after the restarted dockerd's boot): the `network connect` lines stay where
   * 20.10 logged them, before `start`, which is where Engine 29 logs them too for a task it made
   * (they are otherwise moved after the /tasks/create topic, and dropped without one).
   */
  topicsLost?: boolean;
  /**
   * The events are compared as one sequence (a container's own exit racing the next command):
   * the next command then also waits for the events the recording logged before that command's
   * own, those of containers the command does not name (the racing exit's `die`, `disconnect`).
   */
  flat?: boolean;
}

/** `systemctl stop docker` or `systemctl start docker` (with the recording's comment after it). */
function daemonLine(line: string): 'stop' | 'start' | undefined {
  const verb = /^systemctl (stop|start) docker\b/.exec(line)?.[1];
  return verb === 'stop' || verb === 'start' ? verb : undefined;
}

/** A directory holding `docker` (the CLI the suites use), first on the shell lines' PATH. */
function cliDir(base: string): string {
  const dir = join(base, 'cli');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'docker'))) symlinkSync(DOCKER, join(dir, 'docker'));
  return dir;
}

/** The time the engine stamps its events with (Date.now, in ns). */
const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

/** `docker events --since` following the engine: its events as they come. */
function followEvents(since: bigint, env: NodeJS.ProcessEnv): { events: DockerEvent[]; stop(): void } {
  const from = `${since / 1_000_000_000n}.${String(since % 1_000_000_000n).padStart(9, '0')}`;
  const child = spawn(DOCKER, ['events', '--since', from, '--format', '{{json .}}'], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const events: DockerEvent[] = [];
  let rest = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) if (line !== '') events.push(JSON.parse(line) as DockerEvent);
  });
  return {
    events,
    stop: () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    },
  };
}

async function shell(
  line: string,
  env: NodeJS.ProcessEnv,
): Promise<Omit<Step, 'line' | 'events' | 'topics' | 'merged'>> {
  try {
    const { stdout, stderr } = await exec('/bin/sh', ['-c', line], { env, timeout: 120_000 });
    return { stdout, stderr, exitCode: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return {
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
      exitCode: typeof e.code === 'number' ? e.code : -1,
    };
  }
}

/** The daemon line done as the recording did it: the engine stopped, or started again on its root. */
async function daemonStep(
  what: 'stop' | 'start',
  daemon: NonNullable<ReplayOptions['daemon']>,
): Promise<Omit<Step, 'line' | 'events' | 'topics' | 'merged'>> {
  await (what === 'stop' ? daemon.stop() : daemon.start());
  return { stdout: '', stderr: '', exitCode: 0 };
}

async function waitFor(ready: () => boolean, checks: number): Promise<void> {
  for (let i = 0; i < checks && !ready(); i++) await new Promise((r) => setTimeout(r, 50));
}

/**
 * Runs `lines` on the engine; after line i, waits (at most about 10 s) until the engine has
 * published `counts[i]` events in all (the recording's count so far).
 */
export async function replayOnEngine(
  engine: RunningEngine,
  lines: string[],
  counts: number[],
  options: ReplayOptions = {},
): Promise<Step[]> {
  const env = {
    ...process.env,
    DOCKER_HOST: engine.host,
    DOCKER_CONFIG: join(engine.dir, 'docker-config'),
    PATH: `${cliDir(engine.dir)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
  };
  // The events of each engine: a stopped engine's stream ends with it; the next one is followed
  // `--since` its start, as the recording read the restarted dockerd's (its boot's events too).
  const followers = [followEvents(nowNs(), env)];
  const seen = () => followers.reduce((n, f) => n + f.events.length, 0);
  const steps: { ns: bigint; step: Step }[] = [];
  try {
    for (const [i, line] of lines.entries()) {
      const ran = (options.rewrite ?? ((l: string) => l))(line).replaceAll(
        '/var/run/docker.sock',
        engine.socket,
      );
      const ns = nowNs();
      const what = options.daemon === undefined ? undefined : daemonLine(line);
      const done =
        what === undefined || options.daemon === undefined
          ? await shell(ran, env)
          : await daemonStep(what, options.daemon);
      steps.push({ ns, step: { line, ...done, events: [], topics: [], merged: [] } });
      if (what === 'start') followers.push(followEvents(ns, env));
      await waitFor(() => seen() >= (counts[i] ?? 0), 200);
    }
    // Anything more the engine had to say comes now (a test then shows it as an extra event).
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    followers.forEach((f) => f.stop());
  }
  for (const event of followers.flatMap((f) => f.events)) {
    const owner = steps.filter((s) => s.ns <= BigInt(event.timeNano)).at(-1)?.step;
    owner?.events.push(event);
    owner?.merged.push({ kind: 'ev', event });
  }
  return steps.map((s) => s.step);
}

/**
 * One side, normalised: outputs, exit code and docker events. `order` puts the recorded docker
 * events and containerd topics in the engine's order (Engine 29's, where it differs by design).
 */
export function normalise(steps: Step[], names: Set<string>, order = (l: string[]) => l): Replayed[] {
  const n = new Normaliser(names);
  n.learn(steps);
  // A container that never logged `create` (a create that failed after making it: its `destroy`)
  // has a generated name of its own: only that it had one is compared.
  const created = new Set(
    steps
      .flatMap((s) => s.events)
      .filter((e) => e.Action === 'create')
      .map((e) => e.Actor.ID),
  );
  const unnamed = (e: DockerEvent): DockerEvent =>
    e.Type !== 'container' || created.has(e.Actor.ID)
      ? e
      : { ...e, Actor: { ...e.Actor, Attributes: { ...e.Actor.Attributes, name: '<generated>' } } };
  steps = steps.map((s) => ({
    ...s,
    merged: s.merged.map((m) => (m.kind === 'ev' ? { kind: 'ev', event: unnamed(m.event) } : m)),
  }));
  return steps.map((s) => ({
    line: s.line,
    stdout: n.text(s.stdout),
    stderr: n.text(s.stderr),
    exitCode: s.exitCode,
    events: order(n.merged(s)).filter((l) => l.startsWith('EV ')),
  }));
}

/**
 * How many of step `i`'s first events are of containers its line does not name while naming one
 * of the others (`names`): work of earlier commands that was still going when the line was typed.
 * None for a line that names no container.
 */
function leadingOthers(steps: Replayed[], names: Set<string>, i: number): number {
  const step = steps[i];
  if (step === undefined) return 0;
  const named = (text: string) =>
    [...names].filter((n) => new RegExp(`\\b${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
  const own = new Set(named(step.line));
  // A line that names no container (a prune) may well be the cause of every event it has.
  if (own.size === 0) return 0;
  const first = step.events.findIndex((e) => {
    const them = named(e);
    return them.length === 0 || them.some((n) => own.has(n));
  });
  return first === -1 ? step.events.length : first;
}

/** Both sides of a case, normalised the same way. */
export async function replayCase(
  engine: RunningEngine,
  fixture: string,
  pick: (line: string, index: number) => boolean,
  options: ReplayOptions = {},
): Promise<{ real: Replayed[]; ours: Replayed[]; networkIds: string[] }> {
  const only = (steps: Step[]) => (options.allEvents ? steps : onlyPicked(steps));
  const recorded = only(loadFixture(fixture, pick));
  const lines = recorded.map((s) => s.line);
  const names = givenNames(lines);
  // Engine 29 (the engine's profile) connects after Tasks.Create: a task never made, no connect.
  const real = normalise(recorded, names, options.topicsLost === true ? undefined : connectAfterTaskCreate);
  let total = 0;
  const counts = real.map(
    (s, i) => (total += s.events.length) + (options.flat ? leadingOthers(real, names, i + 1) : 0),
  );
  const raw = await replayOnEngine(engine, lines, counts, options);
  const ours = normalise(only(raw), names);
  // The network events' actor (not in the normalised lines): the bridge network's id.
  const networkIds = raw
    .flatMap((s) => s.events)
    .filter((e) => e.Type === 'network')
    .map((e) => e.Actor.ID);
  return { real, ours, networkIds };
}
