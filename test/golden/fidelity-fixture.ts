/**
 * Reading the real-engine captures (test/fixtures/real-engine/*.txt) and replaying their commands
 * in the simulation, so each fidelity test compares the simulation with what dockerd 20.10.24 +
 * containerd 1.6.20 + runc 1.1.5 + docker CLI 28.2.2 really printed and published.
 *
 * A capture holds, per command, its start time, stdout, stderr and exit code, then every
 * `docker events` JSON line and every `ctr events` line of the session. Events are given to the
 * command that had started last when they were published, so a test can replay a subset of the
 * commands. Both sides are normalised the same way: container ids become names (auto-generated
 * names become auto1, auto2… in creation order), exec ids exec1…, other hex ids H1… in order of
 * first appearance, so only the shape and order are compared, not random ids.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '../../src/model/json.ts';
import type { ContainerdEvent, DockerEvent, Trace } from '../../src/model/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'real-engine');

export interface Command {
  line: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** One command with what it caused: docker events and containerd events, in their own order. */
export interface Step extends Command {
  events: DockerEvent[];
  topics: ContainerdEvent[];
  /** Both kinds together, in time order (tag 'ev' or 'ct'). */
  merged: ({ kind: 'ev'; event: DockerEvent } | { kind: 'ct'; event: ContainerdEvent })[];
}

interface Timed<T> {
  ns: bigint;
  value: T;
}

const section = (text: string, title: string): string[] => {
  const start = text.indexOf(`################ ${title}`);
  if (start < 0) return [];
  const body = text.slice(text.indexOf('\n', start) + 1);
  const end = body.indexOf('\n################ ');
  return (end < 0 ? body : body.slice(0, end)).split('\n');
};

function parseCommands(lines: string[]): Timed<Command>[] {
  const out: Timed<Command>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.startsWith('$ ')) continue;
    const started = /\((\d+)\.(\d+)\)/.exec(lines[i + 1] ?? '');
    const take = (from: number, stop: string): [string, number] => {
      const got: string[] = [];
      let j = from;
      while (j < lines.length && !(lines[j] ?? '').startsWith(stop)) got.push(lines[j++] ?? '');
      return [got.length ? `${got.join('\n')}\n` : '', j];
    };
    const [stdout, afterOut] = take(i + 3, '--- stderr:');
    const [stderr, afterErr] = take(afterOut + 1, '--- exit code:');
    const exitCode = Number((lines[afterErr] ?? '').replace('--- exit code: ', ''));
    const ns = started
      ? BigInt(started[1] ?? '0') * 1_000_000_000n + BigInt((started[2] ?? '').padEnd(9, '0'))
      : 0n;
    out.push({ ns, value: { line: line.slice(2), stdout, stderr, exitCode } });
    i = afterErr;
  }
  return out;
}

function parseEvents(lines: string[]): Timed<DockerEvent>[] {
  return lines
    .filter((l) => l.startsWith('{'))
    .map((l) => ({
      ns: BigInt(/"timeNano":(\d+)/.exec(l)?.[1] ?? '0'),
      value: JSON.parse(l) as DockerEvent,
    }));
}

function parseTopics(lines: string[]): Timed<ContainerdEvent>[] {
  return lines.flatMap((l) => {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.?(\d*) \+0000 UTC (\S+) (\S+) (.*)$/.exec(l);
    if (!m) return [];
    const sec = BigInt(Date.parse(`${m[1]}T${m[2]}Z`) / 1000);
    const ns = sec * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'));
    const value: ContainerdEvent = {
      timestamp: 0,
      namespace: m[4] ?? '',
      topic: m[5] ?? '',
      event: JSON.parse(m[6] ?? '{}') as JsonObject,
    };
    return [{ ns, value }];
  });
}

/**
 * A capture's commands, each with the events published while it was the latest command; then
 * only the commands `pick` keeps (events of the others are left out with them).
 */
