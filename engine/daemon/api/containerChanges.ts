// `docker diff`: GET /containers/{id}/changes (moby api/server/router/container/container_routes.go
// getContainersChanges), served by the dockerd machine's operation
// (src/layers/dockerd/ops/containerChanges.ts), the Storage participant walking the container's
// snapshot for real (engine/real/snapshotChanges.ts). The answer is the JSON list of
// {"Path","Kind"}; a container that changed nothing answers `[]`.
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

export const routes: Route[] = [
  {
    method: 'GET',
    path: '/containers/{name*}/changes',
    handler: throughMachines({ op: 'api.containers.changes', target: 'name' }),
  },
];
