import { setup, spawnChild } from 'xstate';
import { parseDockerLine, type DockerCommand } from '../../cli/index.ts';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import { DOCKER_CONTEXTS } from '../../model/platform.ts';
import type { WireEvent } from '../../wire/wire.ts';
import { operationMachine, TopicWaiters, type OperationProgram } from '../operation.ts';
import type { LayerInput } from '../ports.ts';
import { replyDraft } from '../post.ts';
import { asReply, Cli } from './cli.ts';
import { events, history, images, inspect, logs, perContainer, ps, pull, wait } from './commands/basic.ts';
import { exec, startAttached } from './commands/exec.ts';
import { push, rmi, tag } from './commands/images.ts';
import { runCommand } from './commands/run.ts';
import { info, version } from './commands/system.ts';
import { build, printBuildOutput } from './commands/build.ts';
import { network } from './commands/network.ts';
import { volume } from './commands/volume.ts';
import { dispatchMore } from './commands/more.ts';
import { logout } from './commands/searchLogout.ts';
import { load, login, save } from './commands/saveLoadLogin.ts';
import { printStatus, serveDiffCopy, type Sessions } from './session.ts';

/**
 * The docker CLI. Each command line the user types is one operation: parse (docker's own errors
 * for bad input), `HEAD /_ping` to negotiate the API version, the command's requests, then the
 * exit status back to the user. Output streamed over an attach connection is printed as it comes.
 */
function* dispatch(cli: Cli, cmd: DockerCommand): OperationProgram {
  switch (cmd.name) {
    case 'run':
    case 'create':
      return yield* runCommand(cli, cmd);
    case 'start':
      return yield* cmd.attach ? startAttached(cli, cmd) : perContainer(cli, cmd);
    case 'stop':
    case 'restart':
    case 'kill':
    case 'pause':
    case 'unpause':
    case 'rm':
      return yield* perContainer(cli, cmd);
    case 'ps':
      return yield* ps(cli, cmd);
    case 'images':
      return yield* images(cli, cmd);
    case 'history':
      return yield* history(cli, cmd);
    case 'pull':
      return yield* pull(cli, cmd);
    case 'logs':
      return yield* logs(cli, cmd);
    case 'inspect':
      return yield* inspect(cli, cmd);
    case 'wait':
      return yield* wait(cli, cmd);
    case 'events':
      return yield* events(cli, cmd);
    case 'exec':
      return yield* exec(cli, cmd);
    case 'rmi':
      return yield* rmi(cli, cmd);
    case 'tag':
      return yield* tag(cli, cmd);
    case 'push':
      return yield* push(cli, cmd);
    case 'version':
      return yield* version(cli, cmd);
    case 'info':
      return yield* info(cli, cmd);
    case 'build':
      return yield* build(cli, cmd);
    case 'network':
      return yield* network(cli, cmd);
    case 'volume':
      return yield* volume(cli, cmd);
    case 'logout':
      return yield* logout(cli, cmd);
    case 'save':
      return yield* save(cli, cmd);
    case 'load':
      return yield* load(cli, cmd);
    case 'login':
      return yield* login(cli, cmd);
    default:
      return yield* dispatchMore(cli, cmd);
  }
}

function* commandLine(cli: Cli, msg: Message): OperationProgram {
  const line = String(((msg.payload ?? {}) as JsonObject).line ?? '');
  const parsed = parseDockerLine(line);
  if (!parsed.ok) {
    cli.err(parsed.error.stderr);
    cli.exitCode = parsed.error.exitCode;
  } else if (parsed.command.name === 'logout') {
    // A command of the CLI's own files: no connection to the daemon at all.
    yield* logout(cli, parsed.command);
  } else if (parsed.command.name === 'login') {
    // Its refusals come before any request: it pings only when it asks dockerd.
    yield* login(cli, parsed.command);
  } else {
    const ping = yield cli.call({ op: 'api.ping', method: 'HEAD', path: '/_ping' });
    if (isRefused(ping)) {
      // docker/cli client.IsErrConnectionFailed → the text every command prints (exit 1).
      cli.err(
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      );
      cli.exitCode = 1;
    } else {
      cli.negotiate(asReply(ping));
      yield* dispatch(cli, parsed.command);
    }
  }
  cli.wire.reply(
    msg,
    replyDraft('cli.command', `exit ${cli.exitCode}`, {
      payload: { exitCode: cli.exitCode },
      params: { code: cli.exitCode },
    }),
  );
}

/** No one listens on the daemon's socket: the kernel refused the connection. */
function isRefused(reply: unknown): boolean {
  return (
    typeof reply === 'object' &&
    reply !== null &&
    'status' in reply &&
    (reply as Message).status === 'ECONNREFUSED'
  );
}

type Ctx = LayerInput & { waiters: TopicWaiters; sessions: Sessions };

export const cliMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  actors: { operation: operationMachine },
  actions: {
    runCommandLine: spawnChild('operation', {
      input: ({ context, event }) => ({
        wire: context.wire,
        waiters: context.waiters,
        program: commandLine(
          new Cli(
            context.wire,
            () => context.ports.clock.now(),
            DOCKER_CONTEXTS[context.platform ?? 'linux'],
            context.profile,
            context.ports.files,
            context.sessions,
          ),
          event.msg,
        ),
      }),
    }),
    printBuildStream: ({ context, event }) => printBuildOutput(context.wire, event.msg),
    printBuildStatus: ({ context, event }) => printStatus(context.wire, context.sessions, event.msg),
    serveSession: ({ context, event }) =>
      serveDiffCopy(context.wire, context.sessions, context.ports.files, event.msg),
    printStream: ({ context, event }) => {
      const p = (event.msg.payload ?? {}) as JsonObject;
      context.wire.output(p.stream === 'stderr' ? 'stderr' : 'stdout', String(p.text ?? ''));
    },
  },
}).createMachine({
  id: 'cli',
  context: ({ input }) => ({ ...input, waiters: new TopicWaiters(), sessions: new Map() }),
  on: {
    'cli.command': { actions: 'runCommandLine' },
    'attach.output': { actions: 'printStream' },
    'build.output': { actions: 'printBuildStream' },
    'buildkit.status': { actions: 'printBuildStatus' },
    'session.DiffCopy': { actions: 'serveSession' },
  },
});
