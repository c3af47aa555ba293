// The network endpoints, served by the dockerd machine's operations (src/layers/dockerd/ops/
// networks.ts, networkConnect.ts, systemPrune.ts): the bridges of user-defined networks are made
// and removed for real by the Network machine's effects (engine/real/networkUser.ts). Paths as
// moby's router has them (v20.10.24 api/server/router/network/network.go).
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { throughMachines, type Prepared } from '../gateway.ts';
import { readJson } from '../http.ts';
import { isJsonObject, type JsonValue } from '../../../src/model/json.ts';

/** The request's JSON body (an empty one is `{}`); anything but an object is dockerd's 400. */
async function jsonBody(call: Call): Promise<Prepared> {
  // JSON.parse only makes JSON values.
  const body = (await readJson(call.req, 1 << 20)) as JsonValue | undefined;
  if (body === undefined || body === null) return { body: {} };
  if (!isJsonObject(body)) throw badRequest('invalid JSON: the request body must be a JSON object');
  return { body };
}

const on = (op: string) => throughMachines({ op, target: 'id' });

export const routes: Route[] = [
  { method: 'GET', path: '/networks', handler: throughMachines({ op: 'api.networks.list' }) },
  {
    method: 'POST',
    path: '/networks/create',
    handler: throughMachines({ op: 'api.networks.create', prepare: jsonBody }),
  },
  { method: 'POST', path: '/networks/prune', handler: throughMachines({ op: 'api.networks.prune' }) },
  { method: 'GET', path: '/networks/{id}', handler: on('api.networks.inspect') },
  { method: 'DELETE', path: '/networks/{id}', handler: on('api.networks.delete') },
  {
    method: 'POST',
    path: '/networks/{id}/connect',
    handler: throughMachines({ op: 'api.networks.connect', target: 'id', prepare: jsonBody }),
  },
  {
    method: 'POST',
    path: '/networks/{id}/disconnect',
    handler: throughMachines({ op: 'api.networks.disconnect', target: 'id', prepare: jsonBody }),
  },
];
