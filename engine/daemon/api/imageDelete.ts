// DELETE /images/{name}?force&noprune: `docker rmi`, served by the machines (gateway.ts): the
// dockerd machine's imageDelete operation answers as dockerd 20.10 does
// (src/layers/dockerd/ops/imageDeleteRefs.ts: untag by name, the repository's digest names with
// its last tag, the image with its last name; by id with the "referenced in multiple
// repositories" conflict), and removes each name with containerd's synchronous Images.Delete:
// the engine's image store, then its garbage collector (image/gc.ts), whose removed layers are
// the answer's "Deleted" chain ids. `noprune` has nothing to keep here: this store has no parent
// images.
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

export const routes: Route[] = [
  {
    method: 'DELETE',
    path: '/images/{name*}',
    handler: throughMachines({ op: 'api.images.delete', target: 'name' }),
  },
];
