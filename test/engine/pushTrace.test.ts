// A real `docker push` runs through the layer machines: `dockstep trace` of the push shows each
// registry request dockerd's push operation made as a message (Engine 29's flow, containerd's
// pusher: no ping, per blob HEAD, POST and one PUT ?digest= carrying the bytes, then the
// manifest's HEAD and PUT) with the real registry's answers,
// and the content reads from containerd; a layer the registry has in another repository is
// mounted from it; the JSON stream carries "Pushing" lines with the bytes the real upload
// counted as they went out; a client that hangs up mid-upload cancels the push and its upload.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { pushTestImages } from './helpers/daemonImages.ts';
import { DOCKER, DOCKSTEP, startEngine, type RunningEngine } from './helpers/engine.ts';
import { skopeoInspect } from './helpers/images.ts';
import { startRegistry, type Registry } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';
import { until } from './helpers/until.ts';

const work = tempDir('push-trace');
let registry: Registry;
/** A registry the images were not pulled from: nothing to mount there, every blob is sent. */
let other: Registry;
let engine: RunningEngine;

/** `dockstep trace --format golden` of the engine's last operation. */
function lastTrace(): string[] {
  const r = spawnSync(process.execPath, [...DOCKSTEP, 'trace', '--root', engine.root, '--format', 'golden'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n');
}

realSuite(
  'docker push through the machines',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker'],
  () => {
    beforeAll(async () => {
      registry = await startRegistry();
      other = await startRegistry();
      await pushTestImages(registry.host, work.path);
      engine = await startEngine();
    }, 120_000);
    afterAll(async () => {
      await engine?.stop();
      await registry?.stop();
      await other?.stop();
      work.remove();
    }, 120_000);

    traceCase();
    mountCase();
    streamCase();
    cancelCase();
  },
);

function traceCase(): void {
  it('shows every registry request of a real push as a message in the trace', async () => {
    const h = registry.host;
    expect((await engine.docker(['pull', '-q', `${h}/busybox:v1`])).code).toBe(0);
    const o = other.host;
    expect((await engine.docker(['tag', `${h}/busybox:v1`, `${o}/traced/bb:t1`])).code).toBe(0);
    const pushed = await engine.docker(['push', `${o}/traced/bb:t1`]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const digest = /t1: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(pushed.stdout)?.[1];
    expect((await skopeoInspect(`${o}/traced/bb:t1`))['Digest']).toBe(digest);
    const lines = lastTrace();
    const sent = lines
      .filter((l) => l.startsWith('dockerd -> Registry: '))
      .map((l) => l.slice('dockerd -> Registry: '.length));
    const repo = `http://${o}/v2/traced/bb`;
    // No ping: the first request is a blob's HEAD. Four layers and the config, each missing:
    // HEAD, POST, then one PUT ?digest= with the whole blob (no PATCH, no second HEAD).
    expect(sent[0]).toMatch(new RegExp(`^HEAD ${repo}/blobs/sha256:`));
    expect(sent.some((s) => s.startsWith('PATCH '))).toBe(false);
    for (const verb of ['HEAD', 'POST'])
      expect(sent.filter((s) => s.startsWith(`${verb} ${repo}/blobs/`))).toHaveLength(5);
    expect(
      sent.filter((s) => /^PUT .*\/blobs\/uploads\/.*\?digest=sha256:[0-9a-f]{12}…$/.test(s)),
    ).toHaveLength(5);
    expect(sent.slice(-2)).toEqual([`HEAD ${repo}/manifests/t1`, `PUT ${repo}/manifests/t1`]);
    expect(lines.filter((l) => l === 'Registry --> dockerd: 201 Created')).toHaveLength(6);
    expect(lines.filter((l) => l.startsWith('dockerd -> containerd: Content.Info('))).toHaveLength(5);
    expect(lines.some((l) => l.startsWith('dockerd -> containerd: Content.ReaderAt('))).toBe(true);
  });
}

/**
 * A push to the registry the image came from mounts its layers from the repository they came
 * from instead of sending them (measured on dockerd 20.10: `POST …/uploads/?from=busybox&mount=…`
 * answered 201, "Mounted from busybox"; containerd's pusher asks `?mount=…&from=busybox`, its
 * requestWithMountFrom); the config, which no repository there names, is sent.
 */
function mountCase(): void {
  it('mounts the layers from the repository they were pulled from, as dockerd does', async () => {
    const h = registry.host;
    expect((await engine.docker(['tag', `${h}/busybox:v1`, `${h}/mounted/bb:m1`])).code).toBe(0);
    const pushed = await engine.docker(['push', `${h}/mounted/bb:m1`]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout.split('\n').filter((l) => / Mounted from busybox$/.test(l))).toHaveLength(4);
    const sent = lastTrace().filter((l) => l.startsWith('dockerd -> Registry: POST '));
    expect(
      sent.filter((l) => /\/blobs\/uploads\/\?mount=sha256:[0-9a-f]{12}…&from=busybox$/.test(l)),
    ).toHaveLength(4);
    expect(sent.filter((l) => l.endsWith('/blobs/uploads/'))).toHaveLength(1);
  });
}

function streamCase(): void {
  it('streams "Pushing" with the bytes sent, then "Pushed", for a 4 MiB layer', async () => {
    const h = registry.host;
    expect((await engine.docker(['pull', '-q', `${h}/solo:v1`])).code).toBe(0);
    expect((await engine.docker(['tag', `${h}/solo:v1`, `${other.host}/traced/solo:s1`])).code).toBe(0);
    const r = await engine.request('POST', `/images/${other.host}/traced/solo/push?tag=s1`, {
      headers: { 'X-Registry-Auth': 'e30=' },
    });
    expect(r.status).toBe(200);
    const stream = r.text
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            status?: string;
            id?: string;
            progressDetail?: { current?: number; total?: number };
          },
      );
    const pushing = stream.filter((m) => m.status === 'Pushing');
    expect(pushing.length).toBeGreaterThan(1);
    const last = pushing.at(-1);
    expect(last?.progressDetail?.current).toBe(last?.progressDetail?.total);
    const at = (status: string): number => stream.findIndex((m) => m.status === status && m.id === last?.id);
    expect(at('Preparing')).toBeLessThan(stream.indexOf(pushing[0] ?? {}));
    expect(at('Pushed')).toBeGreaterThan(stream.indexOf(last ?? {}));
    expect(stream[0]).toEqual({ status: `The push refers to repository [${other.host}/traced/solo]` });
  });
}

/** A registry that takes an upload's bytes and never answers: `closed` once the client gives up. */
async function stallingRegistry(): Promise<{
  host: string;
  uploading: () => boolean;
  closed: () => boolean;
  stop: () => Promise<void>;
}> {
  let [uploading, closed] = [false, false];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (req.method === 'PUT' && url.includes('/blobs/uploads/')) {
      uploading = true;
      req.resume();
      req.on('close', () => (closed = true));
      return;
    }
    if (req.method === 'POST') {
      res.writeHead(202, { location: `${url.replace(/\?.*$/, '')}u1`, 'content-length': '0' }).end();
      return;
    }
    res.writeHead(url === '/v2/' ? 200 : 404, { 'content-length': '0' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    uploading: () => uploading,
    closed: () => closed,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A client that hangs up mid-upload cancels the push through the machines, and its upload with it. */
function cancelCase(): void {
  it('is cancelled when its client hangs up: the trace says so, the upload stops', async () => {
    const stall = await stallingRegistry();
    try {
      const h = registry.host;
      expect((await engine.docker(['tag', `${h}/solo:v1`, `${stall.host}/x/solo:c`])).code).toBe(0);
      // The docker CLI goes once the upload is under way, as Ctrl-C would end it.
      const client = spawn(DOCKER, ['push', `${stall.host}/x/solo:c`], {
        env: { ...process.env, DOCKER_HOST: engine.host },
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => client.once('exit', resolve));
      await until(stall.uploading, 'the upload to begin');
      process.kill(client.pid ?? 0, 'SIGTERM');
      await exited;
      await until(stall.closed, 'the stalled upload to be closed');
      let lines = '';
      for (let i = 0; i < 50 && !lines.includes('context canceled'); i++) {
        lines = lastTrace().join('\n');
        if (!lines.includes('context canceled')) await new Promise((r) => setTimeout(r, 200));
      }
      expect(lines).toMatch(
        /dockerd -> Registry: PUT http:\/\/127\.0\.0\.1:\d+\/v2\/x\/solo\/blobs\/uploads\/u1\?digest=/,
      );
      expect(lines).toMatch(/CLI -> dockerd: connection closed: request \d+ cancelled/);
      expect(lines).toMatch(/dockerd -> dockerd: context canceled: request \d+/);
    } finally {
      await stall.stop();
    }
  });
}
