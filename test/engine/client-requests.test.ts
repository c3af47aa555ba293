// The HTTP requests the client makes, next to the ones the docker CLI makes for the same
// command lines, both against a stub daemon on a unix socket that records each request and
// answers with canned bodies. Needs no root: only a socket and, for the comparison, a docker CLI.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, docker, DOCKER_CLI } from './clientRun.ts';

interface Seen {
  line: string;
  auth: string | undefined;
  contentType: string | undefined;
}

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'client');

function answer(req: http.IncomingMessage, res: http.ServerResponse, apiVersion: string): void {
  const url = req.url ?? '';
  const json = (status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };
  if (url === '/_ping') {
    res
      .writeHead(200, { 'Api-Version': apiVersion, 'Content-Type': 'text/plain' })
      .end(req.method === 'HEAD' ? '' : 'OK');
  } else if (url.includes('/images/create')) {
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(readFileSync(join(fixtures, 'pull.jsonl')));
  } else if (url.includes('/push')) {
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(readFileSync(join(fixtures, 'push.jsonl')));
  } else if (url.includes('/images/json') || url.includes('/history') || req.method === 'DELETE') {
    json(200, []);
  } else if (url.includes('/tag?')) {
    res.writeHead(201).end();
  } else if (url.includes('/images/load')) {
    json(200, { stream: 'Loaded image: x:1\n' });
  } else if (url.includes('/images/get')) {
    res.writeHead(200, { 'Content-Type': 'application/x-tar' }).end(Buffer.alloc(1024));
  } else {
    json(404, { message: 'page not found' });
  }
}

async function stub(socket: string, apiVersion: string, seen: Seen[]): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({
        line: `${req.method} ${req.url}`,
        auth: req.headers['x-registry-auth'] as string | undefined,
        contentType: req.headers['content-type'],
      });
      answer(req, res, apiVersion);
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return server;
}

const COMMANDS = [
  ['pull', 'busybox'],
  ['pull', '--platform', 'linux/ARM64', '127.0.0.1:5000/team/app@sha256:' + 'a'.repeat(64)],
  ['push', 'team/app:1'],
  ['images', '-a', 'busybox:1'],
  ['rmi', '-f', '--no-prune', 'a', 'b'],
  ['tag', 'a', 'team/b'],
  ['history', 'busybox'],
  ['save', 'a', 'b'],
  ['load', '-q', '-i', join(fixtures, 'README.md')],
];

describe('client requests, next to the docker CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockstep-client-requests-'));
  const servers: http.Server[] = [];
  const seen: Record<string, Seen[]> = { '1.44': [], '1.41': [] };
  const host = (v: string): string => `unix://${join(dir, `${v}.sock`)}`;

  beforeAll(async () => {
    for (const v of ['1.44', '1.41']) servers.push(await stub(join(dir, `${v}.sock`), v, seen[v] ?? []));
  });

  afterAll(async () => {
    for (const s of servers) await new Promise((resolve) => s.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('pings with HEAD, then speaks min(1.44, the daemon) on versioned paths', async () => {
    const log = seen['1.41'] ?? [];
    expect((await client(host('1.41'), ['images'], { home: dir })).code).toBe(0);
    expect(log.map((s) => s.line)).toEqual(['HEAD /_ping', 'GET /v1.41/images/json']);
  });

  it.each(COMMANDS)('%s: the same requests as docker', async (...args: string[]) => {
    const log = seen['1.44'] ?? [];
    log.length = 0;
    const ours = await client(host('1.44'), args, { home: dir });
    expect(ours.code, ours.stderr).toBe(0);
    const mine = log.splice(0);
    if (DOCKER_CLI === undefined) return;
    const theirs = await docker(host('1.44'), args, dir);
    expect(theirs.code, theirs.stderr).toBe(0);
    const other = log.splice(0);
    expect(mine.map((s) => s.line)).toEqual(other.map((s) => s.line));
    expect(mine.map((s) => s.contentType)).toEqual(other.map((s) => s.contentType));
    // docker sends an encoded empty AuthConfig ("e30=") with every pull; this client sends the
    // header only when it has credentials, except for push, which dockerd refuses without one.
    if (args[0] !== 'pull') expect(mine.map((s) => s.auth)).toEqual(other.map((s) => s.auth));
    expect(ours.stdout).toBe(theirs.stdout);
  });
});
