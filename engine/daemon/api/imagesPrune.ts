// POST /images/prune?filters=…: `docker image prune [-a]`, served by the machines (gateway.ts):
// the dockerd machine's imagePrune operation (src/layers/dockerd/ops/imagePrune.ts) removes each
// chosen image name by name as `docker rmi` does (containerd's synchronous Images.Delete and its
// garbage collector) and answers {"ImagesDeleted", "SpaceReclaimed"}, as dockerd 20.10 does
// (test/fixtures/real-engine/m-image-prune.txt), with one `prune` event.
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

export const routes: Route[] = [
  { method: 'POST', path: '/images/prune', handler: throughMachines({ op: 'api.images.prune' }) },
];
