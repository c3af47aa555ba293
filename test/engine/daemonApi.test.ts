// The engine daemon's Engine API at the HTTP level: version prefixes and headers, dockerd's
// error shapes for malformed requests (the engine must stay up), the dockstep image tree
// endpoint over a real overlay mount (a whiteout and an opaque dir), two concurrent pulls of
// one image doing the work once (counted at a proxy in front of the registry), and the
// daemon's start rules: one engine per root and per socket, a stale socket removed.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { startCountingProxy, type CountingProxy } from './helpers/countingProxy.ts';
import type { PushedImages } from './helpers/daemonImages.ts';
import { spawnEngine, type RunningEngine } from './helpers/engine.ts';
import { useImageEngine } from './helpers/imageEngine.ts';
import { startRegistry, startTokenServer, type Registry } from './helpers/registry.ts';
import { skopeoCopy } from './helpers/images.ts';
import { tempDir } from './helpers/tmp.ts';

let registry: Registry;
let proxy: CountingProxy;
let engine: RunningEngine;
let images: PushedImages;
const work = tempDir('daemon-api');

async function alive(): Promise<void> {
  const ping = await engine.request('GET', '/_ping');
  expect(ping.status).toBe(200);
  expect(ping.text).toBe('OK');
}

function rawRequest(socket: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socket);
    let out = '';
    c.on('data', (d: Buffer) => (out += d.toString()));
    c.on('end', () => resolve(out));
    c.on('error', reject);
    c.end(text);
  });
}

function protocolTests(): void {
  it('answers _ping with the api version headers, with and without a version prefix', async () => {
    for (const path of ['/_ping', '/v1.24/_ping', '/v1.44/_ping']) {
      const r = await engine.request('GET', path);
      expect(r.status).toBe(200);
      expect(r.headers).toMatchObject({
        'api-version': '1.44',
        ostype: 'linux',
        'docker-experimental': 'false',
        pragma: 'no-cache',
      });
      expect(r.headers['cache-control']).toContain('no-cache');
    }
    const head = await engine.request('HEAD', '/_ping');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const info = JSON.parse((await engine.request('GET', '/info')).text) as Record<string, unknown>;
    expect(info).toMatchObject({ Driver: 'overlayfs', DockerRootDir: engine.root, OSType: 'linux' });
  });
}

function loginBodyTests(): void {
  it('refuses a login body that is not a JSON object with 400 in the error shape', async () => {
    // dockerd says 500 with Go's decoder text; a bad request is what it is.
    for (const body of ['{bad', '[]', '"alice"']) {
      const r = await engine.request('POST', '/auth', { body: Buffer.from(body) });
      expect(r.status, body).toBe(400);
      expect(r.headers['content-type']).toBe('application/json');
      expect((JSON.parse(r.text) as { message: string }).message).toMatch(
        /^(invalid JSON|auth: the body must be a JSON object)/,
      );
    }
    await alive();
  });
}

