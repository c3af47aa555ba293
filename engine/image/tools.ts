// Running the few host tools Node has no binding for — mknod(1) and mkfifo(1) from coreutils,
// setfattr(1) from attr, mount(8)/umount(8) from util-linux — with their stderr in the error.
// Each call is one process, so callers batch (one setfattr --restore per layer, one mkfifo
// with every name) instead of spawning per file.
import { spawn } from 'node:child_process';
import { ImageError } from './errors.ts';

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.on('error', (error) =>
      reject(
        new ImageError('unsupported', `cannot run ${command}: ${error.message.toLowerCase()}`, {
          cause: error,
        }),
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else {
        const why =
          Buffer.concat(err).toString('utf8').trim() ||
          (signal === null ? `exit status ${code}` : `signal ${signal}`);
        reject(
          new ImageError(
            'server',
            `${command} ${args.slice(0, 6).join(' ')}${args.length > 6 ? ' …' : ''} failed: ${why}`,
          ),
        );
      }
    });
    // A tool that exits without reading its input must not turn into an EPIPE here.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input);
  });
}
