// POST /images/{name}/push?tag=…: `docker push`. {name} is the repository; without a tag every
// tag of it is pushed. The stream, as dockerd's pusher words it (moby distribution/push_v2.go),
// measured on dockerd 20.10: "The push refers to repository [host/path]", per layer
// "Preparing" → "Pushing" → "Pushed" / "Layer already exists" / "Mounted from <repo>", then
// "<tag>: digest: sha256:… size: N" and an aux {Tag, Digest, Size}.
import { shortId } from '../../image/digest.ts';
import { parseReference, repositoryOf } from '../../image/reference.ts';
import { push } from '../../image/push.ts';
import { registryAuth } from '../auth.ts';
import { toMessage } from '../backend.ts';
import type { Call, Route } from '../context.ts';
import { MessageStream } from '../http.ts';
import { notFound } from '../errors.ts';
import { familiar, familiarRepo, reference } from '../names.ts';

/**
 * The names to push, in dockerd's order of checks (moby distribution/push.go Push, then
 * push_v2.go pushV2Repository): nothing of the repository here, the asked tag not here, or no
 * tag at all in the repository (only digest names) — each an error after the stream's first line.
 */
function tagsToPush(call: Call, repo: string, tag: string): string[] {
  const inRepo = call.engine.root.images
    .list()
    .map((r) => parseReference(r.name))
    .filter((r) => repositoryOf(r) === repo);
  if (inRepo.length === 0)
    throw notFound(`An image does not exist locally with the tag: ${familiarRepo(repo)}`);
  if (tag !== '') {
    const name = `${repo}:${tag}`;
    if (call.engine.root.images.get(name) === undefined)
      throw notFound(`tag does not exist: ${familiar(name)}`);
    return [name];
  }
  const names = inRepo
    .filter((r) => r.tag !== undefined && r.digest === undefined)
    .map((r) => `${repo}:${r.tag ?? ''}`);
  if (names.length === 0) throw notFound(`no tags to push for ${familiarRepo(repo)}`);
  return names;
}

async function pushImage(call: Call): Promise<void> {
  const ref = reference(call.params['name'] ?? '');
  const repo = repositoryOf(ref);
  const auth = registryAuth(call.req);
  const credentials =
    auth?.username !== undefined && auth.username !== ''
      ? { username: auth.username, password: auth.password ?? '' }
      : undefined;
  const stream = new MessageStream(call.res);
  // dockerd answers 200 first: an image that is not there is the stream's error line (measured).
  stream.begin();
  try {
    // The first line comes before dockerd looks for the image (measured: a missing tag is
    // "The push refers to repository […]", then "tag does not exist: …").
    stream.write({ status: `The push refers to repository [${familiarRepo(repo)}]` });
    const names = tagsToPush(call, repo, call.query.get('tag') ?? ref.tag ?? '');
    for (const name of names) {
      const configId = shortId(call.engine.root.images.get(name)?.config.digest ?? '');
      const result = await push(call.engine.root, name, name, {
        ...(credentials === undefined ? {} : { credentials }),
        onProgress: (event) => {
          // dockerd shows layers only; the config blob goes up without a line of its own.
          if (event.kind === 'layer' && event.id === configId) return;
          const m = toMessage(event, name);
          if (m !== undefined) stream.write(m);
        },
      });
      // The registry names the pushed manifest now: it is this name's RepoDigest from here on.
      const pushed = call.engine.root.images.get(name);
      if (pushed !== undefined) await call.engine.root.images.put({ ...pushed, target: pushed.manifest });
      const tag = parseReference(name).tag ?? 'latest';
      stream.write({ status: `${tag}: digest: ${result.digest} size: ${result.size}` });
      stream.write({ progressDetail: {}, aux: { Tag: tag, Digest: result.digest, Size: result.size } });
      call.engine.events.image('push', familiar(name), familiarRepo(repo));
    }
    stream.end();
  } catch (error) {
    stream.end(error);
  }
}

export const routes: Route[] = [{ method: 'POST', path: '/images/{name*}/push', handler: pushImage }];
