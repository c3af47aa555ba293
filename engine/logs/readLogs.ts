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

async function openSpans(source: LogSource): Promise<Span[]> {
  const live = source instanceof JsonFileLogger;
  const maxFile = live ? source.options.maxFile : source.maxFile;
  const spans: Span[] = [];
  for (const path of logFilesOldestFirst(source.path, maxFile)) {
    const fh = await open(path, 'r').catch(() => undefined);
    if (fh === undefined) continue;
    // The live logger knows how much of its current file is written; a rotated file is whole.
    const end = live && path === source.path ? source.size : (await fh.stat()).size;
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

/** The messages of a log, in the order written. Stop early with `return()` (for await … break). */
export async function* readLogs(source: LogSource, config: ReadConfig): AsyncGenerator<StoredMessage> {
  const spans = await openSpans(source);
  try {
    if (config.tail >= 0) await applyTail(spans, config.tail);
    for (const span of spans) {
      for await (const line of linesBetween(span.fh, span.start, span.end)) {
        const msg = decodeJsonLogLine(line.toString('utf8'));
        const verdict = judge(msg, config);
        if (verdict === 'stop') return;
        if (verdict === 'give') yield msg;
      }
    }
    const current = spans.at(-1);
    if (config.follow === true && source instanceof JsonFileLogger && !source.closed && current !== undefined)
      yield* follow(source, config, current);
  } finally {
    await Promise.all(spans.map((s) => s.fh.close().catch(() => undefined)));
  }
}

async function* follow(
  logger: JsonFileLogger,
  config: ReadConfig,
  from: Span,
): AsyncGenerator<StoredMessage> {
  const at = { fh: from.fh, offset: from.end, rotations: logger.rotations };
  let reopened: FileHandle | undefined;
  try {
    for (;;) {
      const seen = logger.version;
      const rotated = logger.rotations !== at.rotations;
      const end = rotated ? (await at.fh.stat()).size : logger.size;
      const next = { offset: at.offset };
      for await (const line of linesBetween(at.fh, at.offset, end, next)) {
        const msg = decodeJsonLogLine(line.toString('utf8'));
        const verdict = judge(msg, config);
        if (verdict === 'stop') return;
        if (verdict === 'give') yield msg;
      }
      at.offset = next.offset;
      if (rotated) {
        // The file read so far is NAME.1 now; go on with the new NAME from its start.
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
