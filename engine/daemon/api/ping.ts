// GET and HEAD /_ping: the first call of every docker command. The client reads API-Version
// from the headers to negotiate; GET answers "OK", HEAD nothing (moby api/server/router/system
// pingHandler: Cache-Control no-cache, Pragma no-cache, text/plain).
import type { Call, Route } from '../context.ts';

function ping(call: Call): void {
  call.res.writeHead(200, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    Pragma: 'no-cache',
    'Content-Length': call.req.method === 'HEAD' ? 0 : 2,
  });
  call.res.end(call.req.method === 'HEAD' ? undefined : 'OK');
}

export const routes: Route[] = [
  { method: 'GET', path: '/_ping', handler: ping },
  { method: 'HEAD', path: '/_ping', handler: ping },
];
