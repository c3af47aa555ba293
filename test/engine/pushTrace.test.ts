// A real `docker push` runs through the layer machines: `dockstep trace` of the push shows each
// registry request dockerd's push operation made as a message (the ping, per blob HEAD, POST,
// PATCH, PUT ?digest= and HEAD again, then the manifest's PUT) with the real registry's answers,
// and the content reads from containerd; the JSON stream carries "Pushing" lines with the bytes
// the real upload counted as they went out.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { pushTestImages } from './helpers/daemonImages.ts';
import { startEngine, type RunningEngine } from './helpers/engine.ts';
import { skopeoInspect } from './helpers/images.ts';
import { startRegistry, type Registry } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'engine', 'cli', 'main.ts');
const TSX = join(import.meta.dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
const work = tempDir('push-trace');
let registry: Registry;
/** A registry the images were not pulled from: nothing to mount there, every blob is sent. */
let other: Registry;
let engine: RunningEngine;

/** `dockstep trace --format golden` of the engine's last operation. */
function lastTrace(): string[] {
  const r = spawnSync(process.execPath, [TSX, MAIN, 'trace', '--root', engine.root, '--format', 'golden'], {
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
    expect(sent[0]).toBe(`GET http://${o}/v2/`);
    // Four layers and the config: each missing, so HEAD, POST, PATCH, PUT ?digest=, HEAD.
    for (const verb of ['HEAD', 'POST', 'PATCH'])
      expect(sent.filter((s) => s.startsWith(`${verb} ${repo}/blobs/`)).length).toBe(
        verb === 'HEAD' ? 10 : 5,
      );
    expect(
      sent.filter((s) => /^PUT .*\/blobs\/uploads\/.*\?digest=sha256:[0-9a-f]{12}…$/.test(s)),
    ).toHaveLength(5);
    expect(sent.at(-1)).toBe(`PUT ${repo}/manifests/t1`);
    expect(lines.filter((l) => l === 'Registry --> dockerd: 201 Created')).toHaveLength(6);
    expect(lines.filter((l) => l.startsWith('dockerd -> containerd: Content.Info('))).toHaveLength(5);
    expect(lines.some((l) => l.startsWith('dockerd -> containerd: Content.ReaderAt('))).toBe(true);
  });
}

/**
 * A push to the registry the image came from mounts its layers from the repository they came
 * from instead of sending them (measured on dockerd 20.10: `POST …/uploads/?from=busybox&mount=…`
 * answered 201, "Mounted from busybox"); the config, which no repository there names, is sent.
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
      sent.filter((l) => /\/blobs\/uploads\/\?from=busybox&mount=sha256:[0-9a-f]{12}…$/.test(l)),
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
