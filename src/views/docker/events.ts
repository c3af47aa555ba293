/**
 * `docker events` lines: the default text and `--format '{{json .}}'`.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/system/events.go (prettyPrintEvent)
 * https://github.com/docker/cli/blob/v28.2.2/templates/templates.go (the `json` function)
 * https://github.com/moby/moby/blob/v28.2.2/api/types/events/events.go (Message field order)
 */
import type { DockerEvent } from '../../model/trace.ts';
import { goJsonNumber, goJsonString, goJsonStringMap, type GoJsonOptions } from './gojson.ts';
import { formatRfc3339NanoFixed, splitUnixNano } from './gotime.ts';
import { compareGoStrings } from './text.ts';

/**
 * "2026-01-01T09:00:00.000000000Z container create <full id> (image=busybox, name=c1)\n":
 * timeNano (else time) in the fixed nano layout, the full actor ID, attributes sorted by key.
 */
export function formatEventLine(e: DockerEvent): string {
  let out = '';
  if (e.timeNano) {
    const { sec, nsec } = splitUnixNano(e.timeNano);
    out += formatRfc3339NanoFixed(sec, nsec) + ' ';
  } else if (e.time) {
    out += formatRfc3339NanoFixed(e.time, 0) + ' ';
  }
  out += `${e.Type} ${e.Action} ${e.Actor.ID}`;
  const keys = Object.keys(e.Actor.Attributes).sort(compareGoStrings);
  if (keys.length > 0) out += ` (${keys.map((k) => `${k}=${e.Actor.Attributes[k] ?? ''}`).join(', ')})`;
  return out + '\n';
}

/** The CLI's `json` template function: an Encoder with SetEscapeHTML(false), newline trimmed. */
const TEMPLATE_JSON: GoJsonOptions = { escapeHTML: false };

/**
 * `--format '{{json .}}'` for one event, without the newline the CLI adds after each event.
 * The CLI re-encodes its events.Message, so the key order is the struct's — status, id, from,
 * Type, Action, Actor{ID, Attributes}, scope, time, timeNano — with the omitempty fields
 * (status, id, from, scope, time, timeNano) left out when empty or zero.
 */
export function eventJson(e: DockerEvent): string {
  const s = (v: string): string => goJsonString(v, TEMPLATE_JSON);
  const parts: string[] = [];
  if (e.status) parts.push(`"status":${s(e.status)}`);
  if (e.id) parts.push(`"id":${s(e.id)}`);
  if (e.from) parts.push(`"from":${s(e.from)}`);
  parts.push(`"Type":${s(e.Type)}`, `"Action":${s(e.Action)}`);
  parts.push(
    `"Actor":{"ID":${s(e.Actor.ID)},"Attributes":${goJsonStringMap(e.Actor.Attributes, TEMPLATE_JSON)}}`,
  );
  if (e.scope) parts.push(`"scope":${s(e.scope)}`);
  if (e.time) parts.push(`"time":${goJsonNumber(Math.trunc(e.time))}`);
  if (e.timeNano) parts.push(`"timeNano":${goJsonNumber(Math.round(e.timeNano))}`);
  return `{${parts.join(',')}}`;
}
