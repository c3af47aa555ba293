// `docker logs` from a json-file log, as dockerd 20.10 reads it (moby daemon/logs.go
// ContainerLogs, loggerutils/logfile.go ReadLogs, jsonfilelog/read.go): the rotated files, oldest
// first, then the current one; `tail` N counts lines back from the end across the files (-1 for
// all, 0 for none); `since` drops earlier messages, a message after `until` ends the reading;
// with `follow` (only while the container runs: the caller passes its live logger) the current
// file is read on as the logger writes, the next file taken after a rotation, and the reading
// ends when the logger is closed: when the container's streams have ended.
import { open, type FileHandle } from 'node:fs/promises';
import { JsonFileLogger } from './jsonFileLogger.ts';
import { decodeJsonLogLine } from './jsonLine.ts';
import { linesBetween, tailOffset } from './lines.ts';
import type { StoredMessage } from './message.ts';
import { logFilesOldestFirst } from './rotate.ts';

export interface ReadConfig {
  /** Lines from the end; -1 (or any negative number) for all, 0 for none. */
  tail: number;
  since?: bigint;
  until?: bigint;
  follow?: boolean;
}

/** Where a log is: a running container's live logger, or a stopped one's file and `max-file`. */
export type LogSource = JsonFileLogger | { path: string; maxFile: number };

interface Span {
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

type Verdict = 'skip' | 'give' | 'stop';

function judge(msg: StoredMessage, config: ReadConfig): Verdict {
  if (config.until !== undefined && msg.time > config.until) return 'stop';
  if (config.since !== undefined && msg.time < config.since) return 'skip';
  return 'give';
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

/** The whole of the files that were rotated away between two looks of a follower: after k
 * rotations, NAME.(k-1) … NAME.1 hold what came after the file it was reading (those still kept). */
async function* skippedFiles(
  logger: JsonFileLogger,
  rotations: number,
  config: ReadConfig,
): AsyncGenerator<StoredMessage | 'stop'> {
  for (let i = Math.min(rotations, logger.options.maxFile) - 1; i >= 1; i--) {
    const fh = await open(`${logger.path}.${i}`, 'r').catch(() => undefined);
    if (fh === undefined) continue;
    try {
      yield* judged(linesBetween(fh, 0, (await fh.stat()).size), config);
    } finally {
      await fh.close();
    }
  }
}

async function* judged(
  lines: AsyncIterable<Buffer>,
  config: ReadConfig,
): AsyncGenerator<StoredMessage | 'stop'> {
  for await (const line of lines) {
    const msg = decodeJsonLogLine(line.toString('utf8'));
    const verdict = judge(msg, config);
    if (verdict === 'stop') {
      yield 'stop';
      return;
    }
    if (verdict === 'give') yield msg;
  }
}

async function* follow(
  logger: JsonFileLogger,
  config: ReadConfig,
  from: Span,
  rotations: number,
): AsyncGenerator<StoredMessage> {
  const at = { fh: from.fh, offset: from.end, rotations };
  let reopened: FileHandle | undefined;
  try {
    for (;;) {
      const seen = logger.version;
      const rotated = logger.rotations - at.rotations;
      const end = rotated > 0 ? (await at.fh.stat()).size : logger.size;
      const next = { offset: at.offset };
      for await (const m of judged(linesBetween(at.fh, at.offset, end, next), config)) {
        if (m === 'stop') return;
        yield m;
      }
      at.offset = next.offset;
      if (rotated > 0) {
        // The file read so far has moved along to NAME.<rotated>; read the ones after it, then
        // go on with the new NAME from its start. A rotation while this goes on can still cost
        // lines, as dockerd warns for its follow (loggerutils/logfile.go ReadLogs).
        for await (const m of skippedFiles(logger, rotated, config)) {
          if (m === 'stop') return;
          yield m;
        }
        await reopened?.close();
        reopened = await open(logger.path, 'r');
        Object.assign(at, { fh: reopened, offset: 0, rotations: logger.rotations });
        continue;
      }
      if (logger.closed && at.offset >= logger.size) return;
      if (logger.version === seen) await logger.changed();
    }
  } finally {
    await reopened?.close();
  }
}
