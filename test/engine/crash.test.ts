// kill -9 of an engine in the middle of a pull: three layers committed, the fourth half
// downloaded into an ingest and half unpacked into an extract snapshot. The next open finds the
// root's lock stale, drops the ingest and the extract snapshot, sweeps what no image refers to;
// pulling again gives a correct image and no orphaned files.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';
import { shortId } from '../../engine/image/digest.ts';
import { pull } from '../../engine/image/pull.ts';
import { ImageRoot } from '../../engine/image/root.ts';
import { realSuite } from './helpers/caps.ts';
import { expectOnlyReferenced } from './helpers/clean.ts';
import { serveImage, startFakeRegistry } from './helpers/fakeRegistry.ts';
import { buildLayer, writeImage, type BuiltImage } from './helpers/images.ts';
import { tempDir, withMount } from './helpers/tmp.ts';

/** Runs a pull in a child engine and kills it with SIGKILL once three layers are committed and
 * the fourth is downloading; answers the child's pid. */
async function killMidPull(rootDir: string, ref: string, slowLayer: string, via: Via): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/engine/helpers/pullChild.ts', rootDir, ref],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DOCKSTEP_PULL_VIA: via } },
  );
  try {
    const committed = new Set<string>();
    for await (const line of createInterface({ input: child.stdout })) {
      const p = JSON.parse(line) as { id?: string; status?: string; current?: number };
      if (p.status === 'Pull complete' && p.id !== undefined) committed.add(p.id);
      if (
        committed.size === COMMITTED_BEFORE_KILL &&
        p.id === shortId(slowLayer) &&
        p.status === 'Downloading' &&
        (p.current ?? 0) > 0
      )
        break;
    }
    await expect(ImageRoot.open(rootDir)).rejects.toThrow(
      new RegExp(`^root .* is in use by pid ${child.pid}$`),
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid ?? 0, 'SIGKILL');
    await exited;
    return child.pid ?? 0;
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid ?? 0, 'SIGKILL');
  }
}

/**
 * How the engine pulls: the image library's own pull, or the machines' parallel unpack. Both
 * commit the three small layers while the big one downloads (each layer is applied and committed
 * as soon as it and the ones below it are in).
 */
type Via = 'direct' | 'machines';
const VIAS: Via[] = ['direct', 'machines'];
const COMMITTED_BEFORE_KILL = 3;

/** What the kill left: a stale lock, an ingest, extract snapshots, committed layers, no image. */
function expectLeftovers(rootDir: string, pid: number): void {
  expect(Number(readFileSync(join(rootDir, 'lock'), 'utf8'))).toBe(pid);
  expect(readdirSync(join(rootDir, 'content', 'ingest'))).toHaveLength(1);
  const metas = readdirSync(join(rootDir, 'snapshots'))
    .filter((n) => /^\d+$/.test(n))
    .map(
      (n) =>
        JSON.parse(readFileSync(join(rootDir, 'snapshots', n, 'meta.json'), 'utf8')) as {
          kind: string;
          key: string;
        },
    );
  expect(metas.filter((m) => m.kind === 'committed')).toHaveLength(COMMITTED_BEFORE_KILL);
  expect(metas.filter((m) => m.kind === 'active' && m.key.startsWith('extract-'))).toHaveLength(1);
  expect(existsSync(join(rootDir, 'images.json'))).toBe(false);
}

async function expectRecovered(
  root: ImageRoot,
  ref: string,
  image: BuiltImage,
  scratch: string,
): Promise<void> {
  expect(root.snapshots.list()).toEqual([]);
  expect(await root.content.list()).toEqual([]);
  await expectOnlyReferenced(root);
  const { record } = await pull(root, ref);
  expect(record.layers.map((l) => l.diffId)).toEqual(image.layers.map((l) => l.diffId));
  await expectOnlyReferenced(root);
  const view = await root.snapshots.view('check', record.layers.at(-1)?.chainId ?? '');
  await withMount(view, scratch, (merged) => {
    expect(readFileSync(join(merged, 'after'), 'utf8')).toBe('end\n');
    expect(readFileSync(join(merged, 'small0'), 'utf8')).toBe('layer 0\n');
  });
  await root.snapshots.remove('check');
}

realSuite('a pull killed with SIGKILL', ['root', 'overlay', 'attr'], () => {
  const work = tempDir('crash');
  afterAll(() => work.remove());

  for (const via of VIAS) {
    it(`leaves nothing half-imported (${via}): restart, pull again, a correct image and no orphans`, async () => {
      const fake = await startFakeRegistry();
      try {
        const small = [0, 1, 2].map((i) =>
          buildLayer([{ entry: { path: `small${i}` }, data: Buffer.from(`layer ${i}\n`) }]),
        );
        const big = buildLayer([
          { entry: { path: 'big.bin' }, data: randomBytes(3 << 20) },
          { entry: { path: 'after' }, data: Buffer.from('end\n') },
        ]);
        const image = writeImage(join(work.path, 'layout'), [...small, big]);
        serveImage(fake, 'app', 'v1', image);
        fake.fault = (path) => (path.endsWith(big.digest) ? 'slow' : undefined);
        const rootDir = join(work.path, `root-${via}`);
        const pid = await killMidPull(rootDir, `${fake.host}/app:v1`, big.digest, via);
        expectLeftovers(rootDir, pid);
        fake.fault = () => undefined;
        const root = await ImageRoot.open(rootDir);
        try {
          await expectRecovered(root, `${fake.host}/app:v1`, image, work.path);
        } finally {
          await root.close();
        }
      } finally {
        await fake.stop();
      }
    });
  }
});
