import type { Lang } from '../../src/i18n/text.ts';
import type { Message } from '../../src/model/message.ts';
import type { Profile, Trace } from '../../src/model/trace.ts';
import type { Fault } from '../../src/model/faults.ts';
import type { Platform } from '../../src/model/platform.ts';
import type { DaemonConfig } from '../../src/layers/dockerd/daemon.ts';
import type { HostSnapshot } from '../../src/views/host.ts';
import { messagesOf } from '../../src/views/trace.ts';
import type { LayerState } from './layerStates.ts';
import { writeLink, type LinkState } from './permalink.ts';
import type { Runner, RunRequest } from './runner.ts';

/**
 * The page's one state: the run (command lines, seed, profile), the position in it, the
 * language and the play state. Every component reads it and asks it to change; none keeps its
 * own copy.
 *
 * The whole run is computed up front by the Runner (in a worker: see runner.ts), so the diagram
 * can draw a command once and then only reveal it; the position is just a number. Until the
 * run arrives it is empty, and `computing` is set. The host's state at the position (process
 * tree, layers) is asked of the Runner only when a view shows it, so stepping stays cheap.
 */
export interface SessionState {
  commands: readonly string[];
  seed: number;
  profile: Profile;
  lang: Lang;
  position: number;
  total: number;
  playing: boolean;
  speed: number;
  embed: boolean;
  presenter: boolean;
  /** The run is being computed (at start, and after a command or a profile change). */
  computing: boolean;
  /** Why the last run could not be computed. */
  error: string | undefined;
  /** The lesson open, if any: `commands` start with its steps. */
  lesson?: LessonRun;
}

/** What the session needs of a lesson to run it (see src/scenario). */
export interface LessonRun {
  id: string;
  steps: readonly string[];
  setup: readonly string[];
  faults: readonly Fault[];
  daemon: DaemonConfig;
  platform: Platform;
  files: Readonly<Record<string, string>>;
  cwd?: string;
  seed: number;
  profile: Profile;
}

export type SessionListener = (s: Session, why: 'position' | 'run' | 'lang' | 'play' | 'theme') => void;

const BASE_MS = 700;

