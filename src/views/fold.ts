import type { Message } from '../model/message.ts';
import type { Participant } from '../model/participants.ts';
import { narrationOf } from './narration.ts';

/**
 * Folding the diagram for reading: a learner can hide columns (the diagram then shows only the
 * layers in play and the ones chosen) and fold a block of messages that repeats (a pull's
 * per-layer work: the same calls between the same layers for each layer) to its first
 * iteration, marked "× n". Nothing is hard-coded per command: repeats are found in the trace.
 */
export interface FoldOptions {
  /** Fold consecutive repeats of the same sequence of messages to their first iteration. */
  repeats?: boolean;
  /** Columns not drawn: their messages are left out of the drawing. */
  hidden?: ReadonlySet<Participant>;
  /**
   * Repeated blocks unfolded on their own (by their first step) while the others stay folded:
   * every iteration drawn, inside one loop that says so.
   */
  open?: ReadonlySet<number>;
}

/** One folded block: `count` iterations of `period` messages, from step `first` to `last`. */
export interface Repeat {
  first: number;
  last: number;
  period: number;
  count: number;
  /** Unfolded on its own (FoldOptions.open): every iteration is drawn. */
  open?: boolean;
}

export interface FoldPlan {
  /** The steps drawn, in order. */
  drawn: number[];
  /** Folded blocks by their first step. */
  repeats: Map<number, Repeat>;
  /** The loop drawn around each block, by the first and the last of its steps drawn (a hidden column can leave out either end). */
  loopFrom: Map<number, Repeat>;
  loopTo: Set<number>;
  /** The drawn step that stands for step `seq` (itself, its twin in the first iteration, or the last drawn before it). */
  shownAs: (seq: number) => number | undefined;
}

/** The longest repeating sequence looked for (a pull's per-layer block is 16 messages). */
const MAX_PERIOD = 40;
/** A fold must save at least this many arrows: a loop box around two arrows would add height, not save it. */
const MIN_SAVED = 3;

/**
 * What makes two messages "the same call": kind, ends, operation and what it means (a token
 * and a manifest are both `registry.get`, but not the same call), and its outcome.
 */
function signature(m: Message): string {
  return `${m.kind}|${m.from}|${m.to}|${m.op}|${narrationOf(m).key}|${m.status ?? ''}|${m.ok}`;
}

/** A message that opens or closes a block or carries a note cannot be folded away. */
function foldable(m: Message): boolean {
  return m.block === undefined && m.phase === undefined;
}

/** How many times the `period` messages from `start` repeat back to back (1 = no repeat). */
function repeatsAt(sig: readonly string[], ok: readonly boolean[], start: number, period: number): number {
  let count = 1;
  for (;;) {
    const next = start + count * period;
    if (next + period > sig.length) return count;
    for (let i = 0; i < period; i++) {
      if (sig[next + i] !== sig[start + i] || !ok[next + i]) return count;
    }
    count++;
  }
}

/**
 * Consecutive repeats in one command's messages, left to right: at each message the period
 * that covers the most messages (the shortest on a tie) wins, when it repeats at least twice.
 */
export function findRepeats(
  messages: readonly Message[],
  noteAt: (m: Message) => boolean = () => false,
): Repeat[] {
  const sig = messages.map(signature);
  const ok = messages.map((m) => foldable(m) && !noteAt(m));
  const found: Repeat[] = [];
  let i = 0;
  while (i < messages.length) {
    let best = { period: 0, count: 1 };
    for (let p = 1; p <= MAX_PERIOD && i + 2 * p <= messages.length; p++) {
      if (!ok.slice(i, i + p).every(Boolean)) break;
      const count = repeatsAt(sig, ok, i, p);
      if (p * (count - 1) >= MIN_SAVED && p * count > best.period * best.count) best = { period: p, count };
    }
    const first = messages[i];
    const last = messages[i + best.period * best.count - 1];
    if (best.count > 1 && first && last) {
      found.push({ first: first.seq, last: last.seq, period: best.period, count: best.count });
      i += best.period * best.count;
    } else i++;
  }
  return found;
}

/** Which of one command's messages are drawn, and which drawn one stands for each step. */
export function foldPlan(
  messages: readonly Message[],
  options: FoldOptions,
  noteAt?: (m: Message) => boolean,
): FoldPlan {
  const hidden = options.hidden ?? new Set<Participant>();
  const repeats = new Map<number, Repeat>();
  const twin = new Map<number, number>();
  if (options.repeats) {
    for (const r of findRepeats(messages, noteAt)) {
      const open = options.open?.has(r.first) ?? false;
      repeats.set(r.first, open ? { ...r, open } : r);
      if (open) continue;
      for (let seq = r.first + r.period; seq <= r.last; seq++)
        twin.set(seq, r.first + ((seq - r.first) % r.period));
    }
  }
  const drawn = messages
    .filter((m) => !twin.has(m.seq) && !hidden.has(m.from) && !hidden.has(m.to))
    .map((m) => m.seq);
  const shown = new Set(drawn);
  const loopFrom = new Map<number, Repeat>();
  const loopTo = new Set<number>();
  for (const r of repeats.values()) {
    const end = r.open ? r.last : r.first + r.period - 1;
    const inside = drawn.filter((seq) => seq >= r.first && seq <= end);
    const [from, to] = [inside[0], inside.at(-1)];
    if (from === undefined || to === undefined) continue;
    loopFrom.set(from, r);
    loopTo.add(to);
  }
  const shownAs = (seq: number): number | undefined => {
    const own = twin.get(seq) ?? seq;
    if (shown.has(own)) return own;
    let before: number | undefined;
    for (const d of drawn) if (d <= own) before = d;
    return before;
  };
  return { drawn, repeats, loopFrom, loopTo, shownAs };
}