function malformedTests(): void {
  it('refuses malformed requests with dockerd statuses and texts, and stays up', async () => {
    const cases: [string, string, number, string | RegExp][] = [
      ['GET', '/v1.50/version', 400, 'client version 1.50 is too new. Maximum supported API version is 1.44'],
      ['GET', '/v1.12/version', 400, /client version 1.12 is too old/],
      ['GET', '/nothing/here', 404, 'page not found'],
      ['PUT', '/images/json', 404, 'page not found'],
      ['GET', '/images/json?filters=%7Bbad', 400, /invalid filter/],
      [
        'GET',
        '/images/json?filters=%7B%22dangling%22%3A%5B%22maybe%22%5D%7D',
        400,
        /invalid filter 'dangling=maybe'/,
      ],
      [
        'POST',
        '/images/create?fromImage=Busybox',
        400,
        'invalid reference format: repository name must be lowercase',
      ],
      ['POST', '/images/create', 400, 'fromImage is required'],
      ['GET', '/images/nope/json', 404, 'No such image: nope:latest'],
      ['GET', '/events?since=yesterday', 400, /invalid since time/],
      ['POST', '/images/nope/tag?repo=a&tag=b', 404, 'No such image: nope:latest'],
    ];
    for (const [method, path, status, message] of cases) {
      const r = await engine.request(method, path);
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(r.headers['content-type']).toBe('application/json');
      expect((JSON.parse(r.text) as { message: string }).message).toMatch(message);
    }
    // dockerd answers a load 200 at once: a broken archive is the stream's error line.
    for (const body of [Buffer.alloc(0), Buffer.alloc(1024, 7)]) {
      const load = await engine.request('POST', '/images/load', { body });
      expect(load.status).toBe(200);
      expect(JSON.parse(load.text)).toHaveProperty('errorDetail.message');
    }
    await alive();
  });

  it('survives a huge header (431), a broken request line (400) and an undecodable auth header', async () => {
    const huge = await rawRequest(
      engine.socket,
      `GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1.1 431 /);
    expect(huge).toContain('{"message":');
    const broken = await rawRequest(engine.socket, 'NOT HTTP AT ALL\r\n\r\n');
    expect(broken).toMatch(/^HTTP\/1.1 400 /);
    // dockerd ignores an X-Registry-Auth it cannot decode and pulls anonymously.
    const pull = await engine.request('POST', `/images/create?fromImage=${registry.host}/busybox&tag=oci`, {
      headers: { 'X-Registry-Auth': '!!!not base64 json' },
    });
    expect(pull.status).toBe(200);
    expect(pull.text).toContain('Status: Downloaded newer image');
    await alive();
  });
}

function treeAndPullTests(): void {
  it('shows the merged tree of a real overlay mount: the whiteout hides, the opaque dir resets', async () => {
    const name = `${registry.host}/busybox:oci`;
    const r = await engine.request('GET', `/dockstep/v1/images/${name}/tree?path=/etc`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.text).toBe(['/etc/conf.d', '/etc/conf.d/c.conf', '/etc/passwd', ''].join('\n'));
    const all = (await engine.request('GET', `/dockstep/v1/images/${name}/tree`)).text.split('\n');
    expect(all).toEqual(
      expect.arrayContaining(['/app/hello.sh', '/bin/busybox', '/home/nobody/owned', '/tmp']),
    );
    expect(all).not.toContain('/etc/old.conf');
    const bad: [string, number][] = [
      ['etc', 400],
      ['/etc/../bin', 400],
      ['/no/such', 404],
    ];
    for (const [path, status] of bad) {
      const b = await engine.request(
        'GET',
        `/dockstep/v1/images/${name}/tree?path=${encodeURIComponent(path)}`,
      );
      expect(b.status, path).toBe(status);
      expect(JSON.parse(b.text)).toHaveProperty('message');
    }
    expect((await engine.request('GET', '/dockstep/v1/images/nope/tree')).status).toBe(404);
  });

  it('does the work of two concurrent pulls of one image once, and stays healthy after a failed pull', async () => {
    const path = `/images/create?fromImage=${proxy.host}/solo&tag=v1`;
    const [a, b] = await Promise.all([engine.request('POST', path), engine.request('POST', path)]);
    for (const r of [a, b]) {
      expect(r.status).toBe(200);
      expect(r.text).toContain(`Digest: `);
    }
    for (const l of images.solo.layers) expect(proxy.blobGets.get(l.digest)).toBe(1);
    // The second request joined the first: it saw the same per-layer progress.
    expect(b.text).toContain('Pull complete');
    const failed = await engine.request('POST', `/images/create?fromImage=${proxy.host}/busybox&tag=missing`);
    expect(failed.status).toBe(404);
    const list = JSON.parse((await engine.request('GET', '/images/json')).text) as { RepoTags: string[] }[];
    expect(list.flatMap((i) => i.RepoTags)).toContain(`${proxy.host}/solo:v1`);
    await alive();
  });
}

/** The first `count` lines of a streaming GET, then the connection is dropped. */
function streamLines(socket: string, path: string, count: number, started: () => void): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: socket, path }, (res) => {
      let text = '';
      started();
      res.on('data', (c: Buffer) => {
        text += c.toString();
        const lines = text.split('\n').filter((l) => l !== '');
        if (lines.length >= count) {
          req.destroy();
          resolve(lines.slice(0, count));
        }
      });
    });
    req.on('error', reject);
  });
}

function eventTests(): void {
  it('streams live image events in dockerd shape, filtered', async () => {
    const name = `${registry.host}/busybox:oci`;
    const filters = encodeURIComponent(JSON.stringify({ type: ['image'], event: ['tag', 'delete'] }));
    let go: () => void = () => undefined;
    const ready = new Promise<void>((r) => (go = r));
    const lines = streamLines(engine.socket, `/v1.44/events?filters=${filters}`, 2, go);
    await ready;
    expect((await engine.request('POST', `/images/${name}/tag?repo=live&tag=1`)).status).toBe(201);
    const rm = await engine.request('DELETE', '/images/live:1');
    expect(JSON.parse(rm.text)).toEqual([{ Untagged: 'live:1' }]);
    await engine.request('POST', `/images/${name}/tag?repo=live&tag=2`);
    const [tag, tag2] = (await lines).map((l) => JSON.parse(l) as Record<string, unknown>);
    const id = images.busybox.config.digest;
    expect(tag).toMatchObject({
      status: 'tag',
      id,
      Type: 'image',
      Action: 'tag',
      Actor: { ID: id, Attributes: { name: 'live:1' } },
      scope: 'local',
    });
    expect(typeof tag?.['time']).toBe('number');
    expect(String(tag?.['timeNano']).startsWith(String(tag?.['time']))).toBe(true);
    expect(tag2).toMatchObject({ Action: 'tag', Actor: { Attributes: { name: 'live:2' } } });
  });
}

function archiveTests(): void {
  it('loads an oci-archive (an OCI layout alone) and saves one image by GET /images/{name}/get', async () => {
    const tar = join(work.path, 'solo-oci.tar');
    execFileSync(
      'skopeo',
      ['copy', '--quiet', `oci:${images.layout}:solo`, `oci-archive:${tar}:ociarchive/solo:3`],
      {
        env: { ...process.env, HOME: work.path },
      },
    );
    const load = await engine.request('POST', '/images/load?quiet=1', { body: readFileSync(tar) });
    expect(load.status).toBe(200);
    expect(JSON.parse(load.text)).toEqual({ stream: 'Loaded image: ociarchive/solo:3\n' });
    const inspect = JSON.parse((await engine.request('GET', '/images/ociarchive/solo:3/json')).text) as {
      Id: string;
    };
    expect(inspect.Id).toBe(images.solo.config.digest);
    const saved = await engine.request('GET', '/images/ociarchive/solo:3/get');
    expect(saved.status).toBe(200);
    expect(saved.headers['content-type']).toBe('application/x-tar');
    const out = join(work.path, 'solo-saved.tar');
    writeFileSync(out, saved.body);
    const manifest = JSON.parse(execFileSync('tar', ['xOf', out, 'manifest.json']).toString()) as unknown[];
    expect(manifest).toEqual([
      {
        Config: `blobs/sha256/${images.solo.config.digest.slice(7)}`,
        RepoTags: ['ociarchive/solo:3'],
        Layers: images.solo.layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`),
      },
    ]);
    expect((await engine.request('GET', '/images/get?names=nope')).status).toBe(404);
  });

  it('reports a failure after the progress began inside the 200 stream, and cleans up', async () => {
    // The registry loses one blob of broken:v1: the pull fails in the middle.
    const lost = images.broken.layers[0]?.digest ?? '';
    const del = await fetch(`http://${registry.host}/v2/broken/blobs/${lost}`, { method: 'DELETE' });
    expect(del.status).toBe(202);
    const r = await engine.request('POST', `/images/create?fromImage=${registry.host}/broken&tag=v1`);
    expect(r.status).toBe(200);
    const lines = r.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ status: 'Pulling from broken', id: 'v1' });
    expect(lines.map((l) => l['id'])).toContain(lost.slice(7, 19));
    // dockerd's words for it (measured on 20.10): {"errorDetail":{"message":"unknown blob"},"error":"unknown blob"}
    expect(lines.at(-1)).toEqual({ errorDetail: { message: 'unknown blob' }, error: 'unknown blob' });
    expect((await engine.request('GET', `/images/${registry.host}/broken:v1/json`)).status).toBe(404);
    // Nothing half-imported: the layer that did arrive was swept with the failed pull.
    for (const l of images.broken.layers)
      expect(existsSync(join(engine.root, 'content', 'blobs', 'sha256', l.digest.slice(7)))).toBe(false);
    await alive();
  });
}

