// What the engine refuses, driven by the real docker CLI where it can be: the Docker endpoints it
// does not serve (501, dockerd's answer to an unsupported request, with a text that says what it
// serves — not "page not found"), a pull platform containerd cannot parse (400, dockerd 20.10's
// text, test/fixtures/real-engine/l-refusals.txt), and a login body whose fields have the wrong
// type (refused before any registry is asked, with Go's decoder text).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { startEngine, type RunningEngine } from './helpers/engine.ts';

let engine: RunningEngine;
const SERVES = /^not supported: the dockstep engine serves images \(.*\) and containers \(.*\) today, not /;

function message(text: string): string {
  return (JSON.parse(text) as { message: string }).message;
}

function unsupportedTests(): void {
  it('answers docker commands for plugins and disk use with 501 and what it serves', async () => {
    const commands: [string[], string][] = [
      [['plugin', 'ls'], 'GET /plugins'],
      [['system', 'df'], 'GET /system/df'],
    ];
    for (const [args, endpoint] of commands) {
      const r = await engine.docker(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(
        new RegExp(`^Error response from daemon: ${SERVES.source.slice(1)}${endpoint}\\n`),
      );
      expect(r.stderr).not.toContain('page not found');
    }
  });

  it('answers 501 in dockerd error shape for any Docker endpoint, with or without a version prefix', async () => {
    const cases: [string, string][] = [
      ['GET', '/v1.41/containers/web/attach/ws'],
      ['POST', '/secrets/create'],
      ['POST', '/commit'],
      ['GET', '/v1.44/containers/0123abcd/checkpoints'],
      ['GET', '/distribution/busybox/json'],
      ['GET', '/nodes'],
      ['POST', '/build'],
      ['GET', '/swarm'],
      ['GET', '/plugins'],
    ];
    for (const [method, path] of cases) {
      const r = await engine.request(method, path);
      expect(r.status, `${method} ${path}`).toBe(501);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['api-version']).toBe('1.44');
      const bare = path.replace(/^\/v1\.\d+/, '').replace(/\?.*$/, '');
      expect(message(r.text)).toMatch(new RegExp(`${SERVES.source}${method} ${bare}$`));
    }
    // The version check comes first, as dockerd's middleware does it.
    expect((await engine.request('GET', '/v1.99/containers/web/top')).status).toBe(400);
  });
}

function notFoundTests(): void {
  it('lets docker inspect go on past the kinds of object it does not serve', async () => {
    const r = await engine.docker(['inspect', 'nothing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: No such object: nothing\n');
  });

  it('keeps 404 "page not found" for paths that are in no Docker API, and for a wrong method', async () => {
    for (const [method, path] of [
      ['GET', '/nothing/here'],
      ['GET', '/containers'],
      ['PUT', '/containers/json'],
      ['GET', '/v1.41/volumez'],
    ] as const) {
      const r = await engine.request(method, path);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(message(r.text)).toBe('page not found');
    }
  });
}

function platformTests(): void {
  it('refuses a platform containerd cannot parse with 400 and dockerd 20.10 texts', async () => {
    const cases: [string, string][] = [
      ['bad/bad/bad/bad', '"bad/bad/bad/bad": cannot parse platform specifier: invalid argument'],
      ['linux/amd64/v9/x', '"linux/amd64/v9/x": cannot parse platform specifier: invalid argument'],
      ['bad', '"bad": unknown operating system or architecture: invalid argument'],
      [
        'linux/amd64/',
        '"" is an invalid component of "linux/amd64/": platform specifier component must match "^[A-Za-z0-9_-]+$": invalid argument',
      ],
      [
        'linux//v7',
        '"" is an invalid component of "linux//v7": platform specifier component must match "^[A-Za-z0-9_-]+$": invalid argument',
      ],
    ];
    for (const [platform, text] of cases) {
      // No registry is needed: the platform is refused before any request leaves the engine.
      const r = await engine.request(
        'POST',
        `/images/create?fromImage=127.0.0.1:9/none&tag=v1&platform=${encodeURIComponent(platform)}`,
      );
      expect(r.status, platform).toBe(400);
      expect(message(r.text), platform).toBe(text);
    }
    const cli = await engine.docker(['pull', '--platform', 'bad/bad/bad/bad', '127.0.0.1:9/none:v1']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toBe(
      'Error response from daemon: "bad/bad/bad/bad": cannot parse platform specifier: invalid argument\n',
    );
  });
}

/** A registry stand-in that answers 200 to everything and counts what it was asked. */
async function countingServer(): Promise<{ host: string; count(): number; stop(): Promise<void> }> {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function loginTests(): void {
  it('refuses a login body with a field of the wrong type before asking the registry', async () => {
    const registry = await countingServer();
    try {
      const cases: [Record<string, unknown>, string][] = [
        [{ username: 1, password: 'p' }, 'number into Go struct field AuthConfig.username'],
        [{ username: 'u', password: 2 }, 'number into Go struct field AuthConfig.password'],
        [{ Username: true, password: 'p' }, 'bool into Go struct field AuthConfig.username'],
        [{ username: 'u', password: 'p', email: [] }, 'array into Go struct field AuthConfig.email'],
        [
          { username: 'u', password: 'p', identitytoken: {} },
          'object into Go struct field AuthConfig.identitytoken',
        ],
      ];
      for (const [fields, text] of cases) {
        const body = JSON.stringify({ ...fields, serveraddress: registry.host });
        const r = await engine.request('POST', '/auth', {
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect(r.status, body).toBe(400);
        expect(message(r.text), body).toBe(`json: cannot unmarshal ${text} of type string`);
      }
      expect(registry.count()).toBe(0);
      // A null is Go's empty string, and a key in another case is the same field: that login is asked.
      const ok = await engine.request('POST', '/auth', {
        body: JSON.stringify({ UserName: null, Password: 'p', ServerAddress: registry.host }),
      });
      expect(ok.status).toBe(200);
      expect(registry.count()).toBe(1);
    } finally {
      await registry.stop();
    }
  });
}

realSuite('dockstep engine refusals', ['root', 'overlay', 'docker'], () => {
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine?.stop();
  });
  unsupportedTests();
  notFoundTests();
  platformTests();
  loginTests();
});
