// A line of an operation's progress stream, as the dockerd machine wrote it (a JSON object on the
// wire), read back as the JSON message the Engine API sends (moby pkg/jsonmessage): the fields
// the docker CLI knows, each only when it has the type jsonmessage gives it.
import type { JsonObject, JsonValue } from '../../src/model/json.ts';
import type { JsonMessage } from '../api/jsonmessage.ts';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asJsonMessage(line: JsonObject): JsonMessage {
  const m: JsonMessage = {};
  if (typeof line.status === 'string') m.status = line.status;
  const detail = line.progressDetail;
  if (isObject(detail)) {
    m.progressDetail = {};
    if (typeof detail.current === 'number') m.progressDetail.current = detail.current;
    if (typeof detail.total === 'number') m.progressDetail.total = detail.total;
  }
  if (typeof line.progress === 'string') m.progress = line.progress;
  if (typeof line.id === 'string') m.id = line.id;
  if (isObject(line.aux)) m.aux = { ...line.aux };
  const errorDetail = line.errorDetail;
  if (isObject(errorDetail) && typeof errorDetail.message === 'string')
    m.errorDetail = { message: errorDetail.message };
  if (typeof line.error === 'string') m.error = line.error;
  return m;
}