function authTests(): void {
  it('passes X-Registry-Auth credentials on to the registry, and answers a refusal before any progress', async () => {
    const tokens = await startTokenServer({ me: 'secret' });
    const secured = await startRegistry({ realm: tokens.realm });
    try {
      await skopeoCopy(images.layout, 'broken', `${secured.host}/private:v1`, {
        format: 'oci',
        creds: 'me:secret',
      });
      const auth = (o: unknown): Record<string, string> => ({
        'X-Registry-Auth': Buffer.from(JSON.stringify(o)).toString('base64url'),
      });
      const path = `/images/create?fromImage=${secured.host}/private&tag=v1`;
      const refused = await engine.request('POST', path, {
        headers: auth({ username: 'me', password: 'wrong' }),
      });
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.text)).toHaveProperty('message');
      const ok = await engine.request('POST', path, {
        headers: auth({ username: 'me', password: 'secret', serveraddress: secured.host }),
      });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('Status: Downloaded newer image');
      expect(tokens.requests.at(-1)).toMatchObject({ user: 'me', scopes: ['repository:private:pull'] });
    } finally {
      await secured.stop();
      await tokens.stop();
    }
  });
}

function daemonTests(): void {
  it('makes the socket 0660 and refuses a second engine on the same root or socket', async () => {
    expect(statSync(engine.socket).mode & 0o777).toBe(0o660);
    for (const args of [
      ['--root', engine.root, '--socket', join(work.path, 'other.sock')],
      ['--root', join(work.path, 'other-root'), '--socket', engine.socket],
    ]) {
      const { child, output } = spawnEngine(args);
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code, output()).toBe(1);
      expect(output()).toMatch(
        /dockstep engine: (root .* is in use by pid \d+|another engine is listening on )/,
      );
    }
    await alive();
  });

  it('removes a stale socket and shuts down on SIGTERM, leaving no socket or lock', async () => {
    const dir = join(work.path, 'stale');
    const socket = join(dir, 'd.sock');
    mkdirSync(dir);
    // A listener killed with SIGKILL leaves its socket file behind, with nobody answering.
    const listener = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    await new Promise((resolve) => listener.once('exit', resolve));
    expect(existsSync(socket)).toBe(true);
    const { child, output } = spawnEngine(['--root', join(dir, 'root'), '--socket', socket]);
    for (let i = 0; i < 200 && !output().includes('listening'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(output()).toContain('listening');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    process.kill(child.pid ?? 0, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(join(dir, 'root', 'lock'))).toBe(false);
  });
}

realSuite('dockstep engine api', ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr'], () => {
  useImageEngine(work, (up) => ({ registry, images, engine } = up));
  // After the engine's hooks, before them on the way down (vitest runs afterAll hooks as a stack).
  beforeAll(async () => {
    proxy = await startCountingProxy(registry.host);
  });
  afterAll(async () => proxy?.stop());
  protocolTests();
  malformedTests();
  loginBodyTests();
  treeAndPullTests();
  eventTests();
  archiveTests();
  authTests();
  daemonTests();
});
