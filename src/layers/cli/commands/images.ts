import type { DockerCommand } from '../../../cli/index.ts';
import { renderPullStream, type JsonMessage } from '../../../views/docker/index.ts';
import { familiarName, parseReference } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, type Cli } from '../cli.ts';

type Cmd = DockerCommand;

/**
 * `docker rmi` (cli/command/image/remove.go): one `DELETE /images/{name}` per argument, printing
 * `Untagged: …` / `Deleted: …` per item. Errors are collected and printed together at the end;
 * with `-f` a "No such image" error alone still exits 0, any other error exits 1.
 * https://docs.docker.com/reference/cli/docker/image/rm/
 */
export function* rmi(cli: Cli, cmd: Extract<Cmd, { name: 'rmi' }>): OperationProgram {
  const errors: string[] = [];
  let fatal = false;
  const query: Record<string, string> = {};
  if (cmd.force) query.force = '1';
  if (cmd.noPrune) query.noprune = '1';
  for (const image of cmd.images) {
    const reply = asReply(
      yield cli.call({
        op: 'api.images.delete',
        method: 'DELETE',
        path: `/images/${image}`,
        target: image,
        query,
      }),
    );
    if (!reply.ok) {
      if (reply.status !== '404') fatal = true;
      errors.push(cli.daemonError(reply));
      continue;
    }
    for (const item of (reply.payload ?? []) as JsonObject[]) {
      cli.out(
        typeof item.Deleted === 'string' ? `Deleted: ${item.Deleted}` : `Untagged: ${String(item.Untagged)}`,
      );
    }
  }
  if (errors.length === 0) return;
  cli.err(errors.join('\n'));
  if (!cmd.force || fatal) cli.exitCode = 1;
}

/**
 * `docker tag SOURCE TARGET` (cli/command/image/tag.go): the client parses the target itself and
 * sends it as `repo` and `tag` (`latest` when none is given).
 */
export function* tag(cli: Cli, cmd: Extract<Cmd, { name: 'tag' }>): OperationProgram {
  let repo: string;
  let tagName: string;
  try {
    const ref = parseReference(cmd.target);
    if (ref.digest !== undefined) throw new Error('refusing to create a tag with a digest reference');
    const { tag: given, digest: _none, ...repository } = ref;
    repo = familiarName(repository);
    tagName = given ?? 'latest';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    cli.fail(`Error parsing reference: "${cmd.target}" is not a valid repository/tag: ${message}`);
    return;
  }
  const reply = asReply(
    yield cli.call({
      op: 'api.images.tag',
      method: 'POST',
      path: `/images/${cmd.source}/tag`,
      target: cmd.source,
      query: { repo, tag: tagName },
    }),
  );
  if (reply.ok) return;
  cli.fail(cli.daemonError(reply));
}

/**
 * `docker push NAME[:TAG]` (cli/command/image/push.go): the name without a tag gets `latest`
 * ("Using default tag: latest", unless -q); `-a` asks for every tag (no `tag` in the query). The
 * stream prints as docker's jsonmessage does to a non-terminal; its error ends the command
 * (exit 1). With -q only the name is printed, once the push succeeded.
 */
export function* push(cli: Cli, cmd: Extract<Cmd, { name: 'push' }>): OperationProgram {
  const ref = parseReference(cmd.ref);
  const named = !cmd.ref.includes('@') && !(cmd.ref.split('/').at(-1) ?? '').includes(':');
  if (named && !cmd.allTags && !cmd.quiet) cli.out('Using default tag: latest');
  const tag = cmd.allTags ? undefined : (ref.tag ?? 'latest');
  const name = familiarName({ ...ref, tag: undefined, digest: undefined });
  const query: Record<string, string> = tag === undefined ? {} : { tag };
  const reply = asReply(
    yield cli.call({
      op: 'api.images.push',
      method: 'POST',
      path: `/images/${name}/push`,
      target: name,
      query,
    }),
  );
  if (!Array.isArray(reply.payload)) {
    cli.fail(cli.daemonError(reply));
    return;
  }
  const { text, error } = renderPullStream(reply.payload as unknown as JsonMessage[]);
  if (!cmd.quiet) cli.out(text);
  if (error !== undefined) {
    cli.fail(error);
  } else if (cmd.quiet) cli.out(familiarName(ref));
}
