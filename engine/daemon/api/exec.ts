// `docker exec`, `docker top`, `docker stats` and the resize endpoints, served through the
// machines (src/layers/dockerd/ops/exec.ts, containerTop.ts, containerStats.ts). What stays here
// is the router's part (moby v20.10.24 api/server/router/container/exec.go): the bodies decoded
// first (an empty body is "got EOF while reading request body", a create without Cmd "No exec
// command specified", both 400), and the exec's hijacked connection. dockerd hijacks before it
// starts the process: `101 UPGRADED` (or `200 OK` without an upgrade), `raw-stream` with a TTY,
// else — API 1.42 and later — the multiplexed stream of stdcopy frames; the output as it comes
// (engine/real/execStreams.ts), the client's bytes as the exec's stdin; a start that fails writes
// its error into the stream, ended with CR LF; the connection closes once the process has exited
// and its output is drained.
import type { Socket } from 'node:net';
import type { Message } from '../../../src/model/message.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../src/model/json.ts';
import { attachChunk } from '../../logs/index.ts';
import { execStreams } from '../../real/execStreams.ts';
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { throughMachines, type Prepared } from '../gateway.ts';
import { readBody, sendJson } from '../http.ts';
import { API_VERSION } from '../router.ts';

/**
 * `docker stats` without --no-stream: the frames go out as the collector makes them, one JSON
 * value per line, until the client goes away (moby api/server/router/container/container_routes.go
 * getContainersStats, daemon/stats.go); with `stream=0` one JSON answer.
 */
const statsStream = throughMachines({
  op: 'api.containers.stats',
  target: 'name',
  answer: 'raw',
  rawType: 'application/json',
});
const statsOnce = throughMachines({ op: 'api.containers.stats', target: 'name', answer: 'values' });
const streamed = (call: Call): boolean => !['0', 'false'].includes(call.query.get('stream') ?? '1');

/** How long dockerd waits for an exited exec's streams to drain (container/stream Wait). */
const DRAIN_MS = 2_000;

/**
 * The body of a request that asks to upgrade: Node hands such a request over before its body,
 * which is still on the socket (Content-Length bytes); what follows it is the client's stream,
 * left there, paused, for the exec's stdin.
 */
function upgradeBody(socket: Socket, length: number): Promise<Buffer> {
  if (length === 0) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let got = 0;
    const done = (rest: Buffer | undefined): void => {
      socket.off('data', onData);
      socket.off('error', reject);
      socket.pause();
      if (rest !== undefined && rest.length > 0) socket.unshift(rest);
      resolve(Buffer.concat(parts));
    };
    const onData = (chunk: Buffer): void => {
      const need = length - got;
      parts.push(chunk.subarray(0, need));
      got += Math.min(need, chunk.length);
      if (got >= length) done(chunk.subarray(need));
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

async function jsonBody(call: Call): Promise<JsonObject> {
  const length = Number(call.req.headers['content-length'] ?? 0);
  const upgrade = (call.req.headers.upgrade ?? '') !== '';
  if (length > 1 << 20) throw badRequest(`request body is larger than ${1 << 20} bytes`);
  const raw = upgrade ? await upgradeBody(call.req.socket, length) : await readBody(call.req, 1 << 20);
  const text = raw.toString('utf8');
  if (text.trim() === '') throw badRequest('got EOF while reading request body');
  let body: JsonValue;
  try {
    // JSON.parse only makes JSON values.
    body = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : String(error));
  }
  if (!isJsonObject(body)) throw badRequest('json: cannot unmarshal the body into an exec config object');
  return body;
}

async function createBody(call: Call): Promise<Prepared> {
  const body = await jsonBody(call);
  if (!Array.isArray(body.Cmd) || body.Cmd.length === 0) throw badRequest('No exec command specified');
  return { body };
}

const minor = (v: string): number => Number(v.split('.')[1] ?? 0);

/** One exec's hijacked connection: its head, its output, its end. */
class ExecConnection {
  private opened = false;

  constructor(
    private readonly call: Call,
    private readonly tty: boolean,
  ) {}

  private get id(): string {
    return this.call.params.name ?? '';
  }

  /** The operation has begun: the connection is dockerd's stream from now on. */
  open(): void {
    const { req } = this.call;
    const socket = req.socket;
    const multiplexed = !this.tty && minor(this.call.version) >= 42;
    const type = `application/vnd.docker.${multiplexed ? 'multiplexed' : 'raw'}-stream`;
    const upgrade = (req.headers.upgrade ?? '') !== '';
    const head = upgrade
      ? `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${type}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n`
      : 'HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n';
    // The headers dockerd's middleware set are copied after the hijack (exec.go WriteSubset).
    const headers = `Api-Version: ${API_VERSION}\r\nDocker-Experimental: false\r\nOstype: linux\r\n`;
    socket.write(`${head}${headers}\r\n`);
    this.opened = true;
    const tasks = this.call.engine.world.tasks;
    // Without a TTY the streams are stdcopy frames whatever the content type says (20.10's
    // raw-stream carried them too): the client demultiplexes by its own TTY setting.
    if (tasks !== undefined)
      execStreams(tasks).hold(this.id, {
        write: (stream, chunk) => {
          if (!socket.destroyed) socket.write(attachChunk(stream, chunk, this.tty));
        },
        input: socket,
      });
  }

  /** The operation's reply: an error the stream carries, or the exit once the output is drained. */
  async finish(reply: Message): Promise<void> {
    const status = Number(reply.status ?? (reply.ok ? 200 : 500));
    const payload = isJsonObject(reply.payload) ? reply.payload : {};
    if (!this.opened) {
      sendJson(this.call.res, status, payload);
      return;
    }
    const socket = this.call.req.socket;
    const tasks = this.call.engine.world.tasks;
    if (typeof payload.error === 'string' || typeof payload.message === 'string') {
      const text = typeof payload.error === 'string' ? payload.error : `${String(payload.message)}\r\n`;
      socket.write(attachChunk('stdout', Buffer.from(text), this.tty));
    } else if (tasks !== undefined) {
      const drained = execStreams(tasks).ended(this.id);
      await Promise.race([drained, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
    }
    if (tasks !== undefined) execStreams(tasks).release(this.id);
    socket.end();
  }
}

async function execStart(call: Call): Promise<void> {
  const body = await jsonBody(call);
  const prepare = (): Prepared => ({ body });
  if (body.Detach === true) return throughMachines({ op: 'api.exec.start', target: 'name', prepare })(call);
  const connection = new ExecConnection(call, body.Tty === true);
  return throughMachines({
    op: 'api.exec.start',
    target: 'name',
    prepare,
    answer: 'hijack',
    begun: () => connection.open(),
    hijack: (_call, reply) => void connection.finish(reply),
  })(call);
}

const on = (op: string) => throughMachines({ op, target: 'name' });

export const routes: Route[] = [
  {
    method: 'POST',
    path: '/containers/{name*}/exec',
    handler: throughMachines({ op: 'api.containers.exec', target: 'name', prepare: createBody }),
  },
  { method: 'POST', path: '/exec/{name}/start', handler: execStart },
  { method: 'GET', path: '/exec/{name}/json', handler: on('api.exec.inspect') },
  { method: 'POST', path: '/exec/{name}/resize', handler: on('api.exec.resize') },
  { method: 'POST', path: '/containers/{name*}/resize', handler: on('api.containers.resize') },
  { method: 'GET', path: '/containers/{name*}/top', handler: on('api.containers.top') },
  {
    method: 'GET',
    path: '/containers/{name*}/stats',
    handler: (call) => (streamed(call) ? statsStream(call) : statsOnce(call)),
  },
];
