// The volume endpoints and the prunes, served by the dockerd machine's operations
// (src/layers/dockerd/ops/volumes.ts, volumeStore.ts): the local driver's directories are made
// and removed for real under the engine's root (engine/real/volumes.ts). And `docker rename`
// (ops/containerRename.ts), which touches no other layer. Paths as moby's routers have them
// (api/server/router/volume/volume.go, router/container/container.go).
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { throughMachines, type Prepared } from '../gateway.ts';
import { readJson } from '../http.ts';
import { isJsonObject, type JsonValue } from '../../../src/model/json.ts';

/** postVolumesCreate decodes its body first; an empty body is an empty create (a nameless volume). */
async function createBody(call: Call): Promise<Prepared> {
  // JSON.parse only makes JSON values.
  const body = (await readJson(call.req, 1 << 20)) as JsonValue | undefined;
  if (body === undefined || body === null) return { body: {} };
  if (!isJsonObject(body)) throw badRequest('invalid JSON: the create body must be a JSON object');
  return { body };
}

const on = (op: string) => throughMachines({ op, target: 'name' });

export const routes: Route[] = [
  { method: 'GET', path: '/volumes', handler: throughMachines({ op: 'api.volumes.list' }) },
  {
    method: 'POST',
    path: '/volumes/create',
    handler: throughMachines({ op: 'api.volumes.create', prepare: createBody }),
  },
  { method: 'POST', path: '/volumes/prune', handler: throughMachines({ op: 'api.volumes.prune' }) },
  { method: 'GET', path: '/volumes/{name}', handler: on('api.volumes.inspect') },
  { method: 'DELETE', path: '/volumes/{name}', handler: on('api.volumes.delete') },
  { method: 'POST', path: '/containers/prune', handler: throughMachines({ op: 'api.containers.prune' }) },
  { method: 'POST', path: '/containers/{name*}/rename', handler: on('api.containers.rename') },
];
