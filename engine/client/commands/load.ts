/**
 * `dockstep load [-i FILE] [-q]`: `POST /images/load?quiet=0|1` with the tarball as the body.
 * Progress is only drawn on a terminal (load.go turns quiet on otherwise); a JSON answer is a
 * message stream ("Loaded image: …"), any other is copied as it is.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/load.go
 * https://github.com/moby/moby/blob/v28.2.2/client/image_load.go
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CommandError, copyTo, followStream, renderOptions, type Command } from '../io.ts';

/** Go's os.Open error texts for the usual cases. */
function openError(path: string, error: NodeJS.ErrnoException): CommandError {
  const why: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
  };
  return new CommandError(`open ${path}: ${why[error.code ?? ''] ?? error.message}`);
}

async function input(path: string, io: Parameters<Command>[2]): Promise<Readable> {
  if (path === '') {
    if (io.stdin.isTTY === true) throw new CommandError('requested load from stdin, but stdin is empty');
    return io.stdin;
  }
  try {
    // Opened first, so a missing file fails before any request, as os.Open does in load.go.
    const handle = await open(path, 'r');
    return handle.createReadStream();
  } catch (error) {
    throw openError(path, error as NodeJS.ErrnoException);
  }
}

export const load: Command = async (engine, { values }, io) => {
  const body = await input(values.string('input') ?? '', io);
  const quiet = values.bool('quiet') || io.stdout.isTTY !== true;
  // docker 28 always says which: quiet=1, or quiet=0 on a terminal.
  const query = new URLSearchParams({ quiet: quiet ? '1' : '0' });
  const res = await engine.request('POST', '/images/load', {
    query,
    headers: { 'Content-Type': 'application/x-tar' },
    body,
  });
  if ((res.headers['content-type'] ?? '').includes('application/json')) {
    await followStream(res, renderOptions(io), io.stdout);
    return;
  }
  await copyTo(res, io.stdout);
};
