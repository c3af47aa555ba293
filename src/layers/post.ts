import type { JsonValue } from '../model/json.ts';
import type { BlockMark, MessageDraft, TextRef } from '../model/message.ts';
import type { Participant } from '../model/participants.ts';

/**
 * Building message drafts. The narration key defaults to the op, so every op has a sentence in
 * the i18n catalogue (a test checks both languages have every key).
 */
export interface PostOptions {
  payload?: JsonValue;
  params?: Record<string, string | number>;
  status?: string;
  ok?: boolean;
  narration?: string;
  phase?: string;
  phaseParams?: Record<string, string | number>;
  fidelity?: string;
  block?: BlockMark;
}

export function draft(
  from: Participant,
  to: Participant,
  op: string,
  call: string,
  o: PostOptions = {},
): Omit<MessageDraft, 'kind'> {
  const narration: TextRef = { key: o.narration ?? op };
  if (o.params) narration.params = o.params;
  const d: Omit<MessageDraft, 'kind'> = { from, to, op, call, narration };
  if (o.payload !== undefined) d.payload = o.payload;
  if (o.status !== undefined) d.status = o.status;
  if (o.ok !== undefined) d.ok = o.ok;
  if (o.phase) d.phase = o.phaseParams ? { key: o.phase, params: o.phaseParams } : { key: o.phase };
  if (o.fidelity) d.fidelity = { key: o.fidelity };
  if (o.block) d.block = o.block;
  return d;
}

export function replyDraft(op: string | undefined, call: string, o: PostOptions = {}) {
  const narration: TextRef = { key: o.narration ?? `${op ?? 'reply'}.reply` };
  if (o.params) narration.params = o.params;
  const d: Omit<MessageDraft, 'kind' | 'from' | 'to' | 'op'> & { op?: string } = { call, narration };
  if (op !== undefined) d.op = op;
  if (o.payload !== undefined) d.payload = o.payload;
  if (o.status !== undefined) d.status = o.status;
  if (o.ok !== undefined) d.ok = o.ok;
  if (o.block) d.block = o.block;
  if (o.fidelity) d.fidelity = { key: o.fidelity };
  return d;
}

export function short(id: string): string {
  return id.slice(0, 12);
}

export function loopOpen(key: string, params?: Record<string, string | number>): BlockMark {
  return { open: { type: 'loop', label: params ? { key, params } : { key } } };
}
