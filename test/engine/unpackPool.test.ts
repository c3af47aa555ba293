// The unpack worker pool: jobs started together spread over the workers (each counted the moment
// it is started, not once its worker is ready), and a worker unpacks a stored blob from its file
// with the same checks as a streamed one; idle, it lets its workers go.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UnpackPool } from '../../engine/image/unpack/pool.ts';
import { buildLayer } from './helpers/images.ts';
import { tempDir } from './helpers/tmp.ts';
import { until } from './helpers/until.ts';

const work = tempDir('pool');
const pool = new UnpackPool(2);
afterAll(async () => {
  await pool.close();
  work.remove();
});

function stored(name: string, layer: ReturnType<typeof buildLayer>): string {
  const path = join(work.path, `${name}.tar.gz`);
  writeFileSync(path, layer.blob);
  return path;
}

function options(layer: { digest: string; diffId: string }) {
  return { layer: layer.digest, expectedDiffId: layer.diffId, chown: false };
}

describe('the unpack pool', () => {
  it('spreads jobs started together over its workers and unpacks each stored blob from its file', async () => {
    const layers = [0, 1, 2, 3].map((i) =>
      buildLayer([
        { entry: { path: `dir${i}`, typeflag: '5' } },
        { entry: { path: `dir${i}/file` }, data: Buffer.from(`layer ${i}\n`) },
      ]),
    );
    const dirs = layers.map((_, i) => join(work.path, `out${i}`));
    dirs.forEach((d) => mkdirSync(d));
    const jobs = await Promise.all(layers.map((l, i) => pool.start(dirs[i] ?? '', options(l))));
    expect(pool.loads()).toEqual([2, 2]);
    const paths = layers.map((l, n) => stored(`l${n}`, l));
    const results = await Promise.all(jobs.map((job, n) => job.fromFile(paths[n] ?? '')));
    expect(results.map((r) => r.diffId)).toEqual(layers.map((l) => l.diffId));
    expect(readFileSync(join(dirs[3] ?? '', 'dir3/file'), 'utf8')).toBe('layer 3\n');
    expect(pool.loads()).toEqual([0, 0]);
  });

  it('refuses a hostile stored blob as a streamed one is refused', async () => {
    const hostile = buildLayer([{ entry: { path: '../escape' }, data: Buffer.from('x') }]);
    const dir = join(work.path, 'hostile');
    mkdirSync(dir);
    const job = await pool.start(dir, options(hostile));
    await expect(job.fromFile(stored('hostile', hostile))).rejects.toThrow(/escape/);
    expect(existsSync(join(work.path, 'escape'))).toBe(false);
  });

  it('fails a stored blob whose diff id is not the config’s', async () => {
    const layer = buildLayer([{ entry: { path: 'a' }, data: Buffer.from('a\n') }]);
    const dir = join(work.path, 'mismatch');
    mkdirSync(dir);
    const job = await pool.start(dir, { ...options(layer), expectedDiffId: `sha256:${'0'.repeat(64)}` });
    await expect(job.fromFile(stored('mismatch', layer))).rejects.toThrow(
      /has diff id sha256:[0-9a-f]{64}, the image config says/,
    );
  });

  it('lets its workers go once idle, and starts them again for the next job', async () => {
    const idle = new UnpackPool(2, 50);
    try {
      await idle.warm();
      expect(idle.loads()).toEqual([0, 0]);
      await until(() => idle.loads().length === 0, 'the idle workers to end');
      const layer = buildLayer([{ entry: { path: 'again' }, data: Buffer.from('again\n') }]);
      const dir = join(work.path, 'again');
      mkdirSync(dir);
      const job = await idle.start(dir, options(layer));
      expect((await job.fromFile(stored('again', layer))).diffId).toBe(layer.diffId);
      expect(readFileSync(join(dir, 'again'), 'utf8')).toBe('again\n');
      await until(() => idle.loads().length === 0, 'the workers to end after the job');
    } finally {
      await idle.close();
    }
  });
});
