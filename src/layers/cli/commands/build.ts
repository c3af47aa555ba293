import type { DockerCommand } from '../../../cli/index.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import { humanSize4, renderPullStream, type JsonMessage } from '../../../views/docker/index.ts';
import type { Wire } from '../../../wire/wire.ts';
import type { OperationProgram } from '../../operation.ts';
import { prepareContext } from '../buildContext.ts';
import { asReply, type Cli } from '../cli.ts';
import { buildxBuild } from './buildx.ts';

type BuildCmd = Extract<DockerCommand, { name: 'build' }>;

/**
 * docker/cli 28 without the buildx plugin, talking to Engine 20.10 (profile classic), builds with
 * the legacy builder and says so first; with Engine 29 (profile v29) `docker build` is buildx's
 * and builds with BuildKit (buildx.ts). Both messages are the real CLI's, recorded in
 * test/fixtures/real-engine/k-build.txt.
 */
export const LEGACY_NOTICE =
  'DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n' +
  '            Install the buildx component to build images with BuildKit:\n' +
  '            https://docs.docker.com/go/buildx/\n\n';

export function* build(cli: Cli, cmd: BuildCmd): OperationProgram {
  if (cli.profile === 'v29') return yield* buildxBuild(cli, cmd);
  yield* legacyBuild(cli, cmd);
}

/** The query docker/cli sends for the legacy builder: zero values left out, keys sorted (url.Values). */
function buildQuery(cmd: BuildCmd, dockerfile: string): Record<string, string> {
  const q: Record<string, string> = { dockerfile };
  if (cmd.noCache) q.nocache = '1';
  if (cmd.quiet) q.q = '1';
  if (cmd.tags[0] !== undefined) q.t = cmd.tags[0];
  q.version = '1';
  return q;
}

/**
 * cli/command/image/build.go RunBuild: prepare the context, stream it as a tar in `POST /build`,
 * print the JSON messages as they come (jsonmessage), exit with the error's code (a RUN's exit
 * status) or 1.
 */
function* legacyBuild(cli: Cli, cmd: BuildCmd): OperationProgram {
  cli.err(LEGACY_NOTICE);
  const prepared = prepareContext(cli.files, cmd.context, cmd.file);
  if ('error' in prepared) {
    cli.fail(prepared.error);
    return;
  }
  // The upload's progress line, then an empty line (recorded: jsonmessage ends the bar so).
  if (!cmd.quiet) cli.out(`Sending build context to Docker daemon  ${humanSize4(prepared.bytes)}\n\n`);
  const body: JsonObject = { context: prepared.files, bytes: prepared.bytes, tags: cmd.tags };
  const reply = asReply(
    yield cli.call({
      op: 'api.build',
      method: 'POST',
      path: '/build',
      query: buildQuery(cmd, prepared.dockerfile),
      body,
    }),
  );
  if (!Array.isArray(reply.payload)) {
    cli.fail(cli.daemonError(reply));
    return;
  }
  const messages = reply.payload as unknown as JsonMessage[];
  const { text, error } = renderPullStream(messages);
  cli.out(text);
  if (error === undefined) return;
  cli.err(error);
  cli.exitCode = messages.find((m) => m.errorDetail)?.errorDetail?.code || 1;
}

/** A chunk of the `/build` response arriving while the build runs: printed at once (stdout). */
export function printBuildOutput(wire: Wire, msg: Message): void {
  const p = (msg.payload ?? {}) as JsonObject;
  const messages = (p.messages ?? []) as unknown as JsonMessage[];
  const text = typeof p.text === 'string' ? p.text : renderPullStream(messages).text;
  if (text !== '') wire.output(p.stderr === true ? 'stderr' : 'stdout', text);
}
