import type { Trace, TraceEntry } from '../../src/model/trace.ts';

/**
 * A trace as the worker sends it: only the entries after the first `kept` of the last trace it
 * sent (a typed command's run goes on from the last one: its first hundreds of entries are the
 * same, and copying them into the page again took the page's thread milliseconds per run).
 */
export interface TracePart {
  head: Omit<Trace, 'entries'>;
  kept: number;
  added: TraceEntry[];
}

/**
 * The worker's side of TracePart: what a trace adds to the last one sent. A trace continues the
 * last one when it holds the very same entries first (the kept simulation appends to its
 * record and never rewrites it; a new simulation makes new entries, and is sent whole).
 */
export class TraceSender {
  private sent: readonly TraceEntry[] = [];

  part(trace: Trace): TracePart {
    const { entries, ...head } = trace;
    const last = this.sent;
    const continues = last.length <= entries.length && last.every((e, i) => entries[i] === e);
    const kept = continues ? last.length : 0;
    this.sent = entries;
    return { head, kept, added: entries.slice(kept) };
  }
}

/** The page's side of TracePart: the whole trace again, from the last one received. */
export class TraceReceiver {
  private entries: readonly TraceEntry[] = [];

  /** The whole trace, or why it cannot be made (a part that keeps more than was received). */
  take(part: TracePart): Trace | Error {
    if (part.kept > this.entries.length)
      return new Error(`trace part keeps ${part.kept} entries of the ${this.entries.length} received`);
    const entries = [...this.entries.slice(0, part.kept), ...part.added];
    this.entries = entries;
    return { ...part.head, entries };
  }
}
