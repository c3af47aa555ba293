import type { DockerCommand } from '../../../cli/types.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { OperationProgram } from '../../operation.ts';
import { draft } from '../../post.ts';
import { asReply, type Cli } from '../cli.ts';

type Command<N extends DockerCommand['name']> = Extract<DockerCommand, { name: N }>;

function fail(cli: Cli, text: string): void {
  cli.fail(text);
}

/**
 * `docker save -o FILE IMAGE…` (docker/cli v28.2.2 cli/command/image/save.go runSave):
 * `GET /images/get` with one `names` per argument (Go's url.Values keeps their order), the tar
 * streamed into the file through an atomic writer, so nothing is written when dockerd refuses.
 * Nothing printed. Recorded: x-save-login.txt.
 */
export function* save(cli: Cli, cmd: Command<'save'>): OperationProgram {
  const reply = asReply(
    yield cli.call({
      op: 'api.images.get',
      method: 'GET',
      path: '/images/get',
      repeated: { key: 'names', values: cmd.images },
    }),
  );
  if (!reply.ok) return fail(cli, cli.daemonError(reply));
  const tar = String(((reply.payload ?? {}) as JsonObject).tar ?? '');
  const path = cli.files?.resolve(cmd.output) ?? cmd.output;
  cli.files?.write(path, tar);
  cli.wire.self(
    'CLI',
    draft('CLI', 'CLI', 'cli.save.write', `write the tar to ${path} (atomically: a temp file, then rename)`, {
      params: { path },
    }),
  );
}

/**
 * `docker load [-i FILE] [-q]` (load.go runLoad): the CLI opens the file (its own error when it
 * cannot) or reads stdin, which the console leaves empty, and posts the bytes as they are. The
 * console's output is not a terminal for the daemon's stream, as for a pull (views/docker/pull.ts):
 * `quiet=1` whatever `-q` says (recorded: y-load-login.txt). dockerd's stream is printed as
 * jsonmessage prints it; an error line ends it with exit status 1.
 */
export function* load(cli: Cli, cmd: Command<'load'>): OperationProgram {
  let tar = '';
  if (cmd.input !== undefined) {
    const text = cli.files?.read(cli.files.resolve(cmd.input));
    if (text === undefined) return fail(cli, `open ${cmd.input}: no such file or directory`);
    tar = text;
  }
  const reply = asReply(
    yield cli.call({
      op: 'api.images.load',
      method: 'POST',
      path: '/images/load',
      query: { quiet: '1' },
      body: { tar },
    }),
  );
  if (reply.status !== undefined && !reply.status.startsWith('2')) return fail(cli, cli.daemonError(reply));
  const lines = Array.isArray(reply.payload) ? reply.payload : [];
  for (const line of lines) {
    const m = (line ?? {}) as JsonObject;
    if (typeof m.error === 'string') return fail(cli, m.error);
    if (typeof m.stream === 'string') cli.out(m.stream);
  }
}

/** docker/cli v28.2.2 cli/config/credentials/file_store.go unencryptedWarning, then Fprintln. */
const UNENCRYPTED =
  "\nWARNING! Your credentials are stored unencrypted in '/root/.docker/config.json'.\n" +
  'Configure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n';

const INDEX_SERVER = 'https://index.docker.io/v1/';

/**
 * `docker login` (cli/command/registry/login.go runLogin): `-p` warns; `--password-stdin` reads
 * the console's stdin, which is empty; the CLI keeps no credentials from an earlier login here,
 * so with no username or password it would prompt, which a stdin that is not a terminal cannot
 * (loginUser). Otherwise dockerd checks the credentials (`POST /auth`, ops/auth.ts: the
 * simulation's registries, never a real one) and the CLI stores them in its config file.
 * Recorded: x-save-login.txt, y-load-login.txt (a registry on loopback).
 */
export function* login(cli: Cli, cmd: Command<'login'>): OperationProgram {
  if (cmd.password !== undefined)
    cli.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.');
  const password = cmd.passwordStdin ? '' : (cmd.password ?? '');
  if (!cmd.username || password === '')
    return fail(cli, 'Error: Cannot perform an interactive login from a non TTY device');
  const server = cmd.server === undefined || cmd.server === 'docker.io' ? INDEX_SERVER : cmd.server;
  const ping = asReply(yield cli.call({ op: 'api.ping', method: 'HEAD', path: '/_ping' }));
  cli.negotiate(ping);
  const reply = asReply(
    yield cli.call({
      op: 'api.auth',
      method: 'POST',
      path: '/auth',
      // The password travels in the body; the trace shows that it is there, not what it is.
      body: { username: cmd.username, password: '…', serveraddress: server },
    }),
  );
  if (!reply.ok) return fail(cli, cli.daemonError(reply));
  cli.wire.self(
    'CLI',
    draft('CLI', 'CLI', 'cli.login.store', `store the credentials for ${server} in ~/.docker/config.json`, {
      params: { server },
    }),
  );
  cli.err(UNENCRYPTED);
  cli.out(String(((reply.payload ?? {}) as JsonObject).Status ?? ''));
}
