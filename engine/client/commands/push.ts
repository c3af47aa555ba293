/**
 * `dockstep push NAME[:TAG]` as docker/cli 28 runs `docker push`: a name alone gets ":latest",
 * then `POST /images/{full name}/push?tag=TAG` with X-Registry-Auth and its progress stream
 * ("The push refers to repository […]", per layer "Preparing", "Pushing", "Pushed" or
 * "Layer already exists", then "TAG: digest: sha256:… size: N").
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/push.go
 * https://github.com/moby/moby/blob/v28.2.2/client/image_push.go
 */
import { fullName, parseReference, tagNameOnly } from '../../../src/views/docker/reference.ts';
import { encodeAuthConfig } from '../auth.ts';
import { registryAuth } from '../config.ts';
import { CommandError, followStream, renderOptions, type Command } from '../io.ts';

/**
 * The encoded empty AuthConfig (`{}`), which the docker CLI sends when it has no credentials:
 * dockerd refuses a push without the header ("Bad parameters and missing X-Registry-Auth").
 */
const NO_CREDENTIALS = encodeAuthConfig({});

export const push: Command = async (engine, { args }, io) => {
  const typed = args[0] ?? '';
  const parsed = parseReference(typed);
  if ('error' in parsed) throw new CommandError(parsed.error);
  if (parsed.ref.digest !== undefined) throw new CommandError('cannot push a digest reference');
  const nameOnly = parsed.ref.tag === undefined;
  const ref = tagNameOnly(parsed.ref);
  if (nameOnly) io.stdout.write('Using default tag: latest\n');
  const res = await engine.request('POST', `/images/${fullName(ref)}/push`, {
    query: new URLSearchParams({ tag: ref.tag ?? 'latest' }),
    headers: { 'X-Registry-Auth': registryAuth(typed, io.env, io.home) ?? NO_CREDENTIALS },
  });
  await followStream(res, renderOptions(io), io.stdout);
};
