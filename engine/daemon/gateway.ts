// The gateway: an Engine API request served by the layer machines. The request enters the
// engine's one world (engine/real/world.ts) as a message from the CLI participant, the dockerd
// machine runs the operation its op names (src/layers/dockerd/dockerdMachine.ts API_HANDLERS),
// and the operation's reply becomes the HTTP answer: its status, and its payload as the JSON body
// (an error's `{"message"}` included). A client that hangs up cancels the operation. Every
// endpoint that runs through the machines is one line in a route table that calls this.
// A route may check its request first (`prepare`: what the body carries, the credentials its
// session holds), and may answer with a JSON-message stream (gatewayStream.ts).
import { draft } from '../../src/layers/post.ts';
import type { JsonObject } from '../../src/model/json.ts';
import type { Credentials } from '../image/registry/auth.ts';
import { RealSession } from '../real/session.ts';
import { saveTrace } from '../real/traces.ts';
import { GatewayCancelled } from '../real/world.ts';
import type { Call, Handler } from './context.ts';
import { StreamAnswer } from './gatewayStream.ts';
import { sendEmpty, sendJson } from './http.ts';

/** How one endpoint's request becomes the operation's: its op, and the path parameter it names. */
export interface GatewayRoute {
  op: string;
  /** The path parameter the operation reads as its target (`name` in /images/{name}/tag). */
  target?: string;
  /** The answer is a JSON-message stream whose lines go out as the real work tells them. */
  stream?: 'messages';
  /** Checks made before the request enters the machines (a refusal is thrown as an ApiError). */
  prepare?: (call: Call) => Promise<Prepared> | Prepared;
}

/** What a route's checks give the operation: the body it reads (no secret in it), the session's credentials. */
export interface Prepared {
  body?: JsonObject;
  credentials?: Credentials | undefined;
}

function requestPayload(call: Call, route: GatewayRoute, body: JsonObject | undefined): JsonObject {
  const url = new URL(call.req.url ?? '/', 'http://engine');
  const query: Record<string, string> = {};
  for (const [k, v] of call.query) query[k] = v;
  const payload: JsonObject = { method: call.req.method ?? 'GET', path: url.pathname, query };
  if (route.target !== undefined) payload.target = call.params[route.target] ?? '';
  if (body !== undefined) payload.body = body;
  return payload;
}

/** A handler that serves the route through the machines. */
export function throughMachines(route: GatewayRoute): Handler {
  return async (call: Call): Promise<void> => {
    const { world, root } = call.engine;
    const prepared = (await route.prepare?.(call)) ?? {};
    const streamed = route.stream === 'messages' ? new StreamAnswer(call.res) : undefined;
    const session = new RealSession(root, { ...(prepared.credentials === undefined ? {} : { credentials: prepared.credentials }), ...(streamed === undefined ? {} : { onProgress: streamed.live }) });
    const line = `${call.req.method ?? 'GET'} ${call.req.url ?? '/'}`;
    const request = world.request(line, draft('CLI', 'dockerd', route.op, line, { payload: requestPayload(call, route, prepared.body) }), session);
    const hangUp = (): void => world.cancel(request.id);
    call.res.on('close', hangUp);
    let ok = false;
    try {
      const reply = await request.answer;
      const status = Number(reply.status ?? (reply.ok ? 200 : 500));
      ok = status < 400;
      if (streamed !== undefined) streamed.finish(reply);
      else if (reply.payload === undefined) sendEmpty(call.res, status);
      else sendJson(call.res, status, reply.payload);
    } catch (error) {
      // The client is gone: nobody reads an answer.
      if (!(error instanceof GatewayCancelled)) throw error;
    } finally {
      call.res.off('close', hangUp);
      // The last operation's trace, for `dockstep trace`.
      const entries = world.end(request.id);
      await saveTrace(root, { seed: 0, profile: 'v29', commands: [line], entries }).catch(() => undefined);
      await session.finish(ok);
    }
  };
}
