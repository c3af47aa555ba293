import type { JsonObject } from '../model/json.ts';
import type { Message } from '../model/message.ts';
import type { Profile, Trace, TraceEntry } from '../model/trace.ts';
import { sourceOf, sourceUrl } from '../layers/sources.ts';

/**
 * Where the real code does what a message shows (src/layers/sources.ts), as `--format json`
 * carries it: repository, tag, file and function (or the page documenting closed code), and the
 * link a reader follows.
 */
export function messageSource(m: Message, profile: Profile): JsonObject | undefined {
  // A reply is the answer to its request: the request names the code.
  if (m.kind === 'reply') return undefined;
  const s = sourceOf(m.op, profile);
  return s === undefined ? undefined : { ...s, url: sourceUrl(s) };
}

/** A trace entry with its message's source beside it. */
export function entryWithSource(entry: TraceEntry, profile: Profile): TraceEntry {
  if (entry.type !== 'message') return entry;
  const source = messageSource(entry.message, profile);
  if (source === undefined) return entry;
  const message: Message & { source: JsonObject } = { ...entry.message, source };
  return { ...entry, message };
}

/** The trace as `--format json` writes it: each request and event names its source. */
export function traceWithSources(trace: Trace): Trace {
  return { ...trace, entries: trace.entries.map((e) => entryWithSource(e, trace.profile)) };
}
