// The container endpoints the engine serves through the machines (gateway.ts): each is the
// dockerd machine's container operation (src/layers/dockerd/ops/container*.ts, queries.ts), whose
// containerd, shim and runc requests are real (engine/real/runtime.ts). What stays here is
// dockerd's decoding of a create body, which ends a create before any operation runs: a body
// that is not a JSON object is a 400 with Go's decoder text, as dockerd answers it.
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { throughMachines, type Prepared } from '../gateway.ts';
import { readJson } from '../http.ts';
import { parseLogsRequest } from '../../logs/index.ts';
import { isJsonObject, type JsonValue } from '../../../src/model/json.ts';

/** moby api/server/router/container/container_routes.go postContainersCreate: the body decoded first. */
async function createBody(call: Call): Promise<Prepared> {
  // JSON.parse only makes JSON values.
  const body = (await readJson(call.req, 4 << 20).catch(() => undefined)) as JsonValue | undefined;
  if (!isJsonObject(body)) throw badRequest('invalid JSON: the create body must be a JSON object');
  return { body };
}

const on = (op: string) => throughMachines({ op, target: 'name' });

/** dockerd refuses a logs query it cannot read before it looks for the container (getContainersLogs). */
function logsQuery(call: Call): Prepared {
  try {
    parseLogsRequest(call.query);
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : String(error));
  }
  return {};
}

export const routes: Route[] = [
  {
    method: 'POST',
    path: '/containers/create',
    handler: throughMachines({ op: 'api.containers.create', prepare: createBody }),
  },
  { method: 'GET', path: '/containers/json', handler: throughMachines({ op: 'api.containers.list' }) },
  { method: 'GET', path: '/containers/{name*}/json', handler: on('api.containers.inspect') },
  { method: 'POST', path: '/containers/{name*}/start', handler: on('api.containers.start') },
  { method: 'POST', path: '/containers/{name*}/stop', handler: on('api.containers.stop') },
  { method: 'POST', path: '/containers/{name*}/kill', handler: on('api.containers.kill') },
  { method: 'POST', path: '/containers/{name*}/restart', handler: on('api.containers.restart') },
  { method: 'POST', path: '/containers/{name*}/pause', handler: on('api.containers.pause') },
  { method: 'POST', path: '/containers/{name*}/unpause', handler: on('api.containers.unpause') },
  {
    method: 'POST',
    path: '/containers/{name*}/wait',
    handler: throughMachines({ op: 'api.containers.wait', target: 'name', early: true }),
  },
  { method: 'DELETE', path: '/containers/{name*}', handler: on('api.containers.delete') },
  {
    method: 'GET',
    path: '/containers/{name*}/logs',
    // API 1.42+ names the framed stream of a container without a TTY (moby httputils WriteLogStream).
    handler: throughMachines({
      op: 'api.containers.logs',
      target: 'name',
      prepare: logsQuery,
      answer: 'raw',
      rawType: 'application/vnd.docker.multiplexed-stream',
    }),
  },
];
