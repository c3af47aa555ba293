// Runs one command line two ways against the same daemon: the dockstep client in this process
// (captured streams, a chosen terminal flag) and the real docker CLI as a child process, so a
// suite can compare their stdout, stderr and exit status.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runClient } from '../../engine/client/main.ts';
import type { ClientIO, Sink } from '../../engine/client/io.ts';

export interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** The docker CLI to compare with: the newer one when installed, else Debian's. */
export const DOCKER_CLI = ['/usr/local/bin/docker', '/usr/bin/docker'].find((p) => existsSync(p));

function sink(chunks: Buffer[], tty: boolean): Sink {
  return {
    write: (c: string | Uint8Array) => chunks.push(Buffer.from(c)),
    isTTY: tty,
    columns: 80,
  };
}

export interface ClientOptions {
  /** stdout is a terminal. */
  tty?: boolean;
  stdin?: Buffer;
  stdinTTY?: boolean;
  home: string;
}

/** `dockstep -H host ARGS…` in-process. */
export async function client(
  host: string,
  args: string[],
  o: ClientOptions,
): Promise<Run & { bytes: Buffer }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdin = Object.assign(Readable.from(o.stdin === undefined ? [] : [o.stdin]), {
    isTTY: o.stdinTTY === true,
  });
  const io: ClientIO = {
    stdout: sink(out, o.tty === true),
    stderr: sink(err, false),
    stdin,
    env: {},
    home: o.home,
    now: () => Date.now() / 1000,
  };
  const code = await runClient(['-H', host, ...args], io);
  const bytes = Buffer.concat(out);
  return { stdout: bytes.toString(), stderr: Buffer.concat(err).toString(), code, bytes };
}

/** `docker -H host ARGS…` with a config dir of its own (no credentials unless the test writes them). */
export function docker(host: string, args: string[], home: string): Promise<Run> {
  const cli = DOCKER_CLI;
  if (cli === undefined) throw new Error('no docker CLI (apt-get install docker.io)');
  return new Promise((resolve) => {
    execFile(
      cli,
      ['-H', host, ...args],
      {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: home,
          DOCKER_CONFIG: join(home, '.docker'),
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ stdout, stderr, code });
      },
    );
  });
}

/** ~/.docker/config.json with one registry's credentials, for both clients. */
export function writeCredentials(home: string, registry: string, user: string, password: string): void {
  mkdirSync(join(home, '.docker'), { recursive: true });
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [registry]: { auth } } }));
}

/** Lines as a sorted list: for outputs whose order depends on timing (parallel layer transfers). */
export function lineSet(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .sort();
}