export class Session {
  private listeners = new Set<SessionListener>();
  private run: Trace;
  private all: Message[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private asked = 0;
  private readonly holds = new Set<number>();
  private readonly heldListeners = new Set<(seq: number) => void>();
  state: SessionState;

  constructor(
    link: LinkState,
    lang: Lang,
    private readonly runner: Runner,
  ) {
    this.state = {
      commands: link.commands,
      seed: link.seed,
      profile: link.profile,
      lang,
      position: 0,
      total: 0,
      playing: false,
      speed: 1,
      embed: link.embed,
      presenter: link.presenter,
      computing: false,
      error: undefined,
    };
    this.run = { seed: link.seed, profile: link.profile, commands: [...link.commands], entries: [] };
    if (link.lesson) {
      // The lesson's own lines come with the lesson: run nothing until it is loaded.
      this.pendingLesson = { id: link.lesson, step: link.step, extra: link.commands };
      this.state.commands = [];
    }
    void this.compute(() => link.step, link.step);
  }

  /** A permalink's lesson, until the lesson panel has loaded it and opened it (see ds-lessons). */
  pendingLesson: { id: string; step: number; extra: readonly string[] } | undefined;

  /**
   * A link's `lesson-url=`, taken when the page starts (the address bar is rewritten as a
   * permalink soon after), until the lesson panel has fetched it (see ds-lessons).
   */
  pendingLessonUrl: string | undefined;

  /** Settles when the run asked for last has arrived (or failed). */
  ready: Promise<void> = Promise.resolve();

  get trace(): Trace {
    return this.run;
  }

  get messages(): readonly Message[] {
    return this.all;
  }

  get current(): Message | undefined {
    return this.all[this.state.position - 1];
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Go to step n. Every way forward comes through here (next, play, End, the scrubber, jump,
   * a permalink's step): it stops just before a held message (a lesson's unanswered question)
   * and tells the lesson panel, which points at its question.
   */
  seek(n: number): void {
    const wanted = Math.max(0, Math.min(this.state.total, Math.round(n)));
    const next = this.heldBefore(wanted);
    if (next < wanted) {
      if (this.state.playing) this.pause();
      for (const l of this.heldListeners) l(next + 1);
    }
    if (next === this.state.position) {
      // A control that moved on its own (the scrubber's thumb) is put back.
      if (next !== wanted) this.emit('position');
      return;
    }
    this.state.position = next;
    this.emit('position');
    if (next === this.state.total && this.state.playing) this.pause();
  }

  /** The furthest step at or before `n` that passes no held message after the position. */
  private heldBefore(n: number): number {
    let stop = n;
    for (const seq of this.holds) if (seq > this.state.position && seq <= stop) stop = seq - 1;
    return stop;
  }

  next(): void {
    this.seek(this.state.position + 1);
  }

  /**
   * Stop every way forward before message `seq` until it is released: a lesson's question. A
   * position already past it (a permalink's step) is brought back to just before it.
   */
  hold(seq: number): void {
    this.holds.add(seq);
    if (this.state.position >= seq) {
      this.state.position = seq - 1;
      this.emit('position');
    }
  }

  release(seq: number): void {
    this.holds.delete(seq);
  }

  /** Told when `next()` stopped at a hold (the lesson panel points at its question). */
  onHeld(listener: (seq: number) => void): () => void {
    this.heldListeners.add(listener);
    return () => this.heldListeners.delete(listener);
  }

  /** Open a lesson at a step; `extra` are lines typed after its steps (a permalink's `c=`). */
  openLesson(lesson: LessonRun, at = 0, extra: readonly string[] = []): void {
    this.stop();
    this.holds.clear();
    Object.assign(this.state, {
      lesson,
      seed: lesson.seed,
      profile: lesson.profile,
      commands: [...lesson.steps, ...extra],
      position: 0,
    });
    void this.compute(() => at, at);
  }

  /** Leave the lesson: an empty run, as on a first visit. */
  closeLesson(): void {
    this.holds.clear();
    delete this.state.lesson;
    this.reset([]);
  }

  back(): void {
    this.seek(this.state.position - 1);
  }

  /** Type a command: it joins the run, and the position goes to where the run had ended. */
  runCommand(line: string): void {
    // Just before the new command's first message: what the earlier commands still did while
    // the line was typed (a process writing, a timer firing) is already past. Placed in the new
    // run, not from the old total, which is short while a run is still arriving.
    const index = this.state.commands.length;
    this.state.commands = [...this.state.commands, line];
    void this.compute((all) => {
      const first = all.findIndex((m) => m.command >= index);
      return first < 0 ? all.length : first;
    });
  }

  /**
   * Take back the last typed command (a lesson's own steps stay): the run is computed again
   * without it, the position kept where it was or at the new end. Returns the line, so it can
   * be edited and run again.
   */
  undoCommand(): string | undefined {
    const own = this.state.lesson?.steps.length ?? 0;
    if (this.state.commands.length <= own) return undefined;
    const line = this.state.commands.at(-1);
    const at = this.state.position;
    this.stop();
    this.state.commands = this.state.commands.slice(0, -1);
    void this.compute((all) => {
      const index = this.state.commands.length;
      const first = all.findIndex((m) => m.command >= index);
      return Math.min(at, first < 0 ? all.length : first);
    });
    return line;
  }

  reset(commands: readonly string[] = this.state.commands): void {
    this.stop();
    this.state.commands = [...commands];
    this.state.position = 0;
    void this.compute(() => 0);
  }

  setProfile(profile: Profile): void {
    this.state.profile = profile;
    this.reset();
  }

  setLang(lang: Lang): void {
    this.state.lang = lang;
    this.emit('lang');
  }

  /** The colour theme changed: views that bake colours in (the diagram) redraw. */
  themeChanged(): void {
    this.emit('theme');
  }

  play(speed = this.state.speed): void {
    this.stop();
    this.state.speed = speed;
    if (this.state.position >= this.state.total) this.state.position = 0;
    this.state.playing = true;
    this.timer = setInterval(() => this.next(), BASE_MS / speed);
    this.emit('play');
  }

  pause(): void {
    this.stop();
    this.emit('play');
  }

  toggle(): void {
    if (this.state.playing) this.pause();
    else this.play();
  }

  /** The host as it stands after the current step (a replay in the Runner; ask when shown). */
  host(): Promise<HostSnapshot> {
    return this.runner.host(this.request(), this.state.position);
  }

  /**
   * The host before and after the current step, to tell what it changed (asked in that order,
   * as `layerStep`). Before the first step there is nothing before.
   */
  async hostStep(): Promise<{ before: HostSnapshot | undefined; after: HostSnapshot }> {
    const { position } = this.state;
    const request = this.request();
    const before = position > 0 ? await this.runner.host(request, position - 1) : undefined;
    return { before, after: await this.runner.host(request, position) };
  }

  /** Each layer's machine state and tables after the current step (a replay, like `host()`). */
  layerStates(): Promise<LayerState[]> {
    return this.runner.layers(this.request(), this.state.position);
  }

  /**
   * The layers' states before and after the current step, to tell what it changed. Asked in
   * that order, stepping forward costs the replaying world one step (see runService.ts).
   */
  async layerStep(): Promise<{ before: LayerState[]; after: LayerState[] }> {
    const { position } = this.state;
    const request = this.request();
    const before = position > 0 ? await this.runner.layers(request, position - 1) : [];
    return { before, after: await this.runner.layers(request, position) };
  }

  link(): string {
    const s = this.state;
    const commands = s.lesson ? s.commands.slice(s.lesson.steps.length) : [...s.commands];
    const link: LinkState = {
      commands,
      seed: s.seed,
      profile: s.profile,
      step: s.position,
      lang: s.lang,
      embed: s.embed,
      presenter: s.presenter,
    };
    if (s.lesson) link.lesson = s.lesson.id;
    return writeLink(link);
  }

  private request(): RunRequest {
    const { commands, seed, profile, lesson } = this.state;
    return {
      commands: [...commands],
      seed,
      profile,
      setup: [...(lesson?.setup ?? [])],
      faults: [...(lesson?.faults ?? [])],
      ...(lesson
        ? {
            daemon: lesson.daemon,
            platform: lesson.platform,
            files: lesson.files,
            ...(lesson.cwd ? { cwd: lesson.cwd } : {}),
          }
        : {}),
    };
  }

  /**
   * Ask for the run as it now stands; only the newest answer is taken. `place` chooses the
   * position in the new run (a permalink's step, the start of a typed command). With `want`,
   * the run's first commands arrive first, once they hold that step, and the rest after.
   */
  private compute(place: (all: readonly Message[]) => number, want?: number): Promise<void> {
    const asked = ++this.asked;
    let placed = false;
    const take = (trace: Trace, done: boolean): void => {
      if (asked !== this.asked) return;
      this.run = trace;
      this.all = messagesOf(trace);
      this.state.total = this.all.length;
      this.state.position = Math.max(
        0,
        Math.min(placed ? this.state.position : place(this.all), this.state.total),
      );
      if (!placed)
        for (const seq of this.holds) if (this.state.position >= seq) this.state.position = seq - 1;
      placed = true;
      this.state.computing = !done;
      performance.mark(done ? 'dockstep:run-end' : 'dockstep:run-part');
      this.emit('run');
    };
    this.state.computing = true;
    this.state.error = undefined;
    performance.mark('dockstep:run-start');
    const part = want === undefined ? undefined : { want, take: (t: Trace) => take(t, false) };
    this.ready = this.runner.run(this.request(), part).then(
      (trace) => take(trace, true),
      (e: unknown) => {
        if (asked !== this.asked) return;
        this.state.computing = false;
        this.state.error = e instanceof Error ? e.message : String(e);
        this.emit('run');
      },
    );
    this.emit('run');
    return this.ready;
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.state.playing = false;
  }

  private emit(why: Parameters<SessionListener>[1]): void {
    for (const l of this.listeners) l(this, why);
  }
}
