// The machines' real pull when the registry lies, fails or asks for credentials, and when a
// layer is hostile: the error dockerd would print, nothing half-imported left, and the root as
// healthy as before. The same registry faults as errors.test.ts, through the layer machines.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageRoot } from '../../engine/image/root.ts';
import { pullThroughMachines, type MachinePullResult, type PullQuery } from '../../engine/real/pull.ts';
import { realSuite } from './helpers/caps.ts';
import { expectOnlyReferenced } from './helpers/clean.ts';
import {
  ANN,
  serveImage,
  startFakeRegistry,
  useBasicRegistry,
  type Fault,
  type FakeRegistry,
} from './helpers/fakeRegistry.ts';
import { buildLayer, busyboxImage, writeImage, type BuiltImage } from './helpers/images.ts';
import { tempDir } from './helpers/tmp.ts';

const work = tempDir('machine-errors');
let image: BuiltImage;
let root: ImageRoot;
let fake: FakeRegistry;

/** The error a pull ended in: the HTTP error's message, or the stream's last line. */
function errorOf(r: MachinePullResult): string {
  if (r.error !== undefined) return r.error;
  return String((r.body as { message?: unknown }).message ?? '');
}

const lies: [string, Fault, RegExp][] = [
  [
    'a blob whose bytes are not its digest',
    'corrupt',
    /^content sha256:[0-9a-f]{64}: written data has digest sha256:[0-9a-f]{64}: refused$/,
  ],
  [
    'a body cut short',
    'truncate',
    /^blob [0-9a-f]{12} from 127\.0\.0\.1:\d+\/v2\/app\/blobs\/sha256:[0-9a-f]{64} is truncated: got \d+ of \d+ bytes$/,
  ],
  [
    'a body longer than the descriptor',
    'longer',
    /^blob sha256:[0-9a-f]{64} from 127\.0\.0\.1:\d+ is \d+ bytes \(content-length\), its descriptor says \d+: refused$/,
  ],
  [
    'a content-length that lies',
    'wrong-length',
    /^blob sha256:[0-9a-f]{64} from 127\.0\.0\.1:\d+ is \d+ bytes \(content-length\), its descriptor says \d+: refused$/,
  ],
];

async function expectClean(): Promise<void> {
  await expectOnlyReferenced(root);
  expect(root.images.list()).toEqual([]);
  expect(root.snapshots.list().filter((s) => s.kind !== 'committed')).toEqual([]);
}

const app = (): PullQuery => ({ fromImage: `${fake.host}/app`, tag: 'v1' });

realSuite('a real pull through the machines, when things go wrong', ['root', 'overlay', 'attr'], () => {
  beforeAll(async () => {
    fake = await startFakeRegistry();
    image = busyboxImage(join(work.path, 'layout'));
    serveImage(fake, 'app', 'v1', image);
    root = await ImageRoot.open(join(work.path, 'root'), { unpackWorkers: 1 });
  });
  afterAll(async () => {
    await root?.close();
    await fake?.stop();
    work.remove();
  });

  for (const [what, fault, message] of lies) {
    it(`refuses ${what} and keeps nothing of the pull`, async () => {
      const big = image.layers[0]?.digest ?? '';
      fake.fault = (path) => (path.endsWith(big) ? fault : undefined);
      const r = await pullThroughMachines(root, app());
      expect(r.status).toBe(200);
      expect(errorOf(r)).toMatch(message);
      await expectClean();
    });
  }
  otherFailures();
  timeoutFailures();
  statusFailures();
});

