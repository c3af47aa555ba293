// POST /images/{name}/tag?repo=…&tag=…: `docker tag`. 201 with no body; the new name points at
// the same records (target, manifest, layers) — a name, not a copy. A `tag` event follows with
// the image id as actor and the new familiar name (moby daemon/images/image_tag.go).
import { formatReference, repositoryOf } from '../../image/reference.ts';
import { referencesOf } from '../../image/store/imageStore.ts';
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { sendEmpty } from '../http.ts';
import { familiar, findImage, localTarget, reference } from '../names.ts';

async function tag(call: Call): Promise<void> {
  const repo = call.query.get('repo') ?? '';
  const tagText = call.query.get('tag') ?? '';
  if (repo === '') throw badRequest('repository name is required');
  // dockerd's own text for a bad tag (measured on 20.10, which answers it with a 500).
  if (tagText !== '' && !/^[\w][\w.-]{0,127}$/.test(tagText)) throw badRequest('invalid tag format');
  const ref = reference(tagText === '' ? repo : `${repositoryOf(reference(repo))}:${tagText}`);
  if (ref.digest !== undefined) throw badRequest('refusing to create a tag with a digest reference');
  const found = findImage(call.engine.root, call.params['name'] ?? '');
  const source = found.named ?? found.records[0];
  if (source === undefined) return;
  const name = formatReference(ref);
  const { root } = call.engine;
  const replaced = root.images.get(name);
  await root.images.put({
    ...source,
    name,
    target: localTarget(source.target, 'tag'),
    createdAt: new Date().toISOString(),
  });
  // The image the name left has no name now: this store keeps no <none> images, so it goes.
  if (replaced !== undefined && replaced.config.digest !== found.id)
    await root.release(referencesOf(replaced));
  call.engine.events.image('tag', found.id, familiar(name));
  sendEmpty(call.res, 201);
}

export const routes: Route[] = [{ method: 'POST', path: '/images/{name*}/tag', handler: tag }];
