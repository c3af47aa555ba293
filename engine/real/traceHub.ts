// The engine's trace as a stream. A long-lived engine keeps no whole trace in memory: each entry
// the wire appends (a message, a docker event, a containerd event) is numbered and handed to
// whoever follows the stream (`dockstep trace --follow`), and kept only while the operation it
// belongs to is open, so that operation's trace can be saved when it ends (`dockstep trace`).
// Memory grows with the open operations, never with the requests served.
//
// Glossary: *record* — one entry with its number and the root request it belongs to; *root* —
// the Engine API request whose work the entry is (Wire.rootOf).
import type { TraceEntry } from '../../src/model/trace.ts';
import type { LayerState } from '../../src/views/layerStates.ts';
import type { GateChange } from '../../src/wire/gate.ts';
import type { HoldRecord } from '../../src/wire/live.ts';

/**
 * One entry of the trace; or the state a layer is in after step `step` reached it; or the gate's
 * holds changing: every message held now (`holds`, each with its request), the oldest of them
 * (`hold`, null when none is), and the messages this change let go (`released`).
 */
export type TraceRecord = { n: number; root?: number } & (
  { entry: TraceEntry } | { step: number; state: LayerState } | HoldRecord
);

export type TraceListener = (record: TraceRecord) => void;

export class TraceHub {
  private count = 0;
  private readonly listeners = new Set<TraceListener>();
  /** Followers that read the entries only (`docker events`): no layer state is made for them. */
  private readonly entriesOnly = new Set<TraceListener>();
  private readonly open = new Map<number, TraceEntry[]>();

  /** Append an entry: numbered, told to every follower, kept for its open operation. */
  push(entry: TraceEntry, root: number | undefined): void {
    if (root !== undefined) this.open.get(root)?.push(entry);
    this.tell({ n: ++this.count, entry, ...(root === undefined ? {} : { root }) });
  }

  /** The state of the layer step `step` reached, after it: for followers only (nothing is kept). */
  pushState(step: number, state: LayerState, root: number | undefined): void {
    if (this.followers === 0) return;
    const record: TraceRecord = { n: ++this.count, step, state, ...(root === undefined ? {} : { root }) };
    for (const listener of [...this.listeners]) if (!this.entriesOnly.has(listener)) listener(record);
  }

  /** The gate held a message, or let one go: every message held now, and those let go. */
  pushHold(change: GateChange): void {
    const { holds, released } = change;
    this.tell({ n: ++this.count, hold: holds[0] ?? null, holds, released });
  }

  private tell(record: TraceRecord): void {
    for (const listener of [...this.listeners]) listener(record);
  }

  /**
   * Follow every record from now on; returns the unsubscribe. With `states: false` the layers'
   * states are not followed: reading them at every step costs more than the step itself.
   */
  follow(listener: TraceListener, options: { states?: boolean } = {}): () => void {
    this.listeners.add(listener);
    if (options.states === false) this.entriesOnly.add(listener);
    return () => {
      this.listeners.delete(listener);
      this.entriesOnly.delete(listener);
    };
  }

  /** Start keeping the entries of an operation (its root request). */
  keep(root: number, first: TraceEntry[] = []): void {
    this.open.set(root, [...first]);
  }

  /** The operation's entries, no longer kept. */
  take(root: number): TraceEntry[] {
    const entries = this.open.get(root) ?? [];
    this.open.delete(root);
    return entries;
  }

  /** Operations kept now (a bounded number: the requests in flight). */
  get kept(): number {
    return this.open.size;
  }

  /** Followers of the layers' states: without any, no state is read (RealWorld's onDeliver). */
  get followers(): number {
    return this.listeners.size - this.entriesOnly.size;
  }
}
