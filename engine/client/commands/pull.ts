/**
 * `dockstep pull [--platform P] [-q] NAME[:TAG|@DIGEST]` as docker/cli 28 runs `docker pull`:
 * the reference is parsed before any request, a name alone gets ":latest" (and says so), then
 * `POST /images/create?fromImage=FULLNAME&tag=TAG[&platform=P]` (docker 28 sends the full
 * name, "docker.io/library/busybox") and its progress stream; the last
 * line is the full reference ("docker.io/library/busybox:latest").
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/pull.go
 * https://github.com/moby/moby/blob/v28.2.2/client/image_pull.go
 */
import { fullName, fullString, parseReference, tagNameOnly } from '../../../src/views/docker/reference.ts';
import { registryAuth } from '../config.ts';
import { CommandError, followStream, renderOptions, type Command } from '../io.ts';

export const pull: Command = async (engine, { values, args }, io) => {
  const typed = args[0] ?? '';
  const parsed = parseReference(typed);
  if ('error' in parsed) throw new CommandError(parsed.error);
  const quiet = values.bool('quiet');
  const nameOnly = parsed.ref.tag === undefined && parsed.ref.digest === undefined;
  const ref = tagNameOnly(parsed.ref);
  if (nameOnly && !quiet) io.stdout.write('Using default tag: latest\n');
  const query = new URLSearchParams({ fromImage: fullName(ref), tag: ref.digest ?? ref.tag ?? 'latest' });
  const platform = values.string('platform');
  if (platform !== undefined && platform !== '') query.set('platform', platform.toLowerCase());
  const auth = registryAuth(typed, io.env, io.home);
  const res = await engine.request('POST', '/images/create', {
    query,
    headers: auth === undefined ? {} : { 'X-Registry-Auth': auth },
  });
  await followStream(res, renderOptions(io), quiet ? undefined : io.stdout);
  io.stdout.write(`${fullString(ref)}\n`);
};
