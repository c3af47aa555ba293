import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';

/** The Engine API request as the CLI layer posts it: path parameter, query and JSON body. */
export interface ApiRequest {
  target: string;
  query: Record<string, string>;
  body: JsonObject;
}

export function apiRequest(msg: Message): ApiRequest {
  const p = (msg.payload ?? {}) as JsonObject;
  return {
    target: typeof p.target === 'string' ? p.target : '',
    query: (p.query ?? {}) as Record<string, string>,
    body: (p.body ?? {}) as JsonObject,
  };
}

export function asMessage(value: unknown): Message | undefined {
  return typeof value === 'object' && value !== null && 'seq' in value ? (value as Message) : undefined;
}
