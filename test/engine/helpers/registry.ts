// A real distribution registry (Debian's docker-registry) on 127.0.0.1 with a config of the
// test's own, and an optional token endpoint for its `silly` auth (which asks for a Bearer
// token and accepts any). Each is stopped by its pid; the storage directory is removed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface TokenServer {
  realm: string;
  /** Each token request: its query (service, scopes) and whether credentials came. */
  requests: { service: string | null; scopes: string[]; user: string | undefined }[];
  stop(): Promise<void>;
}

/** A token endpoint: answers {token, access_token}; with `users`, refuses other Basic credentials. */
export async function startTokenServer(
  users?: Record<string, string>,
  field: 'token' | 'access_token' | 'both' = 'both',
): Promise<TokenServer> {
  const requests: TokenServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization;
    const [user, pass] = auth?.startsWith('Basic ')
      ? Buffer.from(auth.slice(6), 'base64').toString().split(':')
      : [];
    requests.push({
      service: url.searchParams.get('service'),
      scopes: url.searchParams.getAll('scope'),
      user,
    });
    if (users !== undefined && (user === undefined || users[user] !== pass)) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"details":"incorrect username or password"}');
      return;
    }
    const token = `t-${requests.length}`;
    const body =
      field === 'both'
        ? { token, access_token: token, expires_in: 300 }
        : { [field]: token, expires_in: 300 };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Registry {
  host: string;
  dir: string;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      http
        .get(url, (res) => {
          res.resume();
          resolve(res.statusCode === 200 || res.statusCode === 401);
        })
        .on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer on ${url}: ${log()}`);
}

export async function startRegistry(options: { realm?: string } = {}): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'dockstep-registry-'));
  const port = await freePort();
  const auth =
    options.realm === undefined ? '' : `auth:\n  silly:\n    realm: ${options.realm}\n    service: test\n`;
  const config = `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\n  delete:\n    enabled: true\n  cache:\n    blobdescriptor: inmemory\nhttp:\n  addr: 127.0.0.1:${port}\n  secret: dockstep-test\n${auth}`;
  writeFileSync(join(dir, 'config.yml'), config);
  const child = spawn('/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    await waitReady(`http://127.0.0.1:${port}/v2/`, child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: `127.0.0.1:${port}`,
    dir,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
