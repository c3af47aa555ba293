import type { Message } from '../model/message.ts';
import { isParticipant, type Participant } from '../model/participants.ts';
import type { Trace } from '../model/trace.ts';
import type { World } from '../sim/world.ts';
import { Simulation, type SimulationOptions } from './simulation.ts';

/**
 * The stepper: a debugger's controls over a simulated run — step, back, seek, play, pause and
 * breakpoints — for the site and the CLI.
 *
 * Lifecycle: a stepper starts at position 0 (nothing delivered). Every forward move delivers
 * messages from the live `Simulation`, one per step. Every backward move *replays*: a fresh
 * Simulation with the same command lines, seed, profile and think time is stepped to the target.
 * The run is deterministic, so the replayed world is the world that was there, byte for byte —
 * no undo log, no snapshots, nothing to drift. `play` asks the injected scheduler for one tick
 * per message (`baseMs / speed` real ms apart) until the end, a breakpoint or `pause()`.
 * `appendCommands` adds console lines; a finished run continues with them, and replays include
 * them. After every change, listeners hear about it so a view can repaint.
 *
 * Breakpoints stop *after* the matching message is delivered (play and `runToBreakpoint`):
 * the message that hit is the one on screen, highlighted, which is what a learner wants to look
 * at; stopping *before* would need the next message without delivering it, and the simulation
 * only knows it by taking the step (timers may fire first and post something else). It also
 * means resuming moves on instead of hitting the same breakpoint again. Manual `step`, `back`
 * and `seek` ignore breakpoints, and any manual move pauses play first.
 *
 * src/ never touches the host's timers: the scheduler is injected (the site passes
 * `setTimeout`/`clearTimeout`, tests pass a fake they fire by hand).
 *
 * Glossary:
 * - position: how many messages have been delivered (0 = none; n = message seq n is the latest).
 * - total: how many messages the run has in all, counted once on a private clone and cached.
 * - replay: rebuilding the run from its start to reach an earlier position.
 * - breakpoint: a condition on a message — its layer (to, from or either end), its `call`
 *   (substring or RegExp) or its `op` (exact).
 * - tick: one scheduled play delivery.
 */

/** Real-time timers, injected: the site wraps `setTimeout`, tests fire by hand. */
export interface Scheduler {
  schedule(fn: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

export interface StepperOptions extends SimulationOptions {
  scheduler?: Scheduler;
  /** Real ms between two play ticks at speed 1. */
  baseMs?: number;
}

/** Which end of a message a layer breakpoint looks at; `any` (default) is either end. */
export type Direction = 'to' | 'from' | 'any';

export type BreakpointSpec =
  { layer: Participant; direction?: Direction } | { call: string | RegExp } | { op: string };

export type Breakpoint = BreakpointSpec & { readonly id: number };

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
  private readonly scheduler: Scheduler | undefined;
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
      const clone = this.fresh();
      clone.runToEnd();
      this.totalCount = clone.world.wire.trace.reduce((n, e) => (e.type === 'message' ? n + 1 : n), 0);
    }
    return this.totalCount;
  }

  // ── moving ───────────────────────────────────────────────────────────────────────────────

  /** Deliver one message, ignoring breakpoints. Undefined at the end. */
  step(): Message | undefined {
    this.stopPlay();
    const msg = this.advance();
    this.emit('step');
    return msg;
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
    else while (this.position < target && this.advance()) continue;
    this.emit('seek');
  }

  /**
   * Deliver messages until one matches a breakpoint (it is delivered, then we stop) or the run
   * ends. Returns the breakpoint hit, or undefined at the end.
   */
  runToBreakpoint(): Breakpoint | undefined {
    this.stopPlay();
    let hit: Breakpoint | undefined;
    for (let msg = this.advance(); msg; msg = this.advance()) {
      hit = this.match(msg);
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

  private fresh(): Simulation {
    return new Simulation([...this.lines], this.simOptions);
  }

  private advance(): Message | undefined {
    const msg = this.sim.step();
    if (msg) this.delivered.push(msg);
    else this.totalCount = this.position;
    return msg;
  }

  private replayTo(target: number): void {
    this.sim = this.fresh();
    this.delivered = [];
    while (this.position < target && this.advance()) continue;
  }

  private match(msg: Message): Breakpoint | undefined {
    return this.marks.find((b) => matches(b, msg));
  }

  private scheduleTick(scheduler: Scheduler): void {
    this.tickHandle = scheduler.schedule(() => this.tick(scheduler), this.intervalMs);
  }

  private tick(scheduler: Scheduler): void {
    this.tickHandle = undefined;
    if (!this.isPlaying) return;
    const msg = this.advance();
    const hit = msg ? this.match(msg) : undefined;
    if (!msg || hit || this.done) this.isPlaying = false;
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

/** Check a breakpoint spec and make it safe to test repeatedly (no sticky `lastIndex`). */
function normalize(spec: BreakpointSpec): BreakpointSpec {
  if ('layer' in spec) {
    if (!isParticipant(spec.layer))
      throw new Error(`breakpoint: unknown layer ${JSON.stringify(spec.layer)}`);
    const direction = spec.direction ?? 'any';
    if (!['to', 'from', 'any'].includes(direction))
      throw new Error(`breakpoint: unknown direction ${JSON.stringify(direction)}`);
    return { layer: spec.layer, direction };
  }
  if ('call' in spec) {
    const { call } = spec;
    if (call instanceof RegExp) return { call: new RegExp(call.source, call.flags.replace(/[gy]/g, '')) };
    if (call === '') throw new Error('breakpoint: call "" would match every message');
    return { call };
  }
  if (spec.op === '') throw new Error('breakpoint: op "" matches no message');
  return { op: spec.op };
}

export function matches(bp: BreakpointSpec, msg: Message): boolean {
  if ('layer' in bp) {
    const direction = bp.direction ?? 'any';
    return (direction !== 'from' && msg.to === bp.layer) || (direction !== 'to' && msg.from === bp.layer);
  }
  if ('call' in bp) return typeof bp.call === 'string' ? msg.call.includes(bp.call) : bp.call.test(msg.call);
  return msg.op === bp.op;
}