export function loadFixture(
  file: string,
  pick: (line: string, index: number) => boolean = () => true,
): Step[] {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  const commands = parseCommands(section(text, 'COMMANDS'));
  const events = parseEvents(section(text, 'DOCKER EVENTS (docker events'));
  const topics = parseTopics(section(text, 'CONTAINERD EVENTS'));
  const steps: Step[] = commands.map((c) => ({ ...c.value, events: [], topics: [], merged: [] }));
  const owner = (ns: bigint): Step | undefined => {
    let found: Step | undefined;
    commands.forEach((c, i) => {
      if (c.ns <= ns) found = steps[i];
    });
    return found;
  };
  const all = [
    ...events.map((e) => ({ ns: e.ns, kind: 'ev' as const, event: e.value })),
    ...topics.map((t) => ({ ns: t.ns, kind: 'ct' as const, event: t.value })),
  ].sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  for (const item of all) {
    const step = owner(item.ns);
    if (!step) continue;
    if (item.kind === 'ev') {
      step.events.push(item.event);
      step.merged.push({ kind: 'ev', event: item.event });
    } else {
      step.topics.push(item.event);
      step.merged.push({ kind: 'ct', event: item.event });
    }
  }
  return steps.filter((step, i) => pick(step.line, i));
}

/** Run command lines in the simulation (profile classic, the 20.10 engine's) and cut the trace per command. */
export interface SimOptions {
  setup?: string[];
  profile?: 'classic' | 'v29';
  /** Pause between commands; the captures typed the next command 0.1–0.2 s after the last answer. */
  thinkMs?: number;
  /** The host's files and the shell's working directory, as the capture had them (`docker cp`). */
  files?: Readonly<Record<string, string>>;
  cwd?: string;
}

