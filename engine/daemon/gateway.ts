// The gateway: an Engine API request served by the layer machines. The request enters the
// engine's one world (engine/real/world.ts) as a message from the CLI participant, the dockerd
// machine runs the operation its op names (src/layers/dockerd/dockerdMachine.ts API_HANDLERS),
// and the operation's reply becomes the HTTP answer: its status, and its payload as the JSON body
// (an error's `{"message"}` included). A client that hangs up cancels the operation. Every
// endpoint that runs through the machines is one line in a route table that calls this.
// A route may check its request first (`prepare`: what the body carries, the credentials its
// session holds).
import { draft } from '../../src/layers/post.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src/model/json.ts';
import type { Credentials } from '../image/registry/auth.ts';
import type { Message } from '../../src/model/message.ts';
import { TarSink } from '../image/archive/tarSink.ts';
import { RawSink, RealSession } from '../real/session.ts';
import { saveTrace } from '../real/traces.ts';
import { GatewayCancelled } from '../real/world.ts';
import type { Call, Handler } from './context.ts';
import { StreamAnswer } from './gatewayStream.ts';
import { sendEmpty, sendJson, sendValues } from './http.ts';

/** How one endpoint's request becomes the operation's: its op, and the path parameter it names. */
export interface GatewayRoute {
  op: string;
  /** The path parameter the operation reads as its target (`name` in /images/{name}/tag). */
  target?: string;
  /** More of the request for the operation's payload (a repeated query parameter). */
  extra?: (call: Call) => JsonObject;
  /**
   * How the reply becomes the answer: `json` (the default) sends its payload; `archive` streams
   * a tar that the operation's real effects write as they run (session.archive), ended with the
   * small documents the reply carries (`{"archive": {path: document}}`); `messages` answers 200
   * with Docker's JSON message stream: with `live`, the lines the real effects tell as they run
   * first, then the rest of the reply's lines (an error is its last line; gatewayStream.ts);
   * `values` sends a successful reply's array as one JSON value per line, the stream Go's
   * json.Decoder reads value by value (`docker stats` without --no-stream), anything else as `json`.
   */
  answer?: 'json' | 'archive' | 'messages' | 'raw' | 'hijack' | 'values';
  /** A `hijack` answer: what the connection carries once the operation has answered 101 (attach.ts). */
  hijack?: (call: Call, reply: Message) => void;
  /** A `raw` answer's content type (the real effects write its bytes as they read them). */
  rawType?: string;
  /** A `messages` answer sends the real effects' lines as they happen (a push's progress). */
  live?: boolean;
  /** The operation reads the request's body (`docker load`'s archive) through its session. */
  body?: boolean;
  /**
   * What the engine adds to a successful answer: facts of its own host that no machine models
   * (`docker info`'s kernel, memory, root directory), over what the operation answered.
   */
  finish?: (payload: JsonValue) => JsonValue;
  /**
   * The answer's status line goes out as soon as the operation has begun and not failed at once,
   * its body when the reply comes: dockerd's wait writes 200 and flushes before it waits
   * (moby api/server/router/container/container_routes.go postContainersWait), and the docker
   * CLI starts the container only once it has that header.
   */
  early?: boolean;
  /**
   * A hijacked answer that begins before the operation's reply (exec start: dockerd hijacks the
   * connection, then starts the process): called, instead of `early`'s 200, once the operation
   * has begun and not failed at once; `hijack` then gets the reply, whatever its status.
   */
  begun?: (call: Call) => void;
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
  return { ...payload, ...route.extra?.(call) };
}

/**
 * The end of an archive answer: the reply's documents, then the tar's end. An error before any
 * byte was written is an HTTP error; after, the connection is cut, as dockerd's save does (the
 * client sees a broken tar, never a complete-looking one).
 */
