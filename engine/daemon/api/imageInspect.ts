// GET /images/{name}/json: `docker image inspect`, served by the machines (gateway.ts): the
// dockerd machine's imageInspect operation (src/layers/dockerd/ops/images.ts) asks containerd
// for the image and every name of its target, and answers the fields of API 1.44 as dockerd
// 20.10 prints them; GraphDriver names the snapshotter and the layer directories.
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

export const routes: Route[] = [
  {
    method: 'GET',
    path: '/images/{name*}/json',
    handler: throughMachines({ op: 'api.images.inspect', target: 'name' }),
  },
];