export function simulate(lines: string[], options: SimOptions = {}): Step[] {
  const setup = options.setup ?? ['docker pull busybox'];
  const trace: Trace = new Simulation([...setup, ...lines], {
    seed: 1,
    profile: options.profile ?? 'classic',
    thinkMs: options.thinkMs ?? 100,
    ...(options.files ? { files: options.files } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  }).runToEnd();
  const steps: Step[] = [];
  let current: Step | undefined;
  for (const e of trace.entries) {
    if (e.type === 'command') {
      current =
        e.command >= setup.length
          ? { line: e.line, stdout: '', stderr: '', exitCode: 0, events: [], topics: [], merged: [] }
          : undefined;
      if (current) steps.push(current);
    }
    if (!current) continue;
    if (e.type === 'output') current[e.stream] += e.text;
    if (e.type === 'exit' && e.command >= setup.length) current.exitCode = e.code;
    if (e.type === 'docker-event') {
      current.events.push(e.event);
      current.merged.push({ kind: 'ev', event: e.event });
    }
    if (e.type === 'containerd-event') {
      current.topics.push(e.event);
      current.merged.push({ kind: 'ct', event: e.event });
    }
  }
  return steps;
}

/**
 * Turns ids into stable tokens. Container ids are named after their container (auto-generated
 * names become auto1…); exec ids exec1…; any other 64-hex id H1… by first appearance; a
 * 12-character prefix becomes the token of the id it starts.
 */
export class Normaliser {
  private names = new Map<string, string>();
  private execs = new Map<string, string>();
  private hexes: string[] = [];
  private autos = new Map<string, string>();

  constructor(private readonly given: Set<string>) {}

  /** Learn container ids and names from `container create` events. */
  learn(steps: Step[]): void {
    for (const e of steps.flatMap((s) => s.events)) {
      if (e.Type !== 'container' || e.Action !== 'create') continue;
      const name = e.Actor.Attributes.name ?? '';
      this.names.set(e.Actor.ID, this.given.has(name) ? name : this.auto(name));
    }
  }

  private auto(name: string): string {
    if (!this.autos.has(name)) this.autos.set(name, `auto${this.autos.size + 1}`);
    return this.autos.get(name) ?? name;
  }

  private exec(id: string): string {
    if (!this.execs.has(id)) this.execs.set(id, `exec${this.execs.size + 1}`);
    return this.execs.get(id) ?? id;
  }

  private hex(id: string): string {
    const named = this.names.get(id);
    if (named !== undefined) return named;
    if (this.execs.has(id)) return this.exec(id);
    if (!this.hexes.includes(id)) this.hexes.push(id);
    return `H${this.hexes.indexOf(id) + 1}`;
  }

  text(s: string): string {
    let out = s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z/g, '<time>');
    out = out.replace(/[0-9a-f]{64}/g, (id) => `<${this.hex(id)}>`);
    out = out.replace(/\b[0-9a-f]{12}\b/g, (prefix) => {
      const full = [...this.names.keys(), ...this.hexes].find((id) => id.startsWith(prefix));
      return full === undefined ? '<short?>' : `<${this.hex(full)}>`;
    });
    for (const [name, token] of this.autos) out = out.replaceAll(name, token);
    return out;
  }

  /** `container die {exitCode=137, name=c4}`: what a docker event says, without ids or times. */
  event(e: DockerEvent): string {
    const a = e.Actor.Attributes;
    const attrs = Object.keys(a)
      .sort()
      .map((k) => {
        const v = a[k] ?? '';
        if (k === 'execID') return `${k}=${this.exec(v)}`;
        if (k === 'container') return `${k}=${this.hex(v)}`;
        if (k === 'name' && e.Type === 'container') return `${k}=${this.names.get(e.Actor.ID) ?? v}`;
        return `${k}=${this.text(v)}`;
      });
    const legacy =
      e.Type === 'network'
        ? ''
        : ` [status=${e.status === e.Action ? 'Action' : String(e.status)} id=${e.id === e.Actor.ID ? 'Actor.ID' : String(e.id)}${e.from === undefined ? '' : ` from=${e.from}`}]`;
    return `${e.Type} ${e.Action} {${attrs.join(', ')}}${legacy}`;
  }

  /** `/tasks/exit c4 id=exec1 exit_status=137`: a containerd event's topic and the fields that matter. */
  topic(t: ContainerdEvent): string {
    const p = t.event;
    const container = String(p.container_id ?? p.id ?? '');
    const parts = [t.topic, this.hex(container)];
    if (t.topic === '/tasks/exit')
      parts.push(`id=${p.id === p.container_id ? 'init' : this.exec(String(p.id))}`);
    if (typeof p.exec_id === 'string') parts.push(`exec_id=${this.exec(p.exec_id)}`);
    if (p.exit_status !== undefined) parts.push(`exit_status=${String(p.exit_status)}`);
    return parts.join(' ');
  }

  merged(step: Step): string[] {
    return step.merged.map((m) =>
      m.kind === 'ev' ? `EV ${this.event(m.event)}` : `CT ${this.topic(m.event)}`,
    );
  }
}

/** The names a test gave with --name (or as the container argument): kept as they are. */
export function givenNames(lines: string[]): Set<string> {
  const names = new Set<string>();
  for (const l of lines) for (const m of l.matchAll(/--name[ =](\S+)/g)) names.add(m[1] ?? '');
  return names;
}

export interface Comparison {
  line: string;
  stdout: string;
  stderr: string;
  exitCode: number;
  events: string[];
  topics: string[];
}

/** Both sides of a case, normalised: what the real engine did and what the simulation did. */
/**
 * Keep only what concerns the containers the picked commands created (and image events): a
 * command left out may have run between two picked ones, and its events must not count.
 */
export function onlyPicked(steps: Step[], globalEvents = false): Step[] {
  const ids = new Set(
    steps
      .flatMap((s) => s.events)
      .filter((e) => e.Type === 'container' && e.Action === 'create')
      .map((e) => e.Actor.ID),
  );
  const keepEvent = (e: DockerEvent) =>
    e.Type === 'image' ||
    (globalEvents &&
      (e.Type === 'volume' ||
        e.Actor.ID === '' ||
        (e.Type === 'network' && e.Actor.Attributes.container === undefined))) ||
    ids.has(e.Type === 'network' ? (e.Actor.Attributes.container ?? '') : e.Actor.ID);
  const keepTopic = (t: ContainerdEvent) => ids.has(String(t.event.container_id ?? t.event.id ?? ''));
  return steps.map((s) => ({
    ...s,
    events: s.events.filter(keepEvent),
    topics: s.topics.filter(keepTopic),
    merged: s.merged.filter((m) => (m.kind === 'ev' ? keepEvent(m.event) : keepTopic(m.event))),
  }));
}

