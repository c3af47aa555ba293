import type { JsonValue } from '../../../model/json.ts';
import { formatInspect } from '../../../views/docker/inspect.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, type ApiCall, type Cli } from '../cli.ts';
import { printInspectFormat } from '../formats.ts';

/**
 * `docker network inspect` and `docker volume inspect` as docker/cli v28 runs them
 * (cli/command/inspect/inspector.go Inspect): one `GET /<kind>/<name>` per name; what was found
 * printed as one JSON array (`[]` when nothing was) or through --format, then the daemon's error
 * for each name it did not find, and exit status 1.
 */
export function* inspectEach(
  cli: Cli,
  kind: 'networks' | 'volumes',
  names: readonly string[],
  format: string | undefined,
): OperationProgram {
  const found: JsonValue[] = [];
  const errors: string[] = [];
  for (const name of names) {
    const request: ApiCall = {
      op: `api.${kind}.inspect`,
      method: 'GET',
      path: `/${kind}/${name}`,
      target: name,
    };
    const reply = asReply(yield cli.call(request));
    if (reply.ok) found.push(reply.payload ?? null);
    else errors.push(cli.daemonError(reply));
  }
  if (format !== undefined && found.length > 0) printInspectFormat(cli, found, format);
  else if (format === undefined) cli.out(formatInspect(found));
  if (errors.length === 0) return;
  cli.fail(errors.join('\n'));
}
