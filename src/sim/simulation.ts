import type { Message } from '../model/message.ts';
import type { Platform } from '../model/platform.ts';
import type { Profile, Trace } from '../model/trace.ts';
import { isCliError, parseHostWords } from '../cli/host.ts';
import { routeLine } from '../cli/lines.ts';
import { splitShellWords } from '../cli/shellWords.ts';
import { draft } from '../layers/post.ts';
import type { Fault } from '../model/faults.ts';
import { createSimWorld, type World } from './world.ts';
import { daemonOf } from './hostSnapshot.ts';
import type { Delivery } from '../wire/scheduler.ts';
import type { DaemonConfig } from '../layers/dockerd/daemon.ts';

/**
 * A deterministic run of command lines. One `step()` delivers one message. Between messages,
 * timers due earlier fire first (a grace period ending, a process writing). A command starts
 * when the previous one has answered the user and the wire is quiet, after a short pause like
 * a person typing the next line. Same seed, same commands → the same trace, byte for byte;
 * stepping back is replaying from the start.
 */
export interface SimulationOptions {
  seed?: number;
  profile?: Profile;
  /** Virtual ms between one command's answer and the next command. */
  thinkMs?: number;
  /**
   * Command lines run before the run itself, off the record: the world a lesson starts from
   * (images pulled, containers running). Their messages, output and events are not in the
   * trace, and the run's own commands and steps are numbered from the start.
   */
  setup?: readonly string[];
  /** Faults injected at the boundaries (model/faults.ts). */
  faults?: readonly Fault[];
  /** dockerd's configuration (/etc/docker/daemon.json): live-restore. */
  daemon?: DaemonConfig;
  /** `linux` (default: CLI and dockerd on one host) or `desktop` (Docker Desktop: model/platform.ts). */
  platform?: Platform;
  /** The host's files (absolute path → text) and the shell's working directory (`docker build`). */
  files?: Readonly<Record<string, string>>;
  cwd?: string;
}

export class Simulation {
  readonly world: World;
  private nextCommand = 0;
  private busy = false;
  private idleUntil: number | undefined;
  readonly seed: number;
  readonly profile: Profile;
  readonly platform: Platform;
  private readonly thinkMs: number;

  constructor(
    readonly commands: string[],
    options: SimulationOptions = {},
  ) {
    this.seed = options.seed ?? 1;
    this.profile = options.profile ?? 'v29';
    this.thinkMs = options.thinkMs ?? 1000;
    this.platform = options.platform ?? 'linux';
    this.world = createSimWorld({
      seed: this.seed,
      profile: this.profile,
      faults: options.faults ?? [],
      platform: this.platform,
      ...(options.daemon ? { daemon: options.daemon } : {}),
      ...(options.files ? { files: options.files } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    this.world.wire.onUserMessage = (msg) => this.onAnswer(msg);
    if (options.setup?.length) this.settle(options.setup);
  }

  /** Run the setup lines to the end, then forget them (see SimulationOptions.setup). */
  private settle(setup: readonly string[]): void {
    const own = this.commands.splice(0);
    this.commands.push(...setup);
    // The world is built as it was before anything broke: the lesson's faults start with it.
    this.world.faults.armed = false;
    this.runToEnd();
    this.world.faults.armed = true;
    this.commands.splice(0, this.commands.length, ...own);
    this.nextCommand = 0;
    this.world.wire.forget();
  }

  get trace(): Trace {
    const platform = this.platform === 'linux' ? {} : { platform: this.platform };
    return {
      seed: this.seed,
      profile: this.profile,
      ...platform,
      commands: this.commands,
      entries: this.world.wire.trace,
    };
  }

  /** Deliver one message; undefined when the run is over or the gate holds the next one. */
  step(): Message | undefined {
    const next = this.next();
    return next?.kind === 'delivered' ? next.msg : undefined;
  }

  /**
   * One step through the gate: the next message delivered, or the hold that stops it (the clock
   * does not move while a message is held); undefined when the run is over.
   */
  next(): Delivery | undefined {
    const { wire, clock, scheduler } = this.world;
    for (let guard = 0; guard < 100_000; guard++) {
      const at = wire.nextDeliveryAt();
      const due = clock.nextDue();
      if (at !== undefined && (due === undefined || at <= due)) return scheduler.deliver();
      if (this.busy && due !== undefined) {
        clock.fireNext();
        continue;
      }
      if (this.busy && due === undefined && this.nextCommand < this.commands.length) {
        // Nothing can ever answer this command (say, an attached program the process model does
        // not simulate, which waits forever): a person would give up on it and type the next
        // line. The trace says so, so it is never silent.
        this.world.wire.note({
          key: 'note.stillRunning',
          params: { line: this.commands[this.nextCommand - 1] ?? '' },
        });
        this.busy = false;
        continue;
      }
      if (!this.busy && this.nextCommand < this.commands.length) {
        this.idleUntil ??= this.nextCommand === 0 ? clock.now() : clock.now() + this.thinkMs;
        if (due !== undefined && due <= this.idleUntil) {
          clock.fireNext();
          continue;
        }
        clock.advanceTo(this.idleUntil);
        this.idleUntil = undefined;
        this.startNext();
        continue;
      }
      // The last command has its answer but layers still work (a kubelet syncs the pod after
      // kubectl exits): their messages are delivered, with the timers due before each.
      if (at !== undefined) {
        if (due !== undefined && due < at) clock.fireNext();
        else return scheduler.deliver();
        continue;
      }
      return undefined;
    }
    throw new Error('simulation: no progress after 100000 timer firings');
  }

  /**
   * Add command lines to the run (the site's console). A finished run continues with them, and
   * the trace is the one a run given every line from the start would produce. `commands` grows.
   */
  append(lines: readonly string[]): void {
    this.commands.push(...lines);
  }

  runToEnd(maxSteps = 100_000): Trace {
    for (let i = 0; i < maxSteps; i++) if (!this.step()) return this.trace;
    throw new Error(`simulation: still running after ${maxSteps} steps`);
  }

  private startNext(): void {
    const { wire } = this.world;
    const index = this.nextCommand++;
    const line = this.commands[index] ?? '';
    wire.startCommand(index, line);
    this.busy = true;
    // The line goes to the program it names: the docker CLI, kubectl's kubelet, or the host (cli/lines.ts).
    const route = routeLine(line);
    wire.request(
      undefined,
      draft('User', route.to, route.op, line, {
        payload: { line, ...this.lookedUp(line, route.program) },
        params: { line },
      }),
    );
  }

  /**
   * `allocate SIZE in NAME` names a container as a person does; the process it means is found
   * as they would find it (`docker inspect -f '{{.Id}}' NAME`), before the line is sent.
   */
  private lookedUp(line: string, program: string): { containerId?: string } {
    if (program !== 'allocate') return {};
    const action = parseHostWords(splitShellWords(line));
    if (isCliError(action) || action.kind !== 'allocate') return {};
    const c = daemonOf(this.world).findContainer(action.container);
    return c ? { containerId: c.id } : {};
  }

  private onAnswer(msg: Message): void {
    const code = Number(((msg.payload ?? {}) as { exitCode?: number }).exitCode ?? 0);
    this.world.wire.exit(code);
    this.busy = false;
  }
}
