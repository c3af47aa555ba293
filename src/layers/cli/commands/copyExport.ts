import type { CpCommand, DockerCommand } from '../../../cli/types.ts';
import { tryParseReference } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, type Cli } from '../cli.ts';

const parentOf = (path: string): string => {
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return cut <= 0 ? '/' : trimmed.slice(0, cut);
};
const baseOf = (path: string): string => path.replace(/\/+$/, '').split('/').pop() ?? '';

/** The host side of a copy into a container: the file, or every file under the directory. */
function hostEntries(cli: Cli, abs: string): { path: string; size: number }[] | undefined {
  const files = cli.files;
  const kind = files?.stat(abs);
  if (files === undefined || kind === undefined) return undefined;
  if (kind === 'file') return [{ path: baseOf(abs), size: (files.read(abs) ?? '').length }];
  return files.walk(abs).map((rel) => ({
    path: `${baseOf(abs)}/${rel}`,
    size: (files.read(`${abs}/${rel}`) ?? '').length,
  }));
}

/**
 * `docker cp SRC CONTAINER:DST` (docker/cli v28.2.2 cli/command/container/cp.go copyToContainer):
 * the CLI stats the destination (`HEAD …/archive`), then reads the local source (lstat: its own
 * error), then `PUT`s a tar into the destination's directory, renaming the entry when the
 * destination does not exist yet. Recorded: v-cp-commit-export.txt.
 */
function* copyTo(cli: Cli, cmd: CpCommand): OperationProgram {
  const dst = cmd.containerPath;
  const head = asReply(
    yield cli.call({
      op: 'api.containers.archive.head',
      method: 'HEAD',
      path: `/containers/${cmd.container}/archive`,
      target: cmd.container,
      query: { path: dst },
    }),
  );
  const missing = String(((head.payload ?? {}) as JsonObject).message ?? '');
  if (!head.ok && missing.startsWith('No such container')) return fail(cli, cli.daemonError(head));
  const abs = cli.files?.resolve(cmd.hostPath) ?? cmd.hostPath;
  const entries = hostEntries(cli, abs);
  if (entries === undefined) return fail(cli, `lstat ${abs}: no such file or directory`);
  const intoDir = head.ok && ((head.payload ?? {}) as JsonObject).dir === true;
  const dir = intoDir ? dst : parentOf(dst);
  const renamed = intoDir
    ? entries
    : entries.map((e) => ({ ...e, path: e.path.replace(baseOf(abs), baseOf(dst)) }));
  const put = asReply(
    yield cli.call({
      op: 'api.containers.archive.put',
      method: 'PUT',
      path: `/containers/${cmd.container}/archive`,
      target: cmd.container,
      query: { noOverwriteDirNonDir: 'true', path: dir },
      body: { files: renamed },
    }),
  );
  if (!put.ok) fail(cli, cli.daemonError(put));
}

/** `docker cp CONTAINER:SRC DST`: `GET …/archive`, a tar the CLI unpacks at DST (cp.go copyFromContainer). */
function* copyFrom(cli: Cli, cmd: CpCommand): OperationProgram {
  const reply = asReply(
    yield cli.call({
      op: 'api.containers.archive.get',
      method: 'GET',
      path: `/containers/${cmd.container}/archive`,
      target: cmd.container,
      query: { path: cmd.containerPath },
    }),
  );
  if (!reply.ok) fail(cli, cli.daemonError(reply));
}

export function* cp(cli: Cli, cmd: CpCommand): OperationProgram {
  return yield* cmd.direction === 'to' ? copyTo(cli, cmd) : copyFrom(cli, cmd);
}

/** `docker export -o FILE CONTAINER` (export.go): the tar streams into the file; nothing printed. */
export function* exportContainer(
  cli: Cli,
  cmd: Extract<DockerCommand, { name: 'export' }>,
): OperationProgram {
  const reply = asReply(
    yield cli.call({
      op: 'api.containers.export',
      method: 'GET',
      path: `/containers/${cmd.container}/export`,
      target: cmd.container,
    }),
  );
  if (!reply.ok) fail(cli, cli.daemonError(reply));
}

function fail(cli: Cli, text: string): void {
  cli.fail(text);
}

/**
 * `docker commit` (docker/cli v28.2.2 cli/command/container/commit.go): the reference normalised
 * (`snap:1` → repo docker.io/library/snap, tag 1), `POST /commit`, the new image's id printed.
 * Recorded: v-cp-commit-export.txt.
 */
export function* commit(cli: Cli, cmd: Extract<DockerCommand, { name: 'commit' }>): OperationProgram {
  let repo = '';
  let tag = '';
  if (cmd.reference !== undefined) {
    const ref = tryParseReference(cmd.reference);
    if (ref === undefined) return fail(cli, `invalid reference format: repository name must be lowercase`);
    repo = ref.name;
    tag = /:[^/]+$/.test(cmd.reference) ? (ref.tag ?? '') : '';
  }
  const query: Record<string, string> = { author: '' };
  if (cmd.changes.length > 0) query.changes = cmd.changes.join('\n');
  Object.assign(query, { comment: cmd.message, container: cmd.container });
  if (!cmd.pause) query.pause = '0';
  Object.assign(query, { repo, tag });
  const reply = asReply(yield cli.call({ op: 'api.commit', method: 'POST', path: '/commit', query }));
  if (!reply.ok) return fail(cli, cli.daemonError(reply));
  cli.out(String(((reply.payload ?? {}) as JsonObject).Id ?? ''));
}
