import type { JsonObject, JsonValue } from '../../model/json.ts';
import type { BlockMark, Message } from '../../model/message.ts';
import { DOCKER_CONTEXTS, type DockerContext } from '../../model/platform.ts';
import type { Profile } from '../../model/trace.ts';
import type { HostFiles } from '../../ports/hostFiles.ts';
import type { Wire } from '../../wire/wire.ts';
import type { Sessions } from './session.ts';
import type { Effect } from '../operation.ts';
import { draft } from '../post.ts';

/**
 * The docker CLI's side of a command: it turns arguments into Engine API requests
 * (docker/cli's client package), prints what the daemon answers, and exits with a status.
 */

/** The API version docker CLI 28.2.2 speaks (moby v28.2.2 api/common.go DefaultVersion). */
export const CLIENT_API_VERSION = '1.50';

/**
 * The version the client settles on: the lower of its own and the `Api-Version` the daemon's
 * `_ping` answered (moby v28.2.2 client/client.go negotiateAPIVersionPing).
 */
export function negotiatedVersion(server: string | undefined): string {
  if (server === undefined || server === '') return CLIENT_API_VERSION;
  const [a = 0, b = 0] = server.split('.').map(Number);
  const [c = 0, e = 0] = CLIENT_API_VERSION.split('.').map(Number);
  return a < c || (a === c && b < e) ? server : CLIENT_API_VERSION;
}

export interface ApiCall {
  op: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  target?: string;
  query?: Record<string, string>;
  body?: JsonObject;
  /** A diagram block this request opens or closes (the seeds' `alt 镜像不存在`). */
  block?: BlockMark;
  /** Paths the client dials as given, with no API version (`/session`, `/grpc`). */
  unversioned?: boolean;
  /** Request headers worth showing (a hijack's Upgrade, BuildKit's session headers). */
  headers?: Record<string, string>;
  /** A query key given more than once (`names=a&names=b`): its values, after `query`'s keys. */
  repeated?: { key: string; values: string[] };
}

/**
 * `GET /containers/{name}/json`: what docker/cli asks first of a container named on the command
 * line, so that "No such container" comes before anything else goes wrong.
 */
export function inspectContainer(target: string): ApiCall {
  return { op: 'api.containers.inspect', method: 'GET', path: `/containers/${target}/json`, target };
}

/** `POST /containers/{id}/attach` of both output streams, as docker/cli attaches before a start. */
export function attachContainer(id: string): ApiCall {
  return {
    op: 'api.containers.attach',
    method: 'POST',
    path: `/containers/${id}/attach`,
    target: id,
    query: { stderr: '1', stdout: '1', stream: '1' },
  };
}

/** `POST /containers/{id}/start`. */
export function startContainer(id: string): ApiCall {
  return { op: 'api.containers.start', method: 'POST', path: `/containers/${id}/start`, target: id };
}

export class Cli {
  exitCode = 0;
  /** The API version of every versioned path, settled by the command's `_ping` (negotiate). */
  apiVersion = CLIENT_API_VERSION;

  constructor(
    readonly wire: Wire,
    readonly now: () => number,
    /** The current docker context: its socket's owner receives every request (model/platform.ts). */
    readonly context: DockerContext = DOCKER_CONTEXTS.linux,
    /** Which engine the CLI talks to: with Engine 29, `docker build` is buildx's (BuildKit). */
    readonly profile: Profile = 'v29',
    /** The host's files (the build context). */
    readonly files?: HostFiles,
    /** BuildKit sessions this CLI serves (buildx): shared directories and the progress it prints. */
    readonly sessions: Sessions = new Map(),
  ) {}

  /**
   * A gRPC call over a hijacked `/grpc` connection: dockerd hands the stream to BuildKit, so
   * the request goes to the builder itself (moby.buildkit.v1.Control).
   */
  grpc(op: string, call: string, payload: JsonObject, post = false): Effect {
    const d = draft('CLI', 'Builder', op, call, { payload });
    return post ? { kind: 'post', draft: d } : { kind: 'call', draft: d };
  }

  /** Reads the daemon's API version from the `_ping` reply and settles on the lower one. */
  negotiate(ping: Message): void {
    this.apiVersion = negotiatedVersion(ping.narration.params?.version?.toString());
  }

  call(c: ApiCall): Effect {
    return { kind: 'call', draft: this.request(c) };
  }

  /** Post without waiting (docker/cli's wait goroutine): resume with the request id. */
  post(c: ApiCall): Effect {
    return { kind: 'post', draft: this.request(c) };
  }

  private request(c: ApiCall) {
    const pairs = [
      ...Object.entries(c.query ?? {}),
      ...(c.repeated?.values ?? []).map((v): [string, string] => [c.repeated?.key ?? '', v]),
    ];
    const qs = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    const path = c.op === 'api.ping' || c.unversioned ? c.path : `/v${this.apiVersion}${c.path}`;
    const payload: JsonObject = { method: c.method, path, query: c.query ?? {} };
    if (c.headers) payload.headers = c.headers;
    if (c.repeated) payload[c.repeated.key] = c.repeated.values;
    if (c.target !== undefined) payload.target = c.target;
    if (c.body !== undefined) payload.body = c.body;
    const fidelity = c.op === 'api.ping' && this.context.fidelity ? { fidelity: this.context.fidelity } : {};
    return draft('CLI', this.context.endpoint, c.op, `${c.method} ${path}${qs ? `?${qs}` : ''}`, {
      payload,
      ...(c.block ? { block: c.block } : {}),
      ...fidelity,
    });
  }

  out(text: string): void {
    if (text) this.wire.output('stdout', text.endsWith('\n') ? text : `${text}\n`);
  }

  err(text: string): void {
    if (text) this.wire.output('stderr', text.endsWith('\n') ? text : `${text}\n`);
  }

  /** An error the command does not go on from: its text on stderr, exit status 1. */
  fail(text: string): void {
    this.err(text);
    this.exitCode = 1;
  }

  /** `Error response from daemon: …` as docker/cli prints a daemon error. */
  daemonError(reply: Message, prefix = ''): string {
    const body = (reply.payload ?? {}) as JsonObject;
    return `${prefix}Error response from daemon: ${String(body.message ?? reply.call)}`;
  }
}

export function asReply(value: unknown): Message {
  if (typeof value === 'object' && value !== null && 'seq' in value) return value as Message;
  throw new Error('cli: expected a reply from dockerd');
}

export function bodyOf(reply: Message): JsonValue {
  return reply.payload ?? null;
}
