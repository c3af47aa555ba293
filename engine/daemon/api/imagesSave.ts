// GET /images/get?names=a&names=b and GET /images/{name}/get: `docker save`, served by the
// machines (gateway.ts): the dockerd machine's imageSave operation
// (src/layers/dockerd/ops/imageSave.ts) resolves every name before the 200 (an unknown one is a
// 404 `No such image` and no tarball), then reads each blob with containerd's Content.Read, whose
// real effect streams it from the content store into the answer's tar; the layout's documents
// end it. One `save` event per image.
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

const save = { op: 'api.images.get', answer: 'archive' as const };

export const routes: Route[] = [
  {
    method: 'GET',
    path: '/images/get',
    handler: throughMachines({ ...save, extra: (call) => ({ names: call.query.getAll('names') }) }),
  },
  { method: 'GET', path: '/images/{name*}/get', handler: throughMachines({ ...save, target: 'name' }) },
];
