import type { DockerCommand } from '../../../cli/index.ts';
import { digestOf } from '../../../model/digest.ts';
import { parseReference } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import { plainFailure } from '../../../views/docker/index.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, type Cli } from '../cli.ts';
import type { BuildSession } from '../session.ts';

type BuildCmd = Extract<DockerCommand, { name: 'build' }>;

/**
 * `docker build` with Engine 29: buildx's `build` on its `docker` driver (docker/buildx
 * driver/docker/driver.go). It checks the context path, opens a session the daemon can call back
 * (`POST /session`, upgraded to h2c, naming the directories it shares), dials BuildKit's control
 * API through dockerd (`POST /grpc`, upgraded to h2c), then calls `Control.Status` and
 * `Control.Solve` with the dockerfile frontend and the moby exporter. The Dockerfile itself is
 * only read when BuildKit asks for it, so a missing one is the daemon's error. Output is the
 * plain progress on stderr (no terminal here), `ERROR: …` and exit 1 on failure.
 * (Engine 29.2 and later let buildx speak gRPC on the API socket itself; the calls are the same.)
 */
const GRPC_METHODS = [
  '/grpc.health.v1.Health/Check',
  '/moby.filesync.v1.FileSync/DiffCopy',
  '/moby.filesync.v1.FileSync/TarStream',
  '/moby.filesync.v1.Auth/Credentials',
  '/moby.filesync.v1.Auth/FetchToken',
];

function fail(cli: Cli, text: string): void {
  cli.fail(text);
}

function exporterName(tags: readonly string[]): string | undefined {
  return tags[0] === undefined ? undefined : parseReference(tags[0]).string;
}

export function* buildxBuild(cli: Cli, cmd: BuildCmd): OperationProgram {
  const files = cli.files;
  if (!files || files.stat(cmd.context) === undefined)
    return fail(cli, `ERROR: unable to prepare context: path ${JSON.stringify(cmd.context)} not found`);
  const dir = files.resolve(cmd.context);
  const dockerfile = cmd.file === undefined ? `${dir}/Dockerfile` : files.resolve(cmd.file);
  const dockerfileDir = dockerfile.slice(0, dockerfile.lastIndexOf('/')) || '/';
  const filename = dockerfile.slice(dockerfile.lastIndexOf('/') + 1);
  const id = digestOf(`session ${dir} ${cli.now()}`).slice(7, 32);
  const session: BuildSession = {
    dirs: { context: dir, dockerfile: dockerfileDir },
    quiet: cmd.quiet,
    names: new Map(),
    logs: new Map(),
  };
  cli.sessions.set(id, session);
  if (!cmd.quiet) cli.err('#0 building with "default" instance using docker driver\n');
  const sharedKey = digestOf(`sharedkey ${dir}`).slice(7);
  const headers = {
    Upgrade: 'h2c',
    'X-Docker-Expose-Session-Uuid': id,
    'X-Docker-Expose-Session-Name': cmd.context,
    'X-Docker-Expose-Session-Sharedkey': sharedKey,
    'X-Docker-Expose-Session-Grpc-Method': GRPC_METHODS.join(', '),
  };
  yield cli.call({ op: 'api.session', method: 'POST', path: '/session', unversioned: true, headers });
  yield cli.call({
    op: 'api.grpc',
    method: 'POST',
    path: '/grpc',
    unversioned: true,
    headers: { Upgrade: 'h2c' },
  });
  const ref = digestOf(`ref ${id}`).slice(7, 32);
  const name = exporterName(cmd.tags);
  const statusId = Number(
    yield cli.grpc(
      'buildkit.Status',
      `/moby.buildkit.v1.Control/Status (ref=${ref.slice(0, 12)})`,
      { ref },
      true,
    ),
  );
  const solve: JsonObject = {
    ref,
    session: id,
    sharedKey,
    frontend: 'dockerfile.v0',
    filename,
    noCache: cmd.noCache,
    exporter: 'moby',
    ...(name ? { name } : {}),
  };
  const solved = asReply(
    yield cli.grpc(
      'buildkit.Solve',
      `/moby.buildkit.v1.Control/Solve (frontend=dockerfile.v0, exporter=moby${name ? ` name=${name}` : ''})`,
      solve,
    ),
  );
  yield { kind: 'collect', id: statusId };
  cli.sessions.delete(id);
  const p = (solved.payload ?? {}) as JsonObject;
  if (!solved.ok) {
    const failed = session.failed;
    const vertex =
      failed === undefined
        ? undefined
        : { name: session.names.get(failed) ?? '', logs: session.logs.get(failed) ?? [] };
    return fail(cli, plainFailure(vertex, String(p.error ?? 'unknown error')));
  }
  if (cmd.quiet) cli.out(String(((p.exporterResponse ?? {}) as JsonObject)['containerimage.digest'] ?? ''));
}
