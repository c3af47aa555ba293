/**
 * `docker inspect` without --format: the daemon's raw JSON objects joined into an array and run
 * through `json.Indent(dst, src, "", "    ")`, then a newline; no objects → "[]\n".
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/inspect/inspector.go (jsonInspector)
 *
 * json.Indent only moves whitespace, so strings keep the daemon's escaping, and dockerd encodes
 * with SetEscapeHTML(false) (api/server/httputils.WriteJSON), so "<" stays "<". HTML escaping
 * (\u003c) happens only for elements the CLI marshals itself (json.MarshalIndent), which
 * `docker inspect` of containers, images, networks and volumes never does: opt in with
 * `escapeHTML: true` to get that path.
 * https://github.com/moby/moby/blob/v28.2.2/api/server/httputils/httputils.go (WriteJSON)
 */
import type { JsonValue } from '../../model/json.ts';
import { goJsonIndent } from './gojson.ts';

export function formatInspect(objects: JsonValue[], opts: { escapeHTML?: boolean } = {}): string {
  if (objects.length === 0) return '[]\n';
  return goJsonIndent(objects, '    ', { escapeHTML: opts.escapeHTML ?? false }) + '\n';
}
