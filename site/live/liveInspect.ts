import type { JsonObject, JsonValue } from '../../src/model/json.ts';
import type { Message } from '../../src/model/message.ts';

/**
 * What the live inspector shows of a real message, read from what the engine's trace carries:
 * an Engine API request as HTTP (method, path, query, body) with dockerd's answer; a call to the
 * shim as its ttrpc request, decoded from protobuf; a runc call with the argv runc really ran
 * with and its exit status (the reply's, as the runc recorder logged them).
 */
export interface Inspected {
  /** `http`, `ttrpc`, `runc` or `message`: which of the page's views fits. */
  kind: 'http' | 'ttrpc' | 'runc' | 'message';
  request?: Message;
  reply?: Message;
  /** The HTTP request line (`GET /v1.44/containers/json?all=1`). */
  requestLine?: string;
  body?: JsonValue;
  argv?: string[];
  exitStatus?: number;
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

function requestLine(p: JsonObject): string | undefined {
  if (typeof p.method !== 'string' || typeof p.path !== 'string') return undefined;
  const query = asObject(p.query);
  const pairs = query === undefined ? [] : Object.entries(query).map(([k, v]) => `${k}=${String(v)}`);
  return `${p.method} ${p.path}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`;
}

/** The request and the reply of the exchange `m` is part of, among the messages the page kept. */
export function exchangeOf(m: Message, messages: readonly Message[]): { request?: Message; reply?: Message } {
  if (m.kind === 'reply') {
    const request = messages.find((r) => r.id === m.inReplyTo && r.kind === 'request');
    return request === undefined ? { reply: m } : { request, reply: m };
  }
  const reply = messages.find((r) => r.kind === 'reply' && r.inReplyTo === m.id);
  return reply === undefined ? { request: m } : { request: m, reply };
}

export function inspect(m: Message, messages: readonly Message[]): Inspected {
  const { request, reply } = exchangeOf(m, messages);
  const base = { ...(request ? { request } : {}), ...(reply ? { reply } : {}) };
  const first = request ?? m;
  const p = asObject(first.payload) ?? {};
  const line = requestLine(p);
  if (first.to === 'dockerd' && first.from === 'CLI' && line !== undefined)
    return { kind: 'http', ...base, requestLine: line, ...(p.body === undefined ? {} : { body: p.body }) };
  if (first.to === 'runc' || first.from === 'runc') {
    const seen = asObject(reply?.payload);
    const argv = Array.isArray(seen?.argv) ? seen.argv.map(String) : undefined;
    const exit = typeof seen?.exitStatus === 'number' ? seen.exitStatus : undefined;
    return {
      kind: 'runc',
      ...base,
      ...(argv === undefined ? {} : { argv }),
      ...(exit === undefined ? {} : { exitStatus: exit }),
    };
  }
  if (first.to === 'shim' || first.from === 'shim') return { kind: 'ttrpc', ...base };
  return { kind: 'message', ...base };
}

/** Messages offered for inspection: the newest ones, as the diagram draws them. */
const LISTED = 40;

/** The messages the inspector lists: the newest LISTED, and the one picked when it is older (it stays listed). */
export function listedOf(messages: readonly Message[], picked: Message | undefined): Message[] {
  const listed = messages.slice(-LISTED);
  return picked === undefined || listed.some((m) => m.id === picked.id) ? listed : [picked, ...listed];
}
