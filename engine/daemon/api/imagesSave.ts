// GET /images/get?names=a&names=b and GET /images/{name}/get: `docker save`, an
// application/x-tar stream (archive/save.ts). Every name is resolved before the 200, so an
// unknown one is a 404 `No such image` and no tarball; one `save` event per image.
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { sendError } from '../http.ts';
import { findImage } from '../names.ts';
import { writeSave, type SaveImage } from '../archive/save.ts';

async function save(call: Call, names: string[]): Promise<void> {
  if (names.length === 0) throw badRequest('no image names given');
  const images = new Map<string, SaveImage>();
  for (const name of names) {
    const found = findImage(call.engine.root, name);
    const image = images.get(found.id) ?? { id: found.id, records: [] };
    // By id: every name of the image; by name: that name.
    const chosen = found.named === undefined ? found.records : [found.named];
    for (const r of chosen) if (!image.records.includes(r)) image.records.push(r);
    images.set(found.id, image);
  }
  const release = call.engine.root.lease(
    [...images.values()].flatMap((i) =>
      i.records.flatMap((r) => [r.manifest.digest, r.config.digest, ...r.layers.map((l) => l.digest)]),
    ),
  );
  call.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  try {
    await writeSave(call.res, call.engine.root, [...images.values()]);
    call.res.end();
    for (const i of images.values()) call.engine.events.image('save', i.id, i.id);
  } catch (error) {
    sendError(call.res, error);
  } finally {
    release();
  }
}

export const routes: Route[] = [
  { method: 'GET', path: '/images/get', handler: (call) => save(call, call.query.getAll('names')) },
  { method: 'GET', path: '/images/{name*}/get', handler: (call) => save(call, [call.params['name'] ?? '']) },
];
