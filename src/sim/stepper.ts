import type { Message } from '../model/message.ts';
import type { Trace } from '../model/trace.ts';
import {
  matches,
  normalize,
  type Breakpoint,
  type BreakpointSpec,
  type Direction,
} from '../wire/breakpoints.ts';
import type { Hold } from '../wire/gate.ts';
import type { World } from './world.ts';
import { Simulation, type SimulationOptions } from './simulation.ts';

/**
 * The stepper: a debugger's controls over a simulated run — step, back, seek, play, pause and
 * breakpoints — for the site and the CLI. It is a policy over the scheduler's gate
 * (wire/gate.ts): breakpoints hold a message *before* it is delivered, so what is on screen when
 * a breakpoint hits is the world just before that message, and the message itself is `held`.
 *
 * Lifecycle: a stepper starts at position 0 (nothing delivered). Every forward move delivers
 * messages from the live `Simulation`, one per step. Every backward move *replays*: a fresh
 * Simulation with the same command lines, seed, profile and think time is stepped to the target.
 * The run is deterministic, so the replayed world is the world that was there, byte for byte —
 * no undo log, no snapshots, nothing to drift. `play` asks the injected timers for one tick
 * per message (`baseMs / speed` real ms apart) until the end, a breakpoint or `pause()`.
 * `appendCommands` adds console lines; a finished run continues with them, and replays include
 * them. After every change, listeners hear about it so a view can repaint.
 *
 * Breakpoints stop play and `runToBreakpoint` with the matching message held at the gate; the
 * virtual clock does not move while it is held. Resuming (play, `runToBreakpoint`, a manual
 * `step`) releases it first, so a resumed run moves on instead of hitting the same breakpoint
 * again. Manual `step`, `back` and `seek` ignore breakpoints, and any manual move pauses play.
 *
 * src/ never touches the host's timers: they are injected (the site passes
 * `setTimeout`/`clearTimeout`, tests pass a fake they fire by hand).
 *
 * Glossary:
 * - position: how many messages have been delivered (0 = none; n = message seq n is the latest).
 * - total: how many messages the run has in all, counted once on a private clone and cached.
 * - replay: rebuilding the run from its start to reach an earlier position.
 * - held: the next message, stopped at the gate by a breakpoint.
 * - tick: one scheduled play delivery.
 */

