// `docker logs` from a json-file log, as dockerd 20.10 reads it (moby daemon/logs.go
// ContainerLogs, loggerutils/logfile.go ReadLogs, jsonfilelog/read.go): the rotated files, oldest
// first, then the current one; `tail` N counts lines back from the end across the files (-1 for
// all, 0 for none); `since` drops earlier messages, a message after `until` ends the reading;
// with `follow` (only while the container runs: the caller passes its live logger) the current
// file is read on as the logger writes, the next file taken after a rotation, and the reading
// ends when the logger is closed: when the container's streams have ended.
import { open, type FileHandle } from 'node:fs/promises';
import { JsonFileLogger } from './jsonFileLogger.ts';
import { linesBetween, tailOffset } from './lines.ts';
import type { StoredMessage } from './message.ts';
import { logFilesOldestFirst } from './rotate.ts';
import { follow } from './follow.ts';
import { judged } from './judged.ts';

export interface ReadConfig {
  /** Lines from the end; -1 (or any negative number) for all, 0 for none. */
  tail: number;
  since?: bigint;
  until?: bigint;
  follow?: boolean;
}

/** Where a log is: a running container's live logger, or a stopped one's file and `max-file`. */
export type LogSource = JsonFileLogger | { path: string; maxFile: number };

export interface Span {
  fh: FileHandle;
  start: number;
  end: number;
}

/** What a live logger had written when the request came: its current file's size and rotations. */
interface Snapshot {
  size: number;
  rotations: number;
}

async function openSpans(source: LogSource, snapshot: Snapshot | undefined): Promise<Span[]> {
  const live = source instanceof JsonFileLogger;
  const maxFile = live ? source.options.maxFile : source.maxFile;
  const spans: Span[] = [];
  for (const path of logFilesOldestFirst(source.path, maxFile)) {
    const fh = await open(path, 'r').catch(() => undefined);
    if (fh === undefined) continue;
    // The live logger knows how much of its current file is written; a rotated file is whole.
    const end = snapshot !== undefined && path === source.path ? snapshot.size : (await fh.stat()).size;
    spans.push({ fh, start: 0, end });
  }
  return spans;
}

/** Moves the spans' starts so that only the last `tail` lines are read. */
async function applyTail(spans: Span[], tail: number): Promise<void> {
  let want = tail;
  for (let i = spans.length - 1; i >= 0; i--) {
    const span = spans[i];
    if (span === undefined) continue;
    if (want <= 0) span.start = span.end;
    else {
      const found = await tailOffset(span.fh, span.end, want);
      span.start = found.start;
      want -= found.count;
    }
  }
}

/** The messages of a log, in the order written, from what was written when called on (what a
 * follow sees next). Stop early with `return()` (for await … break). */
export function readLogs(source: LogSource, config: ReadConfig): AsyncGenerator<StoredMessage> {
  const snapshot =
    source instanceof JsonFileLogger ? { size: source.size, rotations: source.rotations } : undefined;
  return messagesOf(source, config, snapshot);
}

async function* messagesOf(
  source: LogSource,
  config: ReadConfig,
  snapshot: Snapshot | undefined,
): AsyncGenerator<StoredMessage> {
  const spans = await openSpans(source, snapshot);
  try {
    if (config.tail >= 0) await applyTail(spans, config.tail);
    for (const span of spans) {
      for await (const m of judged(linesBetween(span.fh, span.start, span.end), config)) {
        if (m === 'stop') return;
        yield m;
      }
    }
    const current = spans.at(-1);
    if (
      config.follow === true &&
      source instanceof JsonFileLogger &&
      snapshot !== undefined &&
      current !== undefined
    )
      yield* follow(source, config, current, snapshot.rotations);
  } finally {
    await Promise.all(spans.map((s) => s.fh.close().catch(() => undefined)));
  }
}