function otherFailures(): void {
  it('refuses a manifest that is not the digest the name is pinned to', async () => {
    fake.fault = (path) => (path.includes('/manifests/sha256:') ? 'corrupt' : undefined);
    const r = await pullThroughMachines(root, { fromImage: `${fake.host}/app`, tag: image.manifest.digest });
    expect(errorOf(r)).toBe(`manifest verification failed for digest ${image.manifest.digest}`);
    await expectClean();
  });

  it('gives up on a registry that never answers, after the deadline', async () => {
    fake.fault = (path) => (path.includes('/manifests/') ? 'hang' : undefined);
    const started = Date.now();
    const r = await pullThroughMachines(root, app(), { timeoutMs: 300 });
    expect(r.status).toBe(500);
    // Engine 29 resolves the tag with containerd's resolver: a HEAD, and its words around the error.
    expect(errorOf(r)).toMatch(
      /^failed to resolve reference "127\.0\.0\.1:\d+\/app:v1": Head "http:\/\/127\.0\.0\.1:\d+\/v2\/app\/manifests\/v1": net\/http: request canceled/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
}

function timeoutFailures(): void {
  // dockerd 20.10 gave up on a registry whose /v2/ probe hung after 15 s; Engine 29's resolver
  // sends no probe at all (containerd remotes/docker/resolver.go): the pull goes on.
  it('pulls from a registry whose API probe never answers: Engine 29 sends none', async () => {
    fake.fault = (path) => (path === '/v2/' ? 'hang' : undefined);
    const r = await pullThroughMachines(root, app(), { timeoutMs: 60_000 });
    expect(r.status).toBe(200);
    expect(fake.seen.filter((q) => q === 'GET /v2/')).toEqual([]);
    // The next cases start from an empty root again.
    await root.images.remove(`${fake.host}/app:v1`);
    await root.collect();
  }, 30_000);
}

function statusFailures(): void {
  it('names a 500 as dockerd does', async () => {
    fake.fault = (path) => (path.includes('/manifests/') ? 'server-error' : undefined);
    const r = await pullThroughMachines(root, app());
    expect(errorOf(r)).toMatch(
      /^unknown: failed to resolve reference "127\.0\.0\.1:\d+\/app:v1": unexpected status from HEAD request to http:\/\/127\.0\.0\.1:\d+\/v2\/app\/manifests\/v1: 500 Internal Server Error$/,
    );
  });

  it('refuses a hostile layer: a write through a symlink that leaves the root', async () => {
    fake.fault = () => undefined;
    const outside = join(work.path, 'outside');
    mkdirSync(outside, { recursive: true });
    const bad = writeImage(join(work.path, 'bad-layout'), [
      buildLayer([{ entry: { path: 'ok' }, data: Buffer.from('ok') }]),
      buildLayer([
        { entry: { path: 'link', typeflag: '2', linkpath: outside } },
        { entry: { path: 'link/secret' }, data: Buffer.from('pwned') },
      ]),
    ]);
    serveImage(fake, 'bad', 'v1', bad);
    const r = await pullThroughMachines(root, { fromImage: `${fake.host}/bad`, tag: 'v1' });
    expect(errorOf(r)).toMatch(
      /^failed to extract layer sha256:[0-9a-f]{64}: .*goes through a symlink at "link": refused: unknown$/,
    );
    await expectClean();
  });

  it('pulls fine once the registry behaves: the root stayed healthy', async () => {
    fake.fault = () => undefined;
    const r = await pullThroughMachines(root, app());
    expect(r.error).toBeUndefined();
    expect(root.images.get(`${fake.host}/app:v1`)?.manifest.digest).toBe(image.manifest.digest);
  });

  describe('basic auth', () => {
    const basicRegistry = useBasicRegistry(() => image);

    it('is refused without credentials, and pulls with them', async () => {
      const basic = basicRegistry();
      const q = { fromImage: `${basic.host}/app`, tag: 'v1' };
      const denied = await pullThroughMachines(root, q);
      // Engine 29 passes containerd's own words on for a Basic challenge it has no credentials
      // for (moby docker-v29.0.0 daemon/containerd/image_pull.go: "no basic auth credentials").
      expect(denied.status).toBe(500);
      expect(errorOf(denied)).toMatch(/no basic auth credentials/);
      const ok = await pullThroughMachines(root, q, { credentials: ANN });
      expect(ok.error).toBeUndefined();
      expect(root.images.get(`${basic.host}/app:v1`)).toBeDefined();
    });
  });
}