/** Real-time timers for play, injected: the site wraps `setTimeout`, tests fire by hand. */
export interface PlayTimers {
  schedule(fn: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

export interface StepperOptions extends SimulationOptions {
  scheduler?: PlayTimers;
  /** Real ms between two play ticks at speed 1. */
  baseMs?: number;
}

export type { Breakpoint, BreakpointSpec, Direction };

export type ChangeCause = 'step' | 'back' | 'seek' | 'run' | 'tick' | 'play' | 'pause' | 'append';

export interface StepperChange {
  cause: ChangeCause;
  position: number;
  playing: boolean;
  /** The breakpoint the latest message matched, when play or `runToBreakpoint` stopped on it. */
  hit?: Breakpoint;
}

export type ChangeListener = (change: StepperChange) => void;

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 4;
const DEFAULT_BASE_MS = 600;

export class Stepper {
  private readonly lines: string[];
  private readonly simOptions: SimulationOptions;
  private readonly scheduler: PlayTimers | undefined;
  private readonly baseMs: number;
  private sim: Simulation;
  private delivered: Message[] = [];
  private totalCount: number | undefined;
  private marks: Breakpoint[] = [];
  private nextMark = 1;
  private readonly listeners = new Set<ChangeListener>();
  private tickHandle: unknown;
  private isPlaying = false;
  private playSpeed = 1;

  constructor(commands: string[], options: StepperOptions = {}) {
    const { scheduler, baseMs = DEFAULT_BASE_MS, ...simOptions } = options;
    if (!(baseMs > 0) || !Number.isFinite(baseMs))
      throw new Error(`stepper: baseMs must be a positive number of ms, got ${baseMs}`);
    this.lines = [...commands];
    this.simOptions = simOptions;
    this.scheduler = scheduler;
    this.baseMs = baseMs;
    this.sim = this.fresh();
  }

  // ── state ────────────────────────────────────────────────────────────────────────────────

  /** Number of messages delivered so far (0 = nothing yet). */
  get position(): number {
    return this.delivered.length;
  }

  get messages(): readonly Message[] {
    return this.delivered;
  }

  get trace(): Trace {
    return this.sim.trace;
  }

  get commands(): readonly string[] {
    return this.lines;
  }

  /** The live simulation. A replay replaces it: read it again after `back` or `seek`. */
  get simulation(): Simulation {
    return this.sim;
  }

  get world(): World {
    return this.sim.world;
  }

  /** Virtual time of the live simulation, ms. */
  get time(): number {
    return this.sim.world.clock.now();
  }

  get playing(): boolean {
    return this.isPlaying;
  }

  get speed(): number {
    return this.playSpeed;
  }

  /** The run has no more messages. */
  get done(): boolean {
    return this.position >= this.total();
  }

  /** Messages in the whole run; counted once on a private clone, cached until commands change. */
  total(): number {
    if (this.totalCount === undefined) {
      const clone = this.fresh(false);
      clone.runToEnd();
      this.totalCount = clone.world.wire.trace.reduce((n, e) => (e.type === 'message' ? n + 1 : n), 0);
    }
    return this.totalCount;
  }

  // ── moving ───────────────────────────────────────────────────────────────────────────────

  /** Deliver one message, ignoring breakpoints (a held one goes). Undefined at the end. */
  step(): Message | undefined {
    this.stopPlay();
    const msg = this.forced();
    this.emit('step');
    return msg;
  }

  /** The next message, held at the gate by a breakpoint (play or `runToBreakpoint` stopped there). */
  get held(): Hold | undefined {
    return this.sim.world.scheduler.held;
  }

  /** One message back, exactly: replay from the start to position - 1. */
  back(): void {
    this.stopPlay();
    if (this.position === 0) return;
    this.replayTo(this.position - 1);
    this.emit('back');
  }

  /** Go to position n, clamped to [0, total]: forward by stepping, backward by replay. */
  seek(n: number): void {
    if (!Number.isFinite(n)) throw new Error(`seek: position must be a finite number, got ${n}`);
    this.stopPlay();
    const target = Math.max(0, Math.trunc(n));
    if (target < this.position) this.replayTo(target);
    else while (this.position < target && this.forced()) continue;
    this.emit('seek');
  }

  /**
   * Deliver messages until the next one matches a breakpoint (it is held, not delivered) or the
   * run ends. A message held already goes first. Returns the breakpoint hit, or undefined at the end.
   */
  runToBreakpoint(): Breakpoint | undefined {
    this.stopPlay();
    this.sim.world.scheduler.release();
    let hit: Breakpoint | undefined;
    for (let next = this.advance(); next; next = this.advance()) {
      hit = this.hitBy(next);
      if (hit) break;
    }
    this.emit('run', hit);
    return hit;
  }

  /** Add command lines to the run; a finished run continues with them. Play state is kept. */
  appendCommands(lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.lines.push(...lines);
    this.sim.append(lines);
    this.totalCount = undefined;
    this.emit('append');
  }

  // ── play ─────────────────────────────────────────────────────────────────────────────────

  /** Deliver one message every `baseMs / speed` ms until the end, a breakpoint or `pause()`. */
  play(speed = 1): void {
    if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
      throw new Error(`play: speed ${speed} is outside ${MIN_SPEED}..${MAX_SPEED}`);
    }
    if (!this.scheduler)
      throw new Error('play: no scheduler was given to the stepper (options.scheduler is undefined)');
    this.playSpeed = speed;
    this.cancelTick();
    if (this.done) {
      this.isPlaying = false;
      return;
    }
    this.isPlaying = true;
    // Resuming from a breakpoint: the held message is the first one played.
    this.sim.world.scheduler.release();
    this.scheduleTick(this.scheduler);
    this.emit('play');
  }

  pause(): void {
    if (!this.isPlaying) return;
    this.stopPlay();
    this.emit('pause');
  }

  /** Real ms between two ticks at the current speed. */
  get intervalMs(): number {
    return this.baseMs / this.playSpeed;
  }

  // ── breakpoints ──────────────────────────────────────────────────────────────────────────

  get breakpoints(): readonly Breakpoint[] {
    return this.marks;
  }

  addBreakpoint(spec: BreakpointSpec): Breakpoint {
    const mark: Breakpoint = { ...normalize(spec), id: this.nextMark++ };
    this.marks.push(mark);
    return mark;
  }

  /** Returns whether a breakpoint with that id existed. */
  removeBreakpoint(id: number): boolean {
    const before = this.marks.length;
    this.marks = this.marks.filter((b) => b.id !== id);
    return this.marks.length < before;
  }

  clearBreakpoints(): void {
    this.marks = [];
  }

  // ── listeners ────────────────────────────────────────────────────────────────────────────

  /** Hear every change (position, play state, appended commands). Returns the unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.offChange(listener);
  }

  offChange(listener: ChangeListener): void {
    this.listeners.delete(listener);
  }

  // ── inside ───────────────────────────────────────────────────────────────────────────────

  /** A simulation of the same lines; the live one has the breakpoints at its gate. */
  private fresh(gated = true): Simulation {
    const sim = new Simulation([...this.lines], this.simOptions);
    if (gated) {
      sim.world.scheduler.gate.set('breakpoint', (next) => {
        const mark = this.marks.find((b) => matches(b, next));
        return mark === undefined ? undefined : String(mark.id);
      });
    }
    return sim;
  }

  /** One step through the gate: the message delivered, or the hold that stopped it. */
  private advance(): Message | Hold | undefined {
    const next = this.sim.next();
    if (next === undefined) {
      this.totalCount = this.position;
      return undefined;
    }
    if (next.kind === 'held') return next.hold;
    this.delivered.push(next.msg);
    return next.msg;
  }

  /** One message, through any breakpoint: a manual move. */
  private forced(): Message | undefined {
    let next = this.advance();
    if (next !== undefined && !('seq' in next)) {
      this.sim.world.scheduler.release();
      next = this.advance();
    }
    return next !== undefined && 'seq' in next ? next : undefined;
  }

  private replayTo(target: number): void {
    this.sim = this.fresh();
    this.delivered = [];
    while (this.position < target && this.forced()) continue;
  }

  /** The breakpoint a hold names, if the step was held by one. */
  private hitBy(step: Message | Hold): Breakpoint | undefined {
    if ('seq' in step || step.policy !== 'breakpoint') return undefined;
    return this.marks.find((b) => String(b.id) === step.reason);
  }

  private scheduleTick(scheduler: PlayTimers): void {
    this.tickHandle = scheduler.schedule(() => this.tick(scheduler), this.intervalMs);
  }

  private tick(scheduler: PlayTimers): void {
    this.tickHandle = undefined;
    if (!this.isPlaying) return;
    const next = this.advance();
    const hit = next ? this.hitBy(next) : undefined;
    if (!next || hit || this.done) this.isPlaying = false;
    else this.scheduleTick(scheduler);
    this.emit('tick', hit);
  }

  private cancelTick(): void {
    if (this.tickHandle !== undefined) this.scheduler?.cancel(this.tickHandle);
    this.tickHandle = undefined;
  }

  private stopPlay(): void {
    this.cancelTick();
    this.isPlaying = false;
  }

  private emit(cause: ChangeCause, hit?: Breakpoint): void {
    const change: StepperChange = { cause, position: this.position, playing: this.isPlaying };
    if (hit) change.hit = hit;
    for (const listener of [...this.listeners]) listener(change);
  }
}
