// `docker logs -f` after the history: the live logger's files read on as they are written
// (moby daemon/logger/loggerutils/follow.go followLogs). Each file is known by its generation,
// the logger's rotation count when it was opened: generation g is NAME while it is current, then
// NAME.1, NAME.2… as rotations move it along, until it is no longer kept. The follower reads its
// generation to the end once a rotation has closed it, then opens the next one at the path where
// it is now and checks by inode that it got that file (a rotation can move it meanwhile; then it
// waits for the logger and looks again). So lines are lost only when more than `max-file`
// rotations pass between two looks, where dockerd's follow can lose them on any rotation.
import { open, type FileHandle } from 'node:fs/promises';
import type { JsonFileLogger } from './jsonFileLogger.ts';
import { linesBetween } from './lines.ts';
import type { StoredMessage } from './message.ts';
import { judged } from './judged.ts';
import type { ReadConfig, Span } from './readLogs.ts';

/** The file of generation `gen`, or undefined once it is no longer kept. */
async function openGeneration(logger: JsonFileLogger, gen: number): Promise<FileHandle | undefined> {
  for (;;) {
    const rotations = logger.rotations;
    const back = rotations - gen;
    // NAME.1 is kept even with max-file 1 (rotate.ts), until the next rotation.
    if (back > Math.max(1, logger.options.maxFile - 1) || logger.inodeOf(gen) === undefined) return undefined;
    const fh = await open(back === 0 ? logger.path : `${logger.path}.${back}`, 'r').catch(() => undefined);
    const ino = fh === undefined ? undefined : (await fh.stat()).ino;
    if (fh !== undefined && ino === logger.inodeOf(gen)) return fh;
    await fh?.close();
    // The files moved while we looked, or a rotation is half done: look again after it.
    if (logger.rotations === rotations) {
      if (logger.closed) return undefined;
      await logger.changed();
    }
  }
}

export async function* follow(
  logger: JsonFileLogger,
  config: ReadConfig,
  from: Span,
  generation: number,
): AsyncGenerator<StoredMessage> {
  let gen = generation;
  let fh: FileHandle | undefined = from.fh;
  let offset = from.end;
  const opened: FileHandle[] = [];
  try {
    while (fh !== undefined) {
      const seen = logger.version;
      const done = gen < logger.rotations;
      const end = done ? (await fh.stat()).size : logger.size;
      const next = { offset };
      for await (const m of judged(linesBetween(fh, offset, end, next), config)) {
        if (m === 'stop') return;
        yield m;
      }
      offset = next.offset;
      if (done) {
        // Generations no longer kept are lost; the next one kept is where to go on.
        fh = undefined;
        while (fh === undefined && gen < logger.rotations) fh = await openGeneration(logger, ++gen);
        if (fh !== undefined) opened.push(fh);
        offset = 0;
        continue;
      }
      if (logger.closed && offset >= logger.size) return;
      if (logger.version === seen) await logger.changed();
    }
  } finally {
    await Promise.all(opened.map((f) => f.close().catch(() => undefined)));
  }
}
