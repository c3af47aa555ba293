import type { Lang } from '../../src/i18n/text.ts';
import type { Message } from '../../src/model/message.ts';
import type { Profile, Trace } from '../../src/model/trace.ts';
import { hostSnapshot } from '../../src/sim/hostSnapshot.ts';
import type { World } from '../../src/sim/world.ts';
import type { HostSnapshot } from '../../src/views/host.ts';
import { messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/wire/simulation.ts';
import { Stepper } from '../../src/wire/stepper.ts';
import { readLayerStates, type LayerState } from './layerStates.ts';
import { writeLink, type LinkState } from './permalink.ts';

/**
 * The page's one state: the run (command lines, seed, profile), the position in it, the
 * language and the play state. Every component reads it and asks it to change; none keeps its
 * own copy.
 *
 * The whole run is computed up front (it is deterministic and takes milliseconds), so the
 * diagram can draw a command once and then only reveal it; the position is just a number.
 * The host's state at the position (process tree, layers) needs the world itself: a Stepper
 * replays to the position only when a view asks for it, so stepping stays cheap.
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
}

export type SessionListener = (s: Session, why: 'position' | 'run' | 'lang' | 'play' | 'theme') => void;

const BASE_MS = 700;

export class Session {
  private listeners = new Set<SessionListener>();
  private run: Trace;
  private all: Message[];
  private stepper: Stepper | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  state: SessionState;

  constructor(link: LinkState, lang: Lang) {
    this.state = { commands: link.commands, seed: link.seed, profile: link.profile, lang, position: 0, total: 0, playing: false, speed: 1, embed: link.embed, presenter: link.presenter };
    this.run = this.compute();
    this.all = messagesOf(this.run);
    this.state.total = this.all.length;
    this.state.position = Math.min(link.step, this.state.total);
  }

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

  seek(n: number): void {
    const next = Math.max(0, Math.min(this.state.total, Math.round(n)));
    if (next === this.state.position) return;
    this.state.position = next;
    this.emit('position');
    if (next === this.state.total && this.state.playing) this.pause();
  }

  next(): void {
    this.seek(this.state.position + 1);
  }

  back(): void {
    this.seek(this.state.position - 1);
  }

  /** Type a command: it joins the run, and the position goes to just before its first message. */
  runCommand(line: string): void {
    const before = this.state.total;
    this.state.commands = [...this.state.commands, line];
    this.recompute();
    this.state.position = Math.min(before, this.state.total);
    this.emit('run');
  }

  reset(commands: readonly string[] = this.state.commands): void {
    this.stop();
    this.state.commands = [...commands];
    this.recompute();
    this.state.position = 0;
    this.emit('run');
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

  /** The host as it stands after the current step (replays the world; call when shown). */
  host(): HostSnapshot {
    return hostSnapshot(this.worldAtPosition(), this.state.profile);
  }

  /** Each layer's machine state and tables after the current step (replays like `host()`). */
  layerStates(): LayerState[] {
    return readLayerStates(this.worldAtPosition());
  }

  link(): string {
    const s = this.state;
    const link: LinkState = { commands: [...s.commands], seed: s.seed, profile: s.profile, step: s.position, lang: s.lang, embed: s.embed, presenter: s.presenter };
    return writeLink(link);
  }

  /** The world after the current step; the stepper is built on first use and kept. */
  private worldAtPosition(): World {
    const { commands, seed, profile, position } = this.state;
    if (!this.stepper || this.stepper.commands.length !== commands.length || this.stepper.commands.some((c, i) => c !== commands[i])) {
      this.stepper = new Stepper([...commands], { seed, profile });
    }
    this.stepper.seek(position);
    return this.stepper.world;
  }

  private compute(): Trace {
    return new Simulation([...this.state.commands], { seed: this.state.seed, profile: this.state.profile }).runToEnd();
  }

  private recompute(): void {
    this.run = this.compute();
    this.all = messagesOf(this.run);
    this.state.total = this.all.length;
    this.stepper = undefined;
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
