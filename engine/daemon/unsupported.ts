// The Engine API endpoints that Docker serves. Those this engine serves are routed first
// (router.ts); a request for any other (system df, builds, swarm, plugins, …) is
// answered as dockerd answers a request it does not support — errdefs.NotImplemented, HTTP 501
// (moby errdefs/http_helpers.go GetHTTPErrorStatusCode:
// https://github.com/moby/moby/blob/v20.10.24/errdefs/http_helpers.go) — with a text that says
// what this engine serves, so `docker ps` prints that instead of "page not found". A path that is
// in no Docker API stays dockerd's 404 "page not found" (router.ts).
// Paths and methods: the Engine API 1.44 reference, https://docs.docker.com/reference/api/engine/version/v1.44/
import { ApiError } from './errors.ts';

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/** `{x}` is one path segment; `{x*}` may hold slashes (moby's `{name:.*}`). */
const DOCKER_ENDPOINTS: readonly (readonly [Method, string])[] = [
  ['GET', '/containers/json'],
  ['POST', '/containers/create'],
  ['POST', '/containers/prune'],
  ['GET', '/containers/{id*}/json'],
  ['GET', '/containers/{id*}/top'],
  ['GET', '/containers/{id*}/logs'],
  ['GET', '/containers/{id*}/changes'],
  ['GET', '/containers/{id*}/export'],
  ['GET', '/containers/{id*}/stats'],
  ['GET', '/containers/{id*}/attach/ws'],
  ['GET', '/containers/{id*}/archive'],
  ['HEAD', '/containers/{id*}/archive'],
  ['PUT', '/containers/{id*}/archive'],
  ['GET', '/containers/{id*}/checkpoints'],
  ['POST', '/containers/{id*}/checkpoints'],
  ['DELETE', '/containers/{id*}/checkpoints/{checkpoint}'],
  ['POST', '/containers/{id*}/resize'],
  ['POST', '/containers/{id*}/start'],
  ['POST', '/containers/{id*}/stop'],
  ['POST', '/containers/{id*}/restart'],
  ['POST', '/containers/{id*}/kill'],
  ['POST', '/containers/{id*}/update'],
  ['POST', '/containers/{id*}/rename'],
  ['POST', '/containers/{id*}/pause'],
  ['POST', '/containers/{id*}/unpause'],
  ['POST', '/containers/{id*}/attach'],
  ['POST', '/containers/{id*}/wait'],
  ['POST', '/containers/{id*}/exec'],
  ['POST', '/containers/{id*}/copy'],
  ['DELETE', '/containers/{id*}'],
  ['POST', '/exec/{id}/start'],
  ['POST', '/exec/{id}/resize'],
  ['GET', '/exec/{id}/json'],
  ['GET', '/images/search'],
  ['POST', '/commit'],
  ['POST', '/build'],
  ['POST', '/build/prune'],
  ['POST', '/build/cancel'],
  ['GET', '/distribution/{name*}/json'],
  ['GET', '/networks'],
  ['POST', '/networks/create'],
  ['POST', '/networks/prune'],
  ['GET', '/networks/{id}'],
  ['DELETE', '/networks/{id}'],
  ['POST', '/networks/{id}/connect'],
  ['POST', '/networks/{id}/disconnect'],
  ['GET', '/volumes'],
  ['POST', '/volumes/create'],
  ['POST', '/volumes/prune'],
  ['GET', '/volumes/{name*}'],
  ['PUT', '/volumes/{name*}'],
  ['DELETE', '/volumes/{name*}'],
  ['GET', '/system/df'],
  ['POST', '/session'],
  ['POST', '/grpc'],
  ['GET', '/swarm'],
  ['POST', '/swarm/init'],
  ['POST', '/swarm/join'],
  ['POST', '/swarm/leave'],
  ['POST', '/swarm/update'],
  ['GET', '/swarm/unlockkey'],
  ['POST', '/swarm/unlock'],
  ['GET', '/nodes'],
  ['GET', '/nodes/{id}'],
  ['DELETE', '/nodes/{id}'],
  ['POST', '/nodes/{id}/update'],
  ['GET', '/services'],
  ['POST', '/services/create'],
  ['GET', '/services/{id}'],
  ['DELETE', '/services/{id}'],
  ['POST', '/services/{id}/update'],
  ['GET', '/services/{id}/logs'],
  ['GET', '/tasks'],
  ['GET', '/tasks/{id}'],
  ['GET', '/tasks/{id}/logs'],
  ['GET', '/secrets'],
  ['POST', '/secrets/create'],
  ['GET', '/secrets/{id}'],
  ['DELETE', '/secrets/{id}'],
  ['POST', '/secrets/{id}/update'],
  ['GET', '/configs'],
  ['POST', '/configs/create'],
  ['GET', '/configs/{id}'],
  ['DELETE', '/configs/{id}'],
  ['POST', '/configs/{id}/update'],
  ['GET', '/plugins'],
  ['GET', '/plugins/privileges'],
  ['POST', '/plugins/pull'],
  ['POST', '/plugins/create'],
  ['GET', '/plugins/{name*}/json'],
  ['DELETE', '/plugins/{name*}'],
  ['POST', '/plugins/{name*}/enable'],
  ['POST', '/plugins/{name*}/disable'],
  ['POST', '/plugins/{name*}/upgrade'],
  ['POST', '/plugins/{name*}/push'],
  ['POST', '/plugins/{name*}/set'],
];

function pattern(path: string): RegExp {
  const source = path.replace(/\{\w+(\*?)\}/g, (_m, star: string) => (star === '*' ? '.+' : '[^/]+'));
  return new RegExp(`^${source}$`);
}

const COMPILED = DOCKER_ENDPOINTS.map(([method, path]) => ({ method, pattern: pattern(path) }));

/** True when Docker's Engine API has this method and path (the `/v1.NN` prefix already taken off). */
export function isDockerEndpoint(method: string, path: string): boolean {
  return COMPILED.some((e) => e.method === method && e.pattern.test(path));
}

/**
 * What the engine answers for a Docker endpoint it does not serve. The words "not supported" let
 * `docker inspect NAME` go on to the next kind of object, as it does past a 404 (docker/cli
 * cli/command/system/inspect.go isErrSkippable), so it still finds an image.
 */
export function notImplemented(method: string, path: string): ApiError {
  return new ApiError(
    501,
    `not supported: the dockstep engine serves images (pull, push, images, inspect, history, tag, rmi, save, load, import, login, events) and containers (create, run, start, stop, kill, restart, pause, unpause, wait, rm, ps, inspect, logs, attach, exec, top, stats, rename, update, cp, diff, export, prune) and volumes (create, ls, inspect, rm, prune) and networks (create, ls, inspect, rm, connect, disconnect, prune) today, not ${method} ${path}`,
  );
}
