// The engine daemon driven by the real docker CLI (DOCKER_HOST=unix://…), against a real
// docker-registry on loopback holding skopeo-pushed busybox-static images: pull, images,
// inspect, history, tag, push (checked with skopeo), rmi with a shared layer, save → load,
// loading skopeo's docker-archive, events, and the error texts and exit codes docker prints.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import type { PushedImages } from './helpers/daemonImages.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { useImageEngine } from './helpers/imageEngine.ts';
import { skopeoInspect } from './helpers/images.ts';
import type { Registry } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';

let registry: Registry;
let engine: RunningEngine;
let images: PushedImages;
const work = tempDir('daemon');

/** `docker image inspect --format '{{json .RepoDigests}}'` of `ref`. */
async function repoDigests(ref: string): Promise<string> {
  return (await engine.docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref])).stdout.trim();
}

function cliTests(): void {
  it('pulls with docker pull: dockerd progress words, the digest, the status line', async () => {
    const r = await engine.docker(['pull', `${registry.host}/busybox:v1`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^v1: Pulling from busybox$/m);
    expect(r.stdout).toMatch(/^[0-9a-f]{12}: Pull complete$/m);
    expect(r.stdout).toMatch(/Digest: sha256:[0-9a-f]{64}\n/);
    expect(r.stdout).toContain(`Status: Downloaded newer image for ${registry.host}/busybox:v1`);
    const again = await engine.docker(['pull', `${registry.host}/busybox:v1`]);
    expect(again.stdout).toContain(`Status: Image is up to date for ${registry.host}/busybox:v1`);
  });

  it('lists, inspects and shows the history of the image', async () => {
    // docker info counts them through the machines (containerd's Images.List), as dockerd does.
    const info = await engine.docker(['info', '--format', '{{.Images}} {{.Containers}} {{.Driver}}']);
    expect(info.stdout.trim()).toBe('1 0 overlayfs');
    const list = await engine.docker(['images', '--format', '{{.Repository}} {{.Tag}} {{.ID}} {{.Size}}']);
    expect(list.stdout).toContain(
      `${registry.host}/busybox v1 ${images.busybox.config.digest.slice(7, 19)} 1.98MB`,
    );
    const inspect = JSON.parse(
      (await engine.docker(['image', 'inspect', `${registry.host}/busybox:v1`])).stdout,
    ) as Record<string, unknown>[];
    expect(inspect[0]).toMatchObject({
      Id: images.busybox.config.digest,
      RepoTags: [`${registry.host}/busybox:v1`],
      Os: 'linux',
      RootFS: { Type: 'layers', Layers: images.busybox.layers.map((l) => l.diffId) },
    });
    // Without --type the CLI asks for a container first: the engine's 501 ("not supported")
    // lets it go on to the image, as a 404 does.
    const plain = await engine.docker(['inspect', '--format', '{{.Id}}', `${registry.host}/busybox:v1`]);
    expect(plain.stdout, plain.stderr).toBe(`${images.busybox.config.digest}\n`);
    const history = await engine.docker([
      'history',
      '--format',
      '{{.CreatedBy}} {{.Size}}',
      `${registry.host}/busybox:v1`,
    ]);
    // Sizes as dockerd's overlay driver counts them (st_size of non-dirs, a hard link once).
    expect(history.stdout.trim().split('\n')).toEqual([
      'layer 3 45B',
      'layer 2 2B',
      'layer 1 84B',
      'layer 0 1.98MB',
    ]);
  });
}

function tagPushRmiTests(): void {
  it('tags and pushes; skopeo sees the pushed manifest', async () => {
    expect(
      (await engine.docker(['tag', `${registry.host}/busybox:v1`, `${registry.host}/copy:pushed`])).code,
    ).toBe(0);
    // A reference filter lists only the matching names of an image, as dockerd does.
    const listed = await engine.docker([
      'images',
      '--format',
      '{{.Repository}}:{{.Tag}}',
      `${registry.host}/copy`,
    ]);
    expect(listed.stdout.trim()).toBe(`${registry.host}/copy:pushed`);
    // A local tag has no digest in its repository until it is pushed there (dockerd's RepoDigests).
    expect(await repoDigests(`${registry.host}/copy:pushed`)).not.toContain(`${registry.host}/copy@`);
    const push = await engine.docker(['push', `${registry.host}/copy:pushed`]);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toContain(`The push refers to repository [${registry.host}/copy]`);
    const digest = /pushed: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(push.stdout)?.[1];
    const remote = await skopeoInspect(`${registry.host}/copy:pushed`);
    expect(remote['Digest']).toBe(digest);
    expect(remote['Layers']).toEqual(images.busybox.layers.map((l) => l.digest));
    expect(await repoDigests(`${registry.host}/copy:pushed`)).toContain(`${registry.host}/copy@${digest}`);
  });

  it('removes a tag, then the image, keeping the layers another image shares', async () => {
    expect((await engine.docker(['pull', `${registry.host}/shared:v1`])).code).toBe(0);
    const byId = await engine.docker(['rmi', images.busybox.config.digest.slice(7, 19)]);
    expect(byId.code).toBe(1);
    expect(byId.stderr).toContain(
      `conflict: unable to delete ${images.busybox.config.digest.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
    );
    const pushed = await repoDigests(`${registry.host}/copy:pushed`);
    const copyDigest = new RegExp(`"(${registry.host}/copy@sha256:[0-9a-f]{64})"`).exec(pushed)?.[1];
    expect(copyDigest).toBeDefined();
    // The repository's last tag takes its digest name along (measured on dockerd 20.10: a pushed
    // tag's rmi prints both lines).
    const untag = await engine.docker(['rmi', `${registry.host}/copy:pushed`]);
    expect(untag.stdout.trim()).toBe(`Untagged: ${registry.host}/copy:pushed\nUntagged: ${copyDigest ?? ''}`);
    const rm = await engine.docker(['rmi', `${registry.host}/busybox:v1`]);
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stdout).toContain(`Deleted: ${images.busybox.config.digest}`);
    // Layers 3 and 4 went; the two shared with shared:v1 stayed.
    expect(rm.stdout.match(/^Deleted: /gm)?.length).toBe(3);
    const tree = await engine.request('GET', `/dockstep/v1/images/${registry.host}/shared:v1/tree?path=/bin`);
    expect(tree.text).toContain('/bin/busybox\n');
  });
}

function archiveAndErrorTests(): void {
  it('saves and loads back an image, digests kept', async () => {
    expect((await engine.docker(['pull', `${registry.host}/busybox:oci`])).code).toBe(0);
    const tar = join(work.path, 'save.tar');
    expect((await engine.docker(['save', '-o', tar, `${registry.host}/busybox:oci`])).code).toBe(0);
    const names = execFileSync('tar', ['tf', tar]).toString().split('\n');
    expect(names).toEqual(
      expect.arrayContaining([
        'oci-layout',
        'index.json',
        'manifest.json',
        'repositories',
        `blobs/sha256/${images.busybox.manifest.digest.slice(7)}`,
      ]),
    );
    expect((await engine.docker(['rmi', `${registry.host}/busybox:oci`])).code).toBe(0);
    const load = await engine.docker(['load', '-i', tar]);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout.trim()).toBe(`Loaded image: ${registry.host}/busybox:oci`);
    // As with dockerd, a loaded image has no RepoDigests; its manifest is the saved one, byte for byte.
    const inspect = await engine.docker([
      'image',
      'inspect',
      '--format',
      '{{.Id}} {{json .RepoDigests}}',
      `${registry.host}/busybox:oci`,
    ]);
    expect(inspect.stdout.trim()).toBe(`${images.busybox.config.digest} []`);
    const again = join(work.path, 'again.tar');
    expect((await engine.docker(['save', '-o', again, `${registry.host}/busybox:oci`])).code).toBe(0);
    expect(execFileSync('tar', ['tf', again]).toString()).toContain(
      `blobs/sha256/${images.busybox.manifest.digest.slice(7)}`,
    );
  });

  it("loads skopeo's docker-archive", async () => {
    const tar = join(work.path, 'skopeo.tar');
    execFileSync(
      'skopeo',
      ['copy', '--quiet', `oci:${images.layout}:shared`, `docker-archive:${tar}:archived/shared:v9`],
      { env: { ...process.env, HOME: work.path } },
    );
    const load = await engine.docker(['load', '-i', tar]);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout.trim()).toBe('Loaded image: archived/shared:v9');
    const tree = await engine.request('GET', '/dockstep/v1/images/archived/shared:v9/tree?path=/');
    expect(tree.text).toContain('/extra.txt\n');
  });
}

function errorAndEventTests(): void {
  it('answers errors with dockerd texts and exit codes', async () => {
    const cases: [string[], string][] = [
      [['image', 'inspect', 'nope:1'], 'No such image: nope:1'],
      [['rmi', 'nope'], 'No such image: nope:latest'],
      [
        ['pull', `${registry.host}/busybox:missing`],
        `failed to resolve reference "${registry.host}/busybox:missing": ${registry.host}/busybox:missing: not found`,
      ],
      [
        ['pull', '127.0.0.1:1/busybox:x'],
        'failed to resolve reference "127.0.0.1:1/busybox:x": Head "http://127.0.0.1:1/v2/busybox/manifests/x": dial tcp 127.0.0.1:1: connect: connection refused',
      ],
      [['tag', 'nope', 'x'], 'No such image: nope:latest'],
      [
        ['push', `${registry.host}/nothere:v1`],
        `An image does not exist locally with the tag: ${registry.host}/nothere`,
      ],
    ];
    for (const [args, text] of cases) {
      const r = await engine.docker(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(text);
    }
    const bad = await engine.request('POST', '/v1.44/images/create?fromImage=Busybox&tag=1');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({
      message: 'invalid reference format: repository name must be lowercase',
    });
  });

  it('reports pull, tag, untag and delete in docker events', async () => {
    const since = (Date.now() / 1000).toFixed(3);
    await engine.docker(['pull', `${registry.host}/busybox:v1`]);
    await engine.docker(['tag', `${registry.host}/busybox:v1`, 'evt:1']);
    await engine.docker(['rmi', 'evt:1']);
    const until = String(Date.now() / 1000);
    const r = await engine.docker([
      'events',
      '--since',
      since,
      '--until',
      until,
      '--format',
      '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}',
    ]);
    expect(r.stdout.trim().split('\n')).toEqual([
      `image pull ${registry.host}/busybox`,
      'image tag evt:1',
      `image untag ${images.busybox.config.digest}`,
    ]);
  });
}

realSuite(
  'dockstep engine with the docker cli',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker'],
  () => {
    useImageEngine(work, (up) => ({ registry, images, engine } = up));
    cliTests();
    tagPushRmiTests();
    archiveAndErrorTests();
    errorAndEventTests();
    it('leaves nothing mounted under its run dir', () => {
      expect(readdirSync(join(engine.dir, 'run', 'dockstep.sock.run', 'tree'))).toEqual([]);
    });
  },
);
