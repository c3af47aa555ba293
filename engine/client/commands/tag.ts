/**
 * `dockstep tag SOURCE TARGET`: both references are parsed by the client (ParseAnyReference:
 * a name, or an image ID), a target with a digest is refused, a target without a tag gets
 * ":latest"; then `POST /images/{source}/tag?repo=FULLNAME&tag=TAG`. Nothing is printed.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/tag.go
 * https://github.com/moby/moby/blob/v28.2.2/client/image_tag.go
 */
import { fullName, parseReference, tagNameOnly } from '../../../src/views/docker/reference.ts';
import { CommandError, type Command } from '../io.ts';

/** An image ID ("sha256:…" or 64 hex) is a reference too, for the source. */
const IMAGE_ID = /^(sha256:)?[a-f0-9]{64}$/;

function parseAny(s: string): ReturnType<typeof parseReference> | { id: string } {
  if (IMAGE_ID.test(s)) return { id: s };
  return parseReference(s);
}

const invalid = (s: string, why: string): CommandError =>
  new CommandError(`Error parsing reference: ${JSON.stringify(s)} is not a valid repository/tag: ${why}`);

export const tag: Command = async (engine, { args }, _io) => {
  const [source = '', target = ''] = args;
  const src = parseAny(source);
  if ('error' in src) throw invalid(source, src.error);
  const dst = parseAny(target);
  if ('error' in dst) throw invalid(target, dst.error);
  if ('id' in dst || dst.ref.digest !== undefined) {
    throw new CommandError('refusing to create a tag with a digest reference');
  }
  const ref = tagNameOnly(dst.ref);
  const query = new URLSearchParams({ repo: fullName(ref), tag: ref.tag ?? 'latest' });
  const res = await engine.request('POST', `/images/${source}/tag`, { query });
  res.resume();
};
