// GET /images/json?all&filters: `docker images`, served by the machines (gateway.ts): the
// dockerd machine's imageList operation (src/layers/dockerd/ops/images.ts) asks containerd for
// every image (Images.List: the engine's image store, each layer's unpacked size measured on
// disk) and answers one entry per image id with the fields of API 1.44 (VirtualSize is gone
// since 1.44; SharedSize and Containers are -1 unless asked for). Filters (JSON
// {"reference":[…],"dangling":["true"|"false"],"label":[…]}) as dockerd's image list reads them
// (src/layers/dockerd/ops/imageFilters.ts); a malformed filters parameter is 400.
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

export const routes: Route[] = [
  { method: 'GET', path: '/images/json', handler: throughMachines({ op: 'api.images.list' }) },
];
