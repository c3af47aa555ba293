// `docker update` (moby api/server/router/container/container_routes.go postContainerUpdate):
// the body decoded first (a body that is not a JSON object is a 400), then the dockerd
// machine's operation (src/layers/dockerd/ops/containerUpdate.ts), whose Tasks.Update reaches
// the real shim's Update, which runs `runc update` on the container's cgroup.
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { throughMachines, type Prepared } from '../gateway.ts';
import { readJson } from '../http.ts';
import { isJsonObject, type JsonValue } from '../../../src/model/json.ts';

async function updateBody(call: Call): Promise<Prepared> {
  // JSON.parse only makes JSON values.
  const body = (await readJson(call.req, 1 << 20)) as JsonValue | undefined;
  if (!isJsonObject(body)) throw badRequest('invalid JSON: the update body must be a JSON object');
  return { body };
}

export const routes: Route[] = [
  {
    method: 'POST',
    path: '/containers/{name*}/update',
    handler: throughMachines({ op: 'api.containers.update', target: 'name', prepare: updateBody }),
  },
];
