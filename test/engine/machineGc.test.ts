// What a running pull holds, and what a too deep image gets. A pull through the machines whose
// last layer never comes: the layers it already committed are held by its lease through a
// collection, and swept once it fails. An image of more layers than dockerd's layer store takes
// (125, moby layer/layer_store.go) is refused before any layer is fetched, by the machines' pull,
// the library's pull and `docker load`, with dockerd's words; 125 layers load.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { sha256 } from '../../engine/image/digest.ts';
import { MediaType } from '../../engine/image/oci.ts';
import { pull } from '../../engine/image/pull.ts';
import { ImageRoot } from '../../engine/image/root.ts';
import { pullThroughMachines, type MachinePullResult } from '../../engine/real/pull.ts';
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { draft } from '../../src/layers/post.ts';
import { RealSession } from '../../engine/real/session.ts';
import { RealWorld } from '../../engine/real/world.ts';
import { realSuite } from './helpers/caps.ts';
import { serveImage, startFakeRegistry, type FakeRegistry } from './helpers/fakeRegistry.ts';
import { buildLayer, busyboxImage, writeImage, type BuiltImage } from './helpers/images.ts';
import { leftIn } from './helpers/storeImages.ts';
import { tempDir } from './helpers/tmp.ts';

const work = tempDir('machine-gc');
let image: BuiltImage;
let root: ImageRoot;
let fake: FakeRegistry;
let shared: BuiltImage;
const EMPTY = { blobs: [], snapshots: [] };

async function until(what: string, ok: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await ok()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** An OCI manifest of `n` layers (never served: a refusal must not ask for them). */
function deepManifest(n: number): Buffer {
  const layer = (i: number): Record<string, unknown> => ({
    mediaType: MediaType.ociLayerGzip,
    digest: sha256(`layer ${i}`),
    size: 32,
  });
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: sha256('config'), size: 6 },
      layers: Array.from({ length: n }, (_, i) => layer(i)),
    }),
  );
}

/** A docker-archive of `n` layers, each the same small tar (so n chain ids, one blob). */
function deepArchive(n: number): string {
  const dir = join(work.path, `archive-${n}`);
  mkdirSync(dir, { recursive: true });
  const layer = buildLayer(
    [{ entry: { path: 'f.txt', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from('f\n') }],
    false,
  );
  writeFileSync(join(dir, 'layer.tar'), layer.blob);
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: Array.from({ length: n }, () => layer.diffId) },
  });
  writeFileSync(join(dir, 'config.json'), config);
  const entry = {
    Config: 'config.json',
    RepoTags: [`deep/n${n}:v1`],
    Layers: Array.from({ length: n }, () => 'layer.tar'),
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify([entry]));
  return dir;
}