export interface CaseOptions extends SimOptions {
  /**
   * Keep the events that name no container: networks' and volumes' own (create, destroy) and
   * prunes' (the case makes those objects itself).
   */
  globalEvents?: boolean;
  rewrite?: (line: string) => string;
  /** Indexes (in the picked list) whose stdout depends on time or on the image's history: not compared. */
  skipStdout?: number[];
  /** Indexes whose output (stdout and stderr) cannot match, e.g. `docker pull` standing in for `docker import`. */
  skipOutput?: number[];
  /** Indexes whose events are not compared (the same stand-ins). */
  skipEvents?: number[];
  /** Indexes whose events come from parallel requests (docker rm a b c): compared as sets. */
  unordered?: number[];
  /** Make a real stdout comparable (e.g. the \r the capture tool dropped). */
  realStdout?: (stdout: string, index: number) => string;
  /** Where the modelled engine's order of events differs from the recorded one, by design. */
  realMerged?: (lines: string[]) => string[];
  /** Where the modelled engine's exit code differs from the recorded one, by design. */
  realExitCode?: (code: number, index: number) => number;
  /** Make a real stderr comparable (e.g. a warning caused by how that daemon was started). */
  realStderr?: (stderr: string, index: number) => string;
  /** Leave out the simulation's network events (a capture made with `--bridge=none` has none). */
  noNetwork?: boolean;
  /** Leave out the simulation's containerd topics that match (profile v29's /snapshot/* events). */
  dropTopics?: RegExp;
  /**
   * Compare the events of all steps as one sequence: when a command returns before the daemon
   * has finished (the die of a container that exits at once), the rest lands in the next command.
   */
  flat?: boolean;
}

/** Blank what a case does not compare, so it cannot shift the numbering of the ids that follow. */
function withoutSkipped(steps: Step[], options: CaseOptions): Step[] {
  return steps.map((s, i) => {
    const out = options.skipOutput?.includes(i) ? { ...s, stdout: '', stderr: '' } : s;
    return options.skipEvents?.includes(i) ? { ...out, events: [], topics: [], merged: [] } : out;
  });
}

export function compare(
  fixture: string,
  pick: (line: string, index: number) => boolean,
  options: CaseOptions = {},
) {
  const real = withoutSkipped(onlyPicked(loadFixture(fixture, pick), options.globalEvents), options);
  const sim = withoutSkipped(
    simulate(
      real.map((s) => (options.rewrite ? options.rewrite(s.line) : s.line)),
      options,
    ),
    options,
  );
  const names = givenNames(real.map((s) => s.line));
  const view = (steps: Step[]): { steps: Comparison[]; merged: string[][] } => {
    const n = new Normaliser(names);
    n.learn(steps);
    const out = steps.map((s) => ({
      line: s.line,
      stdout: n.text(s.stdout),
      stderr: n.text(s.stderr),
      exitCode: s.exitCode,
      events: s.events.map((e) => n.event(e)),
      topics: s.topics.map((t) => n.topic(t)),
    }));
    return { steps: out, merged: steps.map((s) => n.merged(s)) };
  };
  return { real: view(real), sim: view(sim) };
}

/**
 * Orders that the real engine shows both ways, put in one canonical order on both sides. The
 * init's /tasks/exit of a process killed by SIGKILL, or of one that exits at once, races the
 * `kill` or `start` event dockerd logs when the containerd call returns: the exit is moved after
 * such an event that immediately follows it.
 */
