import type { Trace } from '../../src/model/trace.ts';
import type { HostSnapshot } from '../../src/views/host.ts';
import type { LayerState } from './layerStates.ts';
import { idle, LazyRunner } from './lazyRunner.ts';
import { firstDiagram } from './phases.ts';
import type { Runner, RunPart, RunRequest } from './runner.ts';
import { TraceReceiver, type TracePart } from './traceParts.ts';

/** What the page asks of the simulation's thread (runWorker.ts); `id` pairs the answer. */
export type RunAsk =
  | { id: number; kind: 'run'; req: RunRequest; want?: number }
  | { id: number; kind: 'host' | 'layers'; req: RunRequest; position: number };

/** What it answers: a run's first part, then its whole trace; a host snapshot; layer states. */
export type RunAnswer =
  | { id: number; kind: 'part' | 'trace'; value: TracePart }
  | { id: number; kind: 'host'; value: HostSnapshot }
  | { id: number; kind: 'layers'; value: LayerState[] }
  | { id: number; kind: 'error'; message: string };

interface Waiting {
  ask: RunAsk;
  part?: RunPart;
  /** A first part was handed over: the whole run waits for the first diagram (see run). */
  parted: boolean;
  trace?: (t: Trace) => void;
  host?: (h: HostSnapshot) => void;
  layers?: (l: LayerState[]) => void;
  fail: (e: Error) => void;
}

/**
 * The Runner port on a thread of its own (a module worker). On a cold start the first diagram
 * waits for two slow things, the first command's simulation and Mermaid: on the page's thread
 * they took turns, here the simulation runs beside Mermaid's loading. A browser that cannot
 * start the worker (or loses it) is served on the page's thread instead (LazyRunner).
 */
export class WorkerRunner implements Runner {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private asked = 0;
  private fallback: LazyRunner | undefined;
  /** The entries of the last trace received: the next one is sent as what it adds (TracePart). */
  private received = new TraceReceiver();

  constructor() {
    this.worker = new Worker(new URL('./runWorker.ts', import.meta.url), { type: 'module' });
    this.worker.addEventListener('message', (e: MessageEvent<RunAnswer>) => this.take(e.data));
    this.worker.addEventListener('error', (e) => this.lost(e));
    // A run's later commands wait for this (see runWorker.ts): on a machine short of cores they
    // would take the CPU from the first diagram's drawing.
    void firstDiagram.then(() => this.worker.postMessage({ kind: 'drawn' }));
  }

  run(req: RunRequest, part?: RunPart): Promise<Trace> {
    const ask: RunAsk = { id: 0, kind: 'run', req, ...(part ? { want: part.want } : {}) };
    return new Promise<Trace>((resolve, fail) =>
      this.send({ ask, part, parted: false, trace: resolve, fail }),
    );
  }

  host(req: RunRequest, position: number): Promise<HostSnapshot> {
    const ask: RunAsk = { id: 0, kind: 'host', req, position };
    return new Promise((resolve, fail) => this.send({ ask, parted: false, host: resolve, fail }));
  }

  layers(req: RunRequest, position: number): Promise<LayerState[]> {
    const ask: RunAsk = { id: 0, kind: 'layers', req, position };
    return new Promise((resolve, fail) => this.send({ ask, parted: false, layers: resolve, fail }));
  }

  private send(w: Waiting): void {
    if (this.fallback) return void this.serve(this.fallback, w);
    w.ask.id = ++this.asked;
    this.waiting.set(w.ask.id, w);
    this.worker.postMessage(w.ask);
  }

  private take(a: RunAnswer): void {
    const w = this.waiting.get(a.id);
    // Every trace sent is taken in, even one no longer waited for: the next builds on it.
    const trace = a.kind === 'part' || a.kind === 'trace' ? this.received.take(a.value) : undefined;
    if (!w) return;
    if (trace instanceof Error) {
      this.waiting.delete(a.id);
      return w.fail(trace);
    }
    if (a.kind === 'part') {
      w.parted = true;
      if (trace) w.part?.take(trace);
      return;
    }
    this.waiting.delete(a.id);
    if (a.kind === 'error') w.fail(new Error(a.message));
    else if (a.kind === 'host') w.host?.(a.value);
    else if (a.kind === 'layers') w.layers?.(a.value);
    else if (!trace) return;
    else if (w.parted) {
      // The rest of a run whose first part is being drawn: taken once that drawing is on
      // screen, as the page's own thread did, so the first diagram is not drawn twice.
      void firstDiagram.then(idle).then(() => w.trace?.(trace));
    } else w.trace?.(trace);
  }

  /** The worker could not start or failed: what it had in hand is asked again on the page's thread. */
  private lost(e: ErrorEvent): void {
    e.preventDefault();
    this.worker.terminate();
    this.fallback ??= new LazyRunner();
    const left = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of left) void this.serve(this.fallback, w);
  }

  private async serve(runner: Runner, w: Waiting): Promise<void> {
    const { ask } = w;
    try {
      if (ask.kind === 'run') w.trace?.(await runner.run(ask.req, w.part));
      else if (ask.kind === 'host') w.host?.(await runner.host(ask.req, ask.position));
      else w.layers?.(await runner.layers(ask.req, ask.position));
    } catch (e) {
      w.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
