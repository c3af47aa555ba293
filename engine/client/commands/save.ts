/**
 * `dockstep save [-o FILE] IMAGE...`: `GET /images/get?names=A&names=B`, the tarball to FILE or
 * to stdout — never to a terminal. With -o the tarball goes to a temporary file beside FILE,
 * renamed when complete, so a failed save leaves no half-written FILE (command.CopyToFile).
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/save.go
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/utils.go (CopyToFile)
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CommandError, copyTo, type Command } from '../io.ts';

export const save: Command = async (engine, { values, args }, io) => {
  const output = values.string('output') ?? '';
  if (output === '' && io.stdout.isTTY === true) {
    throw new CommandError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
  }
  const query = new URLSearchParams();
  for (const name of args) query.append('names', name);
  const res = await engine.request('GET', '/images/get', { query });
  if (output === '') {
    await copyTo(res, io.stdout);
    return;
  }
  const temp = join(dirname(output), `.${basename(output)}.${process.pid}.tmp`);
  try {
    await pipeline(res, createWriteStream(temp, { mode: 0o600 }));
    renameSync(temp, output);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new CommandError(`failed to save image: ${(error as Error).message}`);
  }
};
