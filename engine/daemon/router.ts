// Request routing as dockerd's server does it (moby api/server/server.go, middleware/version.go):
// an optional `/v1.NN` prefix, checked against the supported range (1.24..1.44; a higher one is
// 400 "client version X is too new. Maximum supported API version is 1.44"); an unknown path
// or a known path with the wrong method → 404 `{"message":"page not found"}` (measured on
// dockerd 20.10: a PUT on /images/json is 404 too); a Docker endpoint this engine does not serve
// (containers, networks, volumes, …) → 501, dockerd's answer to an unsupported request
// (unsupported.ts). Every answer carries Api-Version, Ostype,
// Docker-Experimental and Server headers, as dockerd's middleware adds them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors.ts';
import type { Call, Engine, Route } from './context.ts';
import { sendError } from './http.ts';
import { isDockerEndpoint, notImplemented } from './unsupported.ts';

export const API_VERSION = '1.44';
export const MIN_API_VERSION = '1.24';
export const SERVER = 'dockstep/0.1 (linux)';

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.path
    .replace(/[.]/g, '\\.')
    .replace(/\{(\w+)(\*?)\}/g, (_, name: string, star: string) => {
      names.push(name);
      return star === '*' ? '(.+?)' : '([^/]+)';
    });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

function versionNumber(v: string): number {
  const [major, minor] = v.split('.').map(Number);
  return (major ?? 0) * 1000 + (minor ?? 0);
}

export function checkVersion(v: string): void {
  if (versionNumber(v) > versionNumber(API_VERSION))
    throw new ApiError(
      400,
      `client version ${v} is too new. Maximum supported API version is ${API_VERSION}`,
    );
  if (versionNumber(v) < versionNumber(MIN_API_VERSION))
    throw new ApiError(
      400,
      `client version ${v} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    );
}

export class Router {
  private readonly routes: Compiled[];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map(compile);
  }

  async handle(engine: Engine, req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Api-Version', API_VERSION);
    res.setHeader('Ostype', 'linux');
    res.setHeader('Docker-Experimental', 'false');
    res.setHeader('Server', SERVER);
    try {
      const url = new URL(req.url ?? '/', 'http://engine');
      const m = /^\/v(\d+\.\d+)(\/.*)$/.exec(url.pathname);
      const version = m?.[1] ?? API_VERSION;
      const path = m?.[2] ?? url.pathname;
      const method = req.method ?? 'GET';
      const found = this.match(method, path);
      if (found === undefined) {
        if (isDockerEndpoint(method, path)) {
          checkVersion(version);
          throw notImplemented(method, path);
        }
        for (const h of ['Api-Version', 'Ostype', 'Docker-Experimental', 'Server']) res.removeHeader(h);
        throw new ApiError(404, 'page not found');
      }
      checkVersion(version);
      const call: Call = { engine, req, res, params: found.params, query: url.searchParams, version };
      await found.route.handler(call);
    } catch (error) {
      sendError(res, error);
    }
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const c of this.routes) {
      if (c.route.method !== method) continue;
      const m = c.pattern.exec(path);
      if (m === null) continue;
      const params: Record<string, string> = {};
      try {
        c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')));
      } catch {
        throw new ApiError(400, `invalid escape in path ${JSON.stringify(path)}`);
      }
      return { route: c.route, params };
    }
    return undefined;
  }
}
