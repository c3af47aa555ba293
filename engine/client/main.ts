/**
 * `dockstep [--host unix://…] pull|push|images|rmi|tag|save|load|history|image tree …`: a client
 * of the Docker Engine API over a unix socket, for the dockstep engine or a real dockerd, with
 * the docker CLI's output, errors and exit statuses.
 * The host is --host/-H, else $DOCKSTEP_HOST, else unix:///run/dockstep/dockstep.sock.
 */
import { homedir } from 'node:os';
import { parseVerb, splitInvocation, UsageFailure, type Verb } from './args.ts';
import { history } from './commands/history.ts';
import { images } from './commands/images.ts';
import { load } from './commands/load.ts';
import { pull } from './commands/pull.ts';
import { push } from './commands/push.ts';
import { rmi } from './commands/rmi.ts';
import { save } from './commands/save.ts';
import { tag } from './commands/tag.ts';
import { tree } from './commands/tree.ts';
import { ConnectError, DaemonError, EngineClient, ProtocolError, resolveHost } from './engine.ts';
import { CommandError, type ClientIO, type Command } from './io.ts';
import { StreamError } from './render/stream.ts';

export { CLIENT_USAGE, CLIENT_VERBS, isClientCommand } from './args.ts';

const COMMANDS: Record<Verb, Command> = {
  pull,
  push,
  images,
  rmi,
  tag,
  save,
  load,
  history,
  'image tree': tree,
};

/** The error line the docker CLI prints for each kind of failure. */
function errorText(error: unknown): string | undefined {
  if (error instanceof DaemonError) return `Error response from daemon: ${error.message}`;
  const plain = [ConnectError, ProtocolError, CommandError, StreamError];
  if (plain.some((kind) => error instanceof kind)) {
    return (error as Error).message;
  }
  return undefined;
}

/** Runs one client command line; resolves to its exit status. */
export async function runClient(argv: readonly string[], io: ClientIO): Promise<number> {
  try {
    const invocation = splitInvocation(argv);
    const parsed = parseVerb(invocation.verb, invocation.rest);
    const engine = new EngineClient(resolveHost(invocation.host, io.env));
    await COMMANDS[parsed.verb](engine, parsed, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageFailure) {
      (error.toStdout ? io.stdout : io.stderr).write(error.text);
      return error.exitCode;
    }
    const text = errorText(error);
    if (text === undefined) throw error;
    if (text !== '') io.stderr.write(`${text}\n`);
    return 1;
  }
}

/** The process's own streams, environment, home and clock. */
export function processIO(): ClientIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    home: homedir(),
    now: () => Date.now() / 1000,
  };
}
