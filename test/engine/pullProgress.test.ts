// The engine's pull progress against dockerd 20.10's, recorded pulling the same test images from
// a loopback registry (test/fixtures/real-engine/pull-streams/): per layer, "Verifying Checksum"
// comes just before "Download complete", never after "Pull complete"; every layer line carries
// `progressDetail` (`{}` when there is nothing to count), which the docker CLI needs to redraw
// it in place; a new name for an image whose layers are all here is "Downloaded newer image";
// and an image that is all here already gets no layer lines at all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { JsonMessage } from '../../engine/api/jsonmessage.ts';
import { realSuite } from './helpers/caps.ts';
import type { PushedImages } from './helpers/daemonImages.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { useImageEngine } from './helpers/imageEngine.ts';
import { skopeoCopy } from './helpers/images.ts';
import type { Registry } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';

let registry: Registry;
let engine: RunningEngine;
let images: PushedImages;
const work = tempDir('pull-progress');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'real-engine', 'pull-streams');

function lines(text: string): JsonMessage[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonMessage);
}

const recorded = (name: string): JsonMessage[] =>
  lines(readFileSync(join(FIXTURES, `${name}.jsonl`), 'utf8'));

async function pull(name: string): Promise<JsonMessage[]> {
  const [repo, tag] = name.split(':');
  const r = await engine.request('POST', `/images/create?fromImage=${registry.host}/${repo}&tag=${tag}`);
  expect(r.status, r.text).toBe(200);
  return lines(r.text);
}

/** Each layer's statuses in order, byte counts left out. */
function stories(stream: JsonMessage[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of stream) {
    if (m.id === undefined || m.status === undefined || m.status.startsWith('Pulling from ')) continue;
    if (m.status === 'Downloading' || m.status === 'Extracting') continue;
    out.set(m.id, [...(out.get(m.id) ?? []), m.status]);
  }
  return out;
}

/** dockerd's order for one layer: what it says, each at most once, in this order. */
const ORDER = ['Pulling fs layer', 'Waiting', 'Verifying Checksum', 'Download complete', 'Pull complete'];

function expectDockerdOrder(stream: JsonMessage[], where: string): void {
  for (const [id, story] of stories(stream)) {
    if (story.includes('Already exists')) {
      expect(story, `${where} ${id}`).toEqual(['Already exists']);
      continue;
    }
    expect(
      story.map((s) => ORDER.indexOf(s)),
      `${where} ${id}: ${story.join(', ')}`,
    ).toEqual([...story.map((s) => ORDER.indexOf(s))].sort((a, b) => a - b));
    expect(new Set(story).size, `${where} ${id}`).toBe(story.length);
    expect(story.at(-1), `${where} ${id}`).toBe('Pull complete');
  }
}

/** Every per-layer line has progressDetail; the messages ("Pulling from", Digest, Status) have none. */
function expectProgressDetail(stream: JsonMessage[], where: string): void {
  for (const m of stream) {
    const layer = m.id !== undefined && !(m.status ?? '').startsWith('Pulling from ');
    expect(m.progressDetail !== undefined, `${where}: ${JSON.stringify(m)}`).toBe(layer);
  }
}

function progressTests(): void {
  it('sends each layer through dockerd’s steps in dockerd’s order, with progressDetail on every layer line', async () => {
    for (const name of ['dockerd-fresh', 'dockerd-someexist']) {
      expectDockerdOrder(recorded(name), name);
      expectProgressDetail(recorded(name), name);
    }
    const fresh = await pull('busybox:v1');
    expectDockerdOrder(fresh, 'fresh');
    expectProgressDetail(fresh, 'fresh');
    const verified = [...stories(fresh).values()].filter((s) => s.includes('Verifying Checksum'));
    expect(verified).toHaveLength(images.busybox.layers.length);
    // The same layers as dockerd pulled, each ending "Pull complete".
    expect([...stories(fresh).keys()].sort()).toEqual([...stories(recorded('dockerd-fresh')).keys()].sort());
    const some = await pull('shared:v1');
    expectDockerdOrder(some, 'someexist');
    expectProgressDetail(some, 'someexist');
    const exists = some.filter((m) => m.status === 'Already exists');
    expect(exists.map((m) => m.id).sort()).toEqual(
      recorded('dockerd-someexist')
        .filter((m) => m.status === 'Already exists')
        .map((m) => m.id)
        .sort(),
    );
    expect(exists.every((m) => JSON.stringify(m.progressDetail) === '{}')).toBe(true);
  });

  it('says "Downloaded newer image" for a new name whose layers are all here, then "Image is up to date"', async () => {
    const status = (stream: JsonMessage[]): string | undefined => stream.at(-1)?.status;
    expect(status(recorded('dockerd-newtag'))).toMatch(/^Status: Downloaded newer image for /);
    const newtag = await pull('retag:v1');
    expect(status(newtag)).toBe(`Status: Downloaded newer image for ${registry.host}/retag:v1`);
    expect(status(recorded('dockerd-uptodate'))).toMatch(/^Status: Image is up to date for /);
    const uptodate = await pull('retag:v1');
    expect(status(uptodate)).toBe(`Status: Image is up to date for ${registry.host}/retag:v1`);
    // An image that is all here already: no layer lines at all, as dockerd sends it.
    for (const stream of [recorded('dockerd-newtag'), recorded('dockerd-uptodate'), newtag, uptodate]) {
      expect(stream.map((m) => m.status?.replace(/ .*/, ''))).toEqual(['Pulling', 'Digest:', 'Status:']);
    }
    // A name pinned by the digest of an image that is here is up to date too, as on dockerd.
    const digest = (await pull('busybox:v1')).find((m) => m.status?.startsWith('Digest: '))?.status?.slice(8);
    const byDigest = await engine.request(
      'POST',
      `/images/create?fromImage=${registry.host}/busybox&tag=${digest}`,
    );
    expect(byDigest.text).toContain(`"Status: Image is up to date for ${registry.host}/busybox@${digest}"`);
    const cli = await engine.docker(['pull', `${registry.host}/retag2:v1`]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`Status: Downloaded newer image for ${registry.host}/retag2:v1\n`);
    const again = await engine.docker(['pull', `${registry.host}/retag2:v1`]);
    expect(again.stdout).toContain(`Status: Image is up to date for ${registry.host}/retag2:v1\n`);
  });
}

realSuite(
  'pull progress as dockerd sends it',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker'],
  () => {
    useImageEngine(work, async (up) => {
      ({ registry, images, engine } = up);
      // The busybox image again under new names: same manifest, same layers.
      await skopeoCopy(images.layout, 'v1', `${registry.host}/retag:v1`, { format: 'v2s2' });
      await skopeoCopy(images.layout, 'v1', `${registry.host}/retag2:v1`, { format: 'v2s2' });
    });
    progressTests();
  },
);
