// dockerd 20.10's decoding of a `POST /containers/create` body, before any operation runs
// (moby api/server/router/container/container_routes.go postContainersCreate,
// api/server/httputils CheckForJSON, runconfig/config.go decodeContainerConfig), as recorded in
// test/fixtures/real-engine/u-create-refusals.txt:
// - a Content-Type other than application/json is a 400 (none is fine when there is no body);
// - Go's json.Decoder reads the first JSON value only (`{"Image":"busybox"} x` creates), and its
//   errors are not typed, so they answer 500 with the decoder's text: `EOF` (no body),
//   `unexpected EOF` (a value cut short), `json: cannot unmarshal array into Go value of type
//   runconfig.ContainerConfigWrapper`, `json: cannot unmarshal number into Go struct field
//   ContainerConfigWrapper.Image of type string`;
// - `null`, or an object with none of Config's fields, leaves the embedded Config nil: 400
//   `Config cannot be empty in order to create a container` (daemon/create.go).
import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest } from '../errors.ts';
import { readBody } from '../http.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../src/model/json.ts';

/** container.Config's fields (moby api/types/container/config.go); Go matches keys case-insensitively. */
const CONFIG_FIELDS = new Set(
  [
    'Hostname',
    'Domainname',
    'User',
    'AttachStdin',
    'AttachStdout',
    'AttachStderr',
    'ExposedPorts',
    'Tty',
    'OpenStdin',
    'StdinOnce',
    'Env',
    'Cmd',
    'Healthcheck',
    'ArgsEscaped',
    'Image',
    'Volumes',
    'WorkingDir',
    'Entrypoint',
    'NetworkDisabled',
    'MacAddress',
    'OnBuild',
    'Labels',
    'StopSignal',
    'StopTimeout',
    'Shell',
  ].map((f) => f.toLowerCase()),
);

/** Config's string fields: another JSON type there is the decoder's type error. */
const STRING_FIELDS = ['Hostname', 'Domainname', 'User', 'Image', 'WorkingDir', 'MacAddress', 'StopSignal'];

/** Go's name for a JSON value's kind in an UnmarshalTypeError. */
function kind(value: JsonValue): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

/**
 * Where the first JSON value of `text` ends (its index past the end), or -1 when the text ends
 * inside it. `text` starts at the value's first character.
 */
function firstValueEnd(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      if (!inString && depth === 0) return i + 1;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    if (depth === 0 && !inString) {
      if (c === '}' || c === ']') return i + 1;
      // A bare literal or number ends at the first delimiter.
      if (c !== undefined && /[\s,\]}]/.test(text[i + 1] ?? ' ')) return i + 1;
    }
  }
  return -1;
}

/** The first JSON value of the body, as json.Decoder.Decode reads it, or its error (500). */
function decodeFirst(text: string): JsonValue {
  const start = text.search(/\S/);
  if (start < 0) throw new ApiError(500, 'EOF');
  const end = firstValueEnd(text.slice(start));
  if (end < 0) throw new ApiError(500, 'unexpected EOF');
  try {
    return JSON.parse(text.slice(start, start + end)) as JsonValue;
  } catch {
    throw new ApiError(500, `invalid character '${text[start] ?? ''}' looking for beginning of value`);
  }
}

/** The create body as dockerd accepts it, or dockerd's refusal. */
export async function decodeCreateBody(req: IncomingMessage): Promise<JsonObject> {
  const body = await readBody(req, 4 << 20);
  const type = req.headers['content-type'] ?? '';
  if (!(type === '' && body.length === 0) && !/^application\/json\s*(;|$)/i.test(type))
    throw badRequest(`Content-Type specified (${type}) must be 'application/json'`);
  const value = decodeFirst(body.toString('utf8'));
  if (value !== null && !isJsonObject(value))
    throw new ApiError(
      500,
      `json: cannot unmarshal ${kind(value)} into Go value of type runconfig.ContainerConfigWrapper`,
    );
  for (const field of STRING_FIELDS) {
    const v = value?.[field];
    if (v !== undefined && v !== null && typeof v !== 'string')
      throw new ApiError(
        500,
        `json: cannot unmarshal ${kind(v)} into Go struct field ContainerConfigWrapper.${field} of type string`,
      );
  }
  if (value === null || !Object.keys(value).some((k) => CONFIG_FIELDS.has(k.toLowerCase())))
    throw badRequest('Config cannot be empty in order to create a container');
  return value;
}
