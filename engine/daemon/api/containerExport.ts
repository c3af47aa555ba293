// `docker export`: GET /containers/{id}/export (moby api/server/router/container/container_routes.go
// getContainersExport), served by the dockerd machine's operation
// (src/layers/dockerd/ops/containerArchive.ts containerExport) with the tar of the container's
// root written for real as it is read (engine/real/containerExport.ts). dockerd sets no content
// type: Go's sniffing of a tar answers application/octet-stream (y-diff-export-import.txt).
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

export const routes: Route[] = [
  {
    method: 'GET',
    path: '/containers/{name*}/export',
    handler: throughMachines({
      op: 'api.containers.export',
      target: 'name',
      answer: 'raw',
      rawType: 'application/octet-stream',
    }),
  },
];