/** `docker load` of a directory's files through the machines (the gateway's way): the answer's lines. */
async function loadThroughMachines(dir: string): Promise<{ stream?: string; error?: string }[]> {
  const world = new RealWorld(root);
  const session = new RealSession(root);
  const tar = spawn('tar', ['-c', '-C', dir, '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Piped at once: a child's stdout left unread when it exits is flushed away by Node.
  session.body = tar.stdout.pipe(new PassThrough());
  session.tmpDir = work.path;
  const call = world.request(
    'docker load',
    draft('CLI', 'dockerd', 'api.images.load', 'POST /images/load', {
      payload: { method: 'POST', path: '/images/load', query: {} },
    }),
    session,
  );
  let ok = false;
  try {
    const reply = await call.answer;
    const lines = (Array.isArray(reply.payload) ? reply.payload : []) as {
      stream?: string;
      error?: string;
    }[];
    ok = lines.every((l) => l.error === undefined);
    return lines;
  } finally {
    world.end(call.id);
    await session.finish(ok);
    world.stop();
  }
}

/** Runs `during` while a pull whose blob `hung` never comes is under way; always waits it out. */
async function duringHungPull(
  name: string,
  hung: string,
  during: () => Promise<void>,
): Promise<MachinePullResult> {
  fake.fault = (path) => (path.endsWith(hung) ? 'hang' : undefined);
  const running = pullThroughMachines(
    root,
    { fromImage: `${fake.host}/${name}`, tag: 'v1' },
    { timeoutMs: 3000 },
  );
  try {
    await during();
  } finally {
    await running.catch(() => undefined);
  }
  return running;
}

function leaseTests(): void {
  it('keeps what a running pull committed through a collection, and sweeps it when the pull fails', async () => {
    const below = image.layers.slice(0, -1);
    const committed = (): boolean =>
      root.snapshots.list().filter((s) => s.kind === 'committed').length === below.length;
    const r = await duringHungPull('app', image.layers.at(-1)?.digest ?? '', async () => {
      await until('the layers below the hanging one to be committed', committed);
      await root.collect();
      expect(committed()).toBe(true);
      const blobs = (await leftIn(root)).blobs;
      for (const l of below) expect(blobs).toContain(l.digest);
      expect(blobs).toContain(image.config.digest);
    });
    expect(r.error).toMatch(/request canceled|timeout|Timeout/);
    await root.collect();
    expect(await leftIn(root)).toEqual(EMPTY);
  }, 60_000);
}

function sharedLayerTests(): void {
  it('keeps the layers a running pull found already there when the image that had them goes', async () => {
    fake.fault = () => undefined;
    expect(
      (await pullThroughMachines(root, { fromImage: `${fake.host}/app`, tag: 'v1' })).error,
    ).toBeUndefined();
    const extra = shared.layers.at(-1)?.digest ?? '';
    const app = root.images.get(`${fake.host}/app:v1`);
    const r = await duringHungPull('shared', extra, async () => {
      await until('the new layer to be asked for', () => fake.seen.some((s) => s.endsWith(extra)));
      await root.removeImage(`${fake.host}/app:v1`);
      // The two layers shared:v1 found "Already exists" stay; app's own two went.
      const kept = (app?.layers ?? []).map((l) => root.snapshots.stat(l.chainId)?.kind);
      expect(kept).toEqual(['committed', 'committed', undefined, undefined]);
    });
    expect(r.error).toBeDefined();
    await root.collect();
    expect(await leftIn(root)).toEqual(EMPTY);
  }, 60_000);
}

function depthTests(): void {
  it('refuses a 126-layer manifest before fetching a blob, in the machines and in the library', async () => {
    fake.fault = () => undefined;
    fake.addManifest('deep', 'v1', deepManifest(126), MediaType.ociManifest);
    const before = fake.seen.length;
    const r = await pullThroughMachines(root, { fromImage: `${fake.host}/deep`, tag: 'v1' });
    expect(r.error).toBe('failed to register layer: max depth exceeded');
    await expect(pull(root, `${fake.host}/deep:v1`, { scheme: 'http' })).rejects.toThrow(
      /^failed to register layer: max depth exceeded$/,
    );
    expect(fake.seen.slice(before).filter((s) => s.includes('/blobs/'))).toEqual([]);
    expect(await leftIn(root)).toEqual(EMPTY);
  });

  it('loads 125 layers and refuses 126 with dockerd’s words, storing nothing', async () => {
    expect(await loadThroughMachines(deepArchive(126))).toEqual([
      { errorDetail: { message: 'max depth exceeded' }, error: 'max depth exceeded' },
    ]);
    expect(await leftIn(root)).toEqual(EMPTY);
    expect(await loadThroughMachines(deepArchive(125))).toEqual([{ stream: 'Loaded image: deep/n125:v1\n' }]);
    expect(root.snapshots.list().length).toBe(125);
    await root.removeImage('docker.io/deep/n125:v1');
    expect(await leftIn(root)).toEqual(EMPTY);
  }, 120_000);
}

realSuite('what a pull holds, and how deep an image may be', ['root', 'overlay', 'attr'], () => {
  beforeAll(async () => {
    fake = await startFakeRegistry();
    image = busyboxImage(join(work.path, 'layout'));
    serveImage(fake, 'app', 'v1', image);
    const extra = buildLayer([
      { entry: { path: 'extra.txt', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from('extra\n') },
    ]);
    shared = writeImage(join(work.path, 'layout'), [...image.layers.slice(0, 2), extra]);
    serveImage(fake, 'shared', 'v1', shared);
    root = await ImageRoot.open(join(work.path, 'root'), { unpackWorkers: 1 });
  });
  afterEach(async () => {
    await root.collect();
  });
  afterAll(async () => {
    await root?.close();
    await fake?.stop();
    work.remove();
  });
  leaseTests();
  sharedLayerTests();
  depthTests();
});
