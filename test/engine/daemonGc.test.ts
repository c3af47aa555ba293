// Blobs and layers leave the engine's stores with an image's last name, driven by the docker
// CLI: a pulled image, a loaded one, one pulled, saved, removed and loaded back, and one pulled
// and loaded under another name from an archive whose layers are not the registry's blobs
// (skopeo's docker-archive: uncompressed) — there the pulled name's own blobs must go with it,
// though the image keeps a name. An image sharing layers with another keeps the shared ones.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import type { PushedImages } from './helpers/daemonImages.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { useImageEngine } from './helpers/imageEngine.ts';
import type { Registry } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';

let registry: Registry;
let engine: RunningEngine;
let images: PushedImages;
const work = tempDir('daemon-gc');

/** The blob files and snapshot dirs under the engine's root. */
function stores(): { blobs: string[]; snapshots: string[] } {
  return {
    blobs: readdirSync(join(engine.root, 'content', 'blobs', 'sha256')).sort(),
    snapshots: readdirSync(join(engine.root, 'snapshots')).filter((n) => n !== 'whiteout'),
  };
}

const EMPTY = { blobs: [], snapshots: [] };

async function docker(args: string[]): Promise<string> {
  const r = await engine.docker(args);
  expect(r.code, `docker ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

function skopeoArchive(tag: string, name: string): string {
  const tar = join(work.path, `${tag}-${Math.random().toString(16).slice(2)}.tar`);
  execFileSync(
    'skopeo',
    ['copy', '--quiet', `oci:${images.layout}:${tag}`, `docker-archive:${tar}:${name}`],
    {
      env: { ...process.env, HOME: work.path },
    },
  );
  return tar;
}

function rmiTests(): void {
  it('empties the stores after a pulled image and after a loaded one', async () => {
    await docker(['pull', `${registry.host}/busybox:v1`]);
    expect(stores().blobs.length).toBe(6);
    await docker(['rmi', `${registry.host}/busybox:v1`]);
    expect(stores()).toEqual(EMPTY);
    await docker(['load', '-i', skopeoArchive('v1', 'archived/bb:v1')]);
    await docker(['rmi', 'archived/bb:v1']);
    expect(stores()).toEqual(EMPTY);
  });

  it('empties them after pull, save, rmi, load, rmi', async () => {
    const name = `${registry.host}/busybox:oci`;
    const tar = join(work.path, 'saved.tar');
    await docker(['pull', name]);
    await docker(['save', '-o', tar, name]);
    await docker(['rmi', name]);
    await docker(['load', '-i', tar]);
    expect(stores().snapshots.length).toBe(4);
    await docker(['rmi', name]);
    expect(stores()).toEqual(EMPTY);
  });

  it('deletes a pulled name’s own blobs when a loaded name of the image stays', async () => {
    const pulled = `${registry.host}/busybox:v1`;
    await docker(['pull', pulled]);
    await docker(['load', '-i', skopeoArchive('v1', 'archived/bb:v9')]);
    const both = stores();
    expect(both.snapshots.length).toBe(4);
    const out = await docker(['rmi', pulled]);
    expect(out).not.toMatch(/Deleted:/);
    const left = stores();
    // The registry's gzip layers and manifest went with the pulled name; the layers stay.
    for (const l of images.busybox.layers) expect(left.blobs).not.toContain(l.digest.slice(7));
    expect(left.blobs).not.toContain(images.busybox.manifest.digest.slice(7));
    expect(left.snapshots).toEqual(both.snapshots);
    await docker(['rmi', 'archived/bb:v9']);
    expect(stores()).toEqual(EMPTY);
  });

  it('keeps the layers an image shares with another', async () => {
    await docker(['pull', `${registry.host}/busybox:v1`]);
    await docker(['pull', `${registry.host}/shared:v1`]);
    const out = await docker(['rmi', `${registry.host}/busybox:v1`]);
    // busybox's top two layers go; its lower two are shared:v1's.
    expect(out.match(/^Deleted: sha256:/gm)?.length).toBe(3);
    const left = stores();
    expect(left.snapshots.length).toBe(3);
    expect(left.blobs.sort()).toEqual(
      [
        images.shared.config.digest,
        images.shared.manifest.digest,
        ...images.shared.layers.map((l) => l.digest),
      ]
        .map((d) => d.slice(7))
        .sort(),
    );
    await docker(['rmi', `${registry.host}/shared:v1`]);
    expect(stores()).toEqual(EMPTY);
  });
}

/** `docker image prune` as recorded on dockerd 20.10 (test/fixtures/real-engine/m-image-prune.txt). */
function pruneTests(): void {
  it('prunes nothing by default (no image is dangling), and with -a every image, name by name, counting the space', async () => {
    const busybox = `${registry.host}/busybox:v1`;
    const shared = `${registry.host}/shared:v1`;
    await docker(['pull', busybox]);
    await docker(['pull', shared]);
    await docker(['tag', busybox, 'mine:1']);
    expect(await docker(['image', 'prune', '-f'])).toBe('Total reclaimed space: 0B\n');
    const raw = await engine.request(
      'POST',
      '/v1.41/images/prune?filters=%7B%22dangling%22%3A%5B%22false%22%5D%7D',
    );
    expect(raw.status).toBe(200);
    const body = JSON.parse(raw.text) as { ImagesDeleted: Record<string, string>[]; SpaceReclaimed: number };
    const lines = body.ImagesDeleted.map((e) => Object.entries(e)[0]?.join(' '));
    // busybox's names (each repository's digest name goes with its last tag), then the image, its own
    // layers; shared's name, the image, and the layers the two shared, which go with the last.
    expect(lines.filter((l) => l?.startsWith('Untagged')).length).toBe(5);
    expect(lines).toContain('Untagged mine:1');
    expect(
      lines.filter(
        (l) =>
          l === `Deleted ${images.busybox.config.digest}` || l === `Deleted ${images.shared.config.digest}`,
      ).length,
    ).toBe(2);
    // Five layers in all: busybox's four, of which shared has the lower two, and one of shared's own.
    expect(lines.filter((l) => l?.startsWith('Deleted')).length).toBe(2 + 5);
    expect(body.SpaceReclaimed).toBeGreaterThan(0);
    expect(stores()).toEqual(EMPTY);
  });

  it('narrows -a with label and until, and refuses a filter dockerd refuses', async () => {
    await docker(['pull', `${registry.host}/busybox:v1`]);
    expect(await docker(['image', 'prune', '-a', '-f', '--filter', 'label=nosuch'])).toBe(
      'Total reclaimed space: 0B\n',
    );
    const bad = await engine.request('POST', '/images/prune?filters=%7B%22bogus%22%3A%5B%22x%22%5D%7D');
    expect([bad.status, JSON.parse(bad.text)]).toEqual([400, { message: "Invalid filter 'bogus'" }]);
    const dangling = await engine.request(
      'POST',
      '/images/prune?filters=%7B%22dangling%22%3A%5B%22maybe%22%5D%7D',
    );
    expect([dangling.status, JSON.parse(dangling.text)]).toEqual([
      400,
      { message: "Invalid filter 'dangling=[maybe]'" },
    ]);
    const until = await engine.request('POST', '/images/prune?filters=%7B%22until%22%3A%5B%22bad%22%5D%7D');
    expect([until.status, JSON.parse(until.text)]).toEqual([
      500,
      { message: 'failed to parse value as time or duration: "bad"' },
    ]);
    const out = await docker(['image', 'prune', '-a', '-f', '--filter', 'until=1h']);
    expect(out).toMatch(/^Deleted Images:\nuntagged: /);
    expect(stores()).toEqual(EMPTY);
  });
}

realSuite(
  'the engine deletes what an image held with its last name',
  ['root', 'overlay', 'attr', 'registry', 'skopeo', 'busybox', 'docker'],
  () => {
    useImageEngine(work, (up) => ({ registry, images, engine } = up));

    rmiTests();
    pruneTests();
  },
);