async function answerArchive(call: Call, sink: TarSink, reply: Message): Promise<void> {
  const status = Number(reply.status ?? (reply.ok ? 200 : 500));
  const archive = isJsonObject(reply.payload) ? reply.payload.archive : undefined;
  if (status >= 400 || !isJsonObject(archive)) {
    if (sink.started) call.res.destroy();
    else sendJson(call.res, status >= 400 ? status : 500, reply.payload ?? { message: 'no archive' });
    return;
  }
  for (const [path, doc] of Object.entries(archive))
    await sink.document(path, Buffer.from(JSON.stringify(doc)));
  await sink.end();
}

/** The 200 header once the operation has begun without failing at once (its reply would be in by then). */
async function answerEarly(
  call: Call,
  delivered: Promise<void>,
  answered: () => boolean,
  begun?: (call: Call) => void,
): Promise<void> {
  await delivered;
  await new Promise((resolve) => setImmediate(resolve));
  if (answered() || call.res.headersSent) return;
  if (begun !== undefined) return begun(call);
  call.res.writeHead(200, { 'Content-Type': 'application/json' });
  call.res.flushHeaders();
}

/** A handler that serves the route through the machines. */
export function throughMachines(route: GatewayRoute): Handler {
  return async (call: Call): Promise<void> => {
    const { world, root } = call.engine;
    const prepared = (await route.prepare?.(call)) ?? {};
    const streamed = route.answer === 'messages' ? new StreamAnswer(call.res) : undefined;
    const session = new RealSession(root, {
      ...(prepared.credentials === undefined ? {} : { credentials: prepared.credentials }),
      ...(streamed === undefined || route.live !== true ? {} : { onProgress: streamed.live }),
    });
    const line = `${call.req.method ?? 'GET'} ${call.req.url ?? '/'}`;
    // The session is complete before the request enters the world: its effects may run at once.
    if (route.body === true) {
      session.body = call.req;
      session.tmpDir = call.engine.tmpDir;
    }
    if (route.answer === 'raw')
      session.raw = new RawSink(call.res, route.rawType ?? 'application/octet-stream');
    if (route.answer === 'archive')
      session.archive = new TarSink(call.res, () =>
        call.res.writeHead(200, { 'Content-Type': 'application/x-tar' }),
      );
    const request = world.request(
      line,
      draft('CLI', 'dockerd', route.op, line, { payload: requestPayload(call, route, prepared.body) }),
      session,
    );
    let answered = false;
    if (route.early === true || route.begun !== undefined)
      void answerEarly(call, world.deliveredTo(request.id), () => answered, route.begun);
    const hangUp = (): void => world.cancel(request.id);
    call.res.on('close', hangUp);
    let ok = false;
    try {
      const reply = await request.answer;
      answered = true;
      const status = Number(reply.status ?? (reply.ok ? 200 : 500));
      ok = status < 400;
      if (route.hijack !== undefined && (status === 101 || route.begun !== undefined))
        route.hijack(call, reply);
      else if (session.archive !== undefined) await answerArchive(call, session.archive, reply);
      else if (session.raw !== undefined && (session.raw.started || ok)) session.raw.end(ok);
      else if (streamed !== undefined) streamed.finish(reply);
      else if (call.res.headersSent) call.res.end(`${JSON.stringify(reply.payload ?? {})}\n`);
      else if (reply.payload === undefined) sendEmpty(call.res, status);
      else if (route.answer === 'values' && ok && Array.isArray(reply.payload))
        sendValues(call.res, reply.payload);
      else
        sendJson(
          call.res,
          status,
          ok && route.finish !== undefined ? route.finish(reply.payload) : reply.payload,
        );
    } catch (error) {
      // The client is gone: nobody reads an answer.
      if (!(error instanceof GatewayCancelled)) throw error;
    } finally {
      // A body the operation did not read (it failed first) is drained, not left hanging.
      if (route.body === true) call.req.resume();
      call.res.off('close', hangUp);
      // The last operation's trace, for `dockstep trace`.
      const entries = world.end(request.id);
      await saveTrace(root, { seed: 0, profile: 'v29', commands: [line], entries }).catch(() => undefined);
      await session.finish(ok);
    }
  };
}
