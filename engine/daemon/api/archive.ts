// `docker cp`'s endpoints (moby api/server/router/container/copy.go), served by the dockerd
// machine's operations (src/layers/dockerd/ops/containerArchive.ts) with dockerd's own work on
// the container's root file system done for real (engine/real/containerFiles.ts). HEAD answers
// the path's stat in the X-Docker-Container-Path-Stat header and no body (no Content-Type, as
// dockerd's); GET streams the tar; PUT unpacks the request's tar. A request without `path` is
// refused first, with dockerd's text (v-cp-archive.txt).
import type { Call, Route } from '../context.ts';
import { ApiError } from '../errors.ts';
import { throughMachines, type Prepared } from '../gateway.ts';

function needsPath(call: Call): Prepared {
  if ((call.query.get('path') ?? '') === '') throw new ApiError(400, 'bad parameter: pathcannot be empty');
  return {};
}

export const routes: Route[] = [
  {
    method: 'HEAD',
    path: '/containers/{name*}/archive',
    handler: throughMachines({
      op: 'api.containers.archive.head',
      target: 'name',
      prepare: needsPath,
      answer: 'raw',
      rawType: '',
    }),
  },
  {
    method: 'GET',
    path: '/containers/{name*}/archive',
    handler: throughMachines({
      op: 'api.containers.archive.get',
      target: 'name',
      prepare: needsPath,
      answer: 'raw',
      rawType: 'application/x-tar',
    }),
  },
  {
    method: 'PUT',
    path: '/containers/{name*}/archive',
    handler: throughMachines({
      op: 'api.containers.archive.put',
      target: 'name',
      prepare: needsPath,
      body: true,
    }),
  },
];