export function canonicalRaces(lines: string[]): string[] {
  const out = [...lines];
  for (let i = 0; i + 1 < out.length; i++) {
    const exit = /^CT \/tasks\/exit (\S+) id=init/.exec(out[i] ?? '');
    const next = out[i + 1] ?? '';
    if (!exit) continue;
    const name = exit[1] ?? '';
    const racing =
      next.startsWith(`EV container start {`) ||
      next.startsWith('EV container restart {') ||
      (next.startsWith('EV container kill {') && next.includes('signal=9'));
    if (racing && new RegExp(`name=${name}[,}]`).test(next)) {
      out[i + 1] = out[i] ?? '';
      out[i] = next;
      i++;
    }
  }
  return out;
}

/**
 * Engine 26+ connects the network after Tasks.Create (moby docker-v29.0.0 daemon/start.go,
 * start_linux.go initializeCreatedTask: SetKey on the init's netns, then allocateNetwork, before
 * Tasks.Start); 20.10 connected it before the spec. So the recorded `network connect` moves after
 * the container's /tasks/create, and goes when the task was never created (a missing command):
 * Engine 29 never reaches the network then.
 */
export function connectAfterTaskCreate(lines: string[]): string[] {
  const waiting = new Map<string, string>();
  const out: string[] = [];
  for (const line of lines) {
    const connect = /^EV network connect \{container=([^,}]+)/.exec(line);
    if (connect) waiting.set(connect[1] ?? '', line);
    else out.push(line);
    const create = /^CT \/tasks\/create (\S+)$/.exec(line);
    const held = create ? waiting.get(create[1] ?? '') : undefined;
    if (create && held !== undefined) {
      out.push(held);
      waiting.delete(create[1] ?? '');
    }
  }
  return out;
}

/** Replay the picked commands and expect the same CLI results and the same events, step by step. */
export function expectSameAsRealEngine(
  fixture: string,
  pick: (line: string, index: number) => boolean,
  options: CaseOptions = {},
): { real: ReturnType<typeof compare>['real']; sim: ReturnType<typeof compare>['sim'] } {
  const { real, sim } = compare(fixture, pick, options);
  expect(sim.steps.map((s) => s.line)).toEqual(
    real.steps.map((s) => (options.rewrite ? options.rewrite(s.line) : s.line)),
  );
  expect(real.merged.flat().length, `${fixture}: the capture has events for these commands`).toBeGreaterThan(
    0,
  );
  real.steps.forEach((r, i) => {
    const s = sim.steps[i] as Comparison;
    const where = `${fixture}: $ ${r.line}`;
    expect(s.exitCode, `${where} (exit code)`).toBe(
      options.realExitCode ? options.realExitCode(r.exitCode, i) : r.exitCode,
    );
    if (!options.skipOutput?.includes(i)) {
      expect(s.stderr, `${where} (stderr)`).toBe(
        options.realStderr ? options.realStderr(r.stderr, i) : r.stderr,
      );
      if (!options.skipStdout?.includes(i))
        expect(s.stdout, `${where} (stdout)`).toBe(
          options.realStdout ? options.realStdout(r.stdout, i) : r.stdout,
        );
    }
    const recorded = real.merged[i] ?? [];
    const realMerged = options.realMerged ? options.realMerged(recorded) : recorded;
    const dropped = (l: string) =>
      (options.noNetwork === true && l.startsWith('EV network ')) || (options.dropTopics?.test(l) ?? false);
    const simMerged = (sim.merged[i] ?? []).filter((l) => !dropped(l));
    if (options.flat || options.skipEvents?.includes(i)) return;
    if (options.unordered?.includes(i))
      expect([...simMerged].sort(), `${where} (events, any order)`).toEqual([...realMerged].sort());
    else
      expect(canonicalRaces(simMerged), `${where} (docker events and containerd topics, in order)`).toEqual(
        canonicalRaces(realMerged),
      );
  });
  if (options.flat)
    expect(canonicalRaces(sim.merged.flat()), `${fixture} (all events, in order)`).toEqual(
      canonicalRaces(real.merged.flat()),
    );
  if (options.noNetwork)
    expect(
      real.merged.flat().some((l) => l.startsWith('EV network ')),
      `${fixture} has no network events`,
    ).toBe(false);
  return { real, sim };
}
