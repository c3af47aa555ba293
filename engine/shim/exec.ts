// One child process run to its end, its stdout kept as bytes (the shim's `delete` prints a
// protobuf), stdin closed: the shim's `start` reads options from stdin to EOF and would hang on
// an open pipe (REFERENCE.md, "containerd-shim-runc-v2 without containerd").
import { spawn } from 'node:child_process';

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function execute(command: string, args: readonly string[], options: ExecOptions = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      if (timer !== undefined) clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message.toLowerCase()}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8').trim(),
      });
    });
  });
}

/** Why a run failed, for an error message: its stderr, or its status. */
export function failure(ran: Ran): string {
  if (ran.stderr !== '') return ran.stderr;
  return ran.signal === null ? `exit status ${ran.code}` : `signal ${ran.signal}`;
}
