// Real step mode: the engine's gate policies (src/wire/gate.ts), set from outside while the
// engine runs. *Step mode* holds every message; a *breakpoint* holds the messages it matches
// (a layer, an op, a call, a container: src/wire/breakpoints.ts). A held message is the real
// work not started yet — `runc create` not run, a layer not unpacked — until it is released,
// once. A hold stops its own request only: other clients' requests go on (src/wire/scheduler.ts).
// Holds and releases go into the trace stream, so `dockstep trace --follow` shows them.
import { matches, normalize, type Breakpoint, type BreakpointSpec } from '../../src/wire/breakpoints.ts';
import type { Hold } from '../../src/wire/gate.ts';
import type { Scheduler } from '../../src/wire/scheduler.ts';

export interface GateStatus {
  stepMode: boolean;
  breakpoints: Breakpoint[];
  /** The oldest message held: the one a step releases. */
  held: Hold | null;
  /** Every message held, oldest first, each with its request (one per request: scheduler.ts). */
  holds: Hold[];
}

export class Stepping {
  private marks: Breakpoint[] = [];
  private nextMark = 1;

  constructor(private readonly scheduler: Scheduler) {}

  get status(): GateStatus {
    return {
      stepMode: this.scheduler.gate.has('step'),
      breakpoints: [...this.marks],
      held: this.scheduler.held ?? null,
      holds: this.scheduler.holds,
    };
  }

  /** Hold every message (on), or stop doing so (off: a message held only by it goes on). */
  stepMode(on: boolean): void {
    if (on) this.scheduler.gate.set('step', () => 'step mode');
    else this.scheduler.gate.remove('step');
  }

  addBreakpoint(spec: BreakpointSpec): Breakpoint {
    const mark: Breakpoint = { ...normalize(spec), id: this.nextMark++ };
    this.marks.push(mark);
    this.scheduler.gate.set('breakpoint', (next) => {
      const hit = this.marks.find((b) => matches(b, next));
      return hit === undefined ? undefined : `breakpoint ${hit.id}`;
    });
    return mark;
  }

  clearBreakpoints(): void {
    this.marks = [];
    this.scheduler.gate.remove('breakpoint');
  }

  /**
   * Let the oldest held message go, once, or the held message `id`: the hold let go, so the
   * caller can say which; undefined when nothing (or no such message) is held.
   */
  release(id?: number): Hold | undefined {
    return this.scheduler.gate.release(id);
  }

  /** Let every held message go, once each: those let go, oldest first. */
  releaseAll(): Hold[] {
    return this.scheduler.gate.releaseAll();
  }
}
