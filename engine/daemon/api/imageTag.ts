// POST /images/{name}/tag?repo=…&tag=…: `docker tag`, served by the machines (gateway.ts): the
// dockerd machine's imageTag operation (src/layers/dockerd/ops/images.ts) checks the new name,
// asks containerd for the image (Images.Get, or Images.List for an id), and writes the new name
// with Images.Create — the engine's image store, through containerd's storeImage effect — then
// publishes the `tag` event. 201 with no body.
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

export const routes: Route[] = [
  {
    method: 'POST',
    path: '/images/{name*}/tag',
    handler: throughMachines({ op: 'api.images.tag', target: 'name' }),
  },
];
