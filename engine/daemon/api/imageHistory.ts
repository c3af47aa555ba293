// GET /images/{name}/history: `docker history`, served by the machines (gateway.ts): the dockerd
// machine's imageHistory operation (src/layers/dockerd/ops/images.ts) asks containerd for the
// image (Images.Get, or Images.List for an id) and for every name of its target (Images.List,
// the top row's tags), and answers newest first: each config history entry one row, an
// empty_layer row of size 0, the others the unpacked size of the next layer; only the top row
// carries the image id and its tags, the rest are "<missing>" (moby daemon/images/image_history.go).
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

export const routes: Route[] = [
  {
    method: 'GET',
    path: '/images/{name*}/history',
    handler: throughMachines({ op: 'api.images.history', target: 'name' }),
  },
];
