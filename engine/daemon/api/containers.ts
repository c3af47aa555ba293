// The container endpoints the engine serves through the machines (gateway.ts): each is the
// dockerd machine's container operation (src/layers/dockerd/ops/container*.ts, queries.ts), whose
// containerd, shim and runc requests are real (engine/real/runtime.ts). What stays here is
// dockerd's decoding of a create body (createBody.ts), which ends a create before any operation
// runs, with dockerd's status and Go's decoder text.
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { throughMachines, type Prepared } from '../gateway.ts';
import { parseLogsRequest } from '../../logs/index.ts';
import { withContainerPaths } from './containerInspect.ts';
import { decodeCreateBody } from './createBody.ts';

/** moby api/server/router/container/container_routes.go postContainersCreate: the body decoded first. */
async function createBody(call: Call): Promise<Prepared> {
  return { body: await decodeCreateBody(call.req) };
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
  {
    method: 'GET',
    path: '/containers/{name*}/json',
    handler: (call) =>
      throughMachines({
        op: 'api.containers.inspect',
        target: 'name',
        finish: (answered) => withContainerPaths(call.engine, answered),
      })(call),
  },
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
