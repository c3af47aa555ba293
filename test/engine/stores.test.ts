// The content store, the overlay snapshotter and the image store on a real file system, with a
// real overlay mount: atomic and verified writes, one write per digest, crash leftovers cleaned
// at open, snapshot chains and their refusals, refcounted image deletion.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContentStore } from '../../engine/image/content/store.ts';
import { chainIds, sha256 } from '../../engine/image/digest.ts';
import { OverlaySnapshotter } from '../../engine/image/snapshot/overlay.ts';
import { ImageStore, type ImageRecord } from '../../engine/image/store/imageStore.ts';
import { realSuite } from './helpers/caps.ts';
import { tempDir, withMount } from './helpers/tmp.ts';

const work = tempDir('stores');
afterAll(() => work.remove());

function desc(bytes: Buffer): { mediaType: string; digest: string; size: number } {
  return { mediaType: 'application/octet-stream', digest: sha256(bytes), size: bytes.length };
}

describe('content store', () => {
  it('shows a blob under its digest only once committed and verified', async () => {
    const store = await ContentStore.open(join(work.path, 'c1'));
    const bytes = Buffer.from('hello blob');
    const w = await store.writer(desc(bytes));
    w.write(bytes.subarray(0, 5));
    expect(await store.has(desc(bytes).digest)).toBe(false);
    w.write(bytes.subarray(5));
    expect(await store.has(desc(bytes).digest)).toBe(false);
    await w.commit();
    expect(readFileSync(store.path(desc(bytes).digest), 'utf8')).toBe('hello blob');
    expect(readdirSync(store.ingests)).toEqual([]);
  });

  it('refuses bytes that are not the digest, and short or long writes', async () => {
    const store = await ContentStore.open(join(work.path, 'c2'));
    const d = desc(Buffer.from('expected'));
    const w = await store.writer(d);
    w.write(Buffer.from('imposter'));
    await expect(w.commit()).rejects.toThrow(
      /^content sha256:[0-9a-f]{64}: written data has digest sha256:[0-9a-f]{64}: refused$/,
    );
    const short = await store.writer(d);
    short.write(Buffer.from('exp'));
    await expect(short.commit()).rejects.toThrow(/3 bytes written, expected 8/);
    const long = await store.writer(d);
    expect(() => long.write(Buffer.from('expected!'))).toThrow(/more than its size 8 written/);
    await long.abort();
    expect(await store.list()).toEqual([]);
    expect(readdirSync(store.ingests)).toEqual([]);
  });

  it('does the work once for concurrent writers of one digest and refuses a second raw writer', async () => {
    const store = await ContentStore.open(join(work.path, 'c3'));
    const bytes = Buffer.from('shared');
    let fills = 0;
    const fill = async (w: { write(b: Buffer): boolean }): Promise<void> => {
      fills++;
      await new Promise((r) => setTimeout(r, 20));
      w.write(bytes);
    };
    const infos = await Promise.all([
      store.ingest(desc(bytes), fill),
      store.ingest(desc(bytes), fill),
      store.ingest(desc(bytes), fill),
    ]);
    expect(fills).toBe(1);
    expect(infos.map((i) => i.digest)).toEqual([desc(bytes).digest, desc(bytes).digest, desc(bytes).digest]);
    await store.ingest(desc(bytes), fill);
    expect(fills).toBe(1);
    const other = desc(Buffer.from('other'));
    const first = await store.writer(other);
    await expect(store.writer(other)).rejects.toThrow(/is already being written \(ref locked\)/);
    await first.abort();
  });
});

describe('content store after a crash', () => {
  it('deletes the ingests a crash left behind when it opens', async () => {
    const path = join(work.path, 'c4');
    await ContentStore.open(path);
    mkdirSync(join(path, 'ingest', 'abc-123'));
    writeFileSync(join(path, 'ingest', 'abc-123', 'data'), 'half a blob');
    const store = await ContentStore.open(path);
    expect(readdirSync(store.ingests)).toEqual([]);
  });
});

realSuite('overlay snapshotter', ['root', 'overlay', 'attr'], () => {
  it('chains committed layers, mounts an active snapshot on them and a read-only view', async () => {
    const s = await OverlaySnapshotter.open(join(work.path, 's1'));
    await s.prepare('extract-a', undefined);
    writeFileSync(join(s.fsPath('extract-a'), 'base'), 'base\n');
    const [c1, c2] = chainIds([sha256('a'), sha256('b')]);
    await s.commit(c1 ?? '', 'extract-a');
    await s.prepare('extract-b', undefined);
    writeFileSync(join(s.fsPath('extract-b'), 'top'), 'top\n');
    await s.commit(c2 ?? '', 'extract-b', { parent: c1 });
    const meta = JSON.parse(
      readFileSync(join(s.root, String(s.stat(c2 ?? '')?.id), 'meta.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(meta).toMatchObject({ kind: 'committed', key: c2, chainId: c2, parent: c1 });
    const mounts = await s.prepare('container', c2);
    expect(mounts[0]?.options[0]).toBe(`lowerdir=${s.fsPath(c2 ?? '')}:${s.fsPath(c1 ?? '')}`);
    await withMount(mounts, work.path, (merged) => {
      expect(readdirSync(merged).sort()).toEqual(['base', 'top']);
      writeFileSync(join(merged, 'base'), 'changed\n');
    });
    expect(readFileSync(join(s.fsPath('container'), 'base'), 'utf8')).toBe('changed\n');
    expect(readFileSync(join(s.fsPath(c1 ?? ''), 'base'), 'utf8')).toBe('base\n');
    const view = await s.view('view', c2 ?? '');
    await withMount(view, work.path, (merged) => {
      expect(readFileSync(join(merged, 'base'), 'utf8')).toBe('base\n');
      expect(() => writeFileSync(join(merged, 'new'), 'x')).toThrow(/EROFS/);
    });
    const single = await s.view('view1', c1 ?? '');
    expect(single[0]?.type).toBe('bind');
    await withMount(single, work.path, (merged) => expect(readdirSync(merged)).toEqual(['base']));
  });

  it('refuses to remove a snapshot with children, to reuse a key, to mount a committed one', async () => {
    const s = await OverlaySnapshotter.open(join(work.path, 's1'));
    const [c1, c2] = chainIds([sha256('a'), sha256('b')]);
    await expect(s.remove(c1 ?? '')).rejects.toThrow(
      /^cannot remove snapshot sha256:[0-9a-f]{64}: it has 2 child snapshot\(s\)/,
    );
    await expect(s.prepare('container', c2)).rejects.toThrow(/^snapshot container already exists$/);
    expect(() => s.mounts(c1 ?? '')).toThrow(/is committed: mount a view of it/);
    for (const key of ['container', 'view', 'view1', c2 ?? '', c1 ?? '']) await s.remove(key);
    expect(s.list()).toEqual([]);
    expect(readdirSync(s.root)).toEqual(['whiteout']);
  });

  it('drops half-made snapshot dirs and trash at open, keeps described ones', async () => {
    const path = join(work.path, 's2');
    const s = await OverlaySnapshotter.open(path);
    await s.prepare('kept', undefined);
    mkdirSync(join(path, '99', 'fs'), { recursive: true });
    mkdirSync(join(path, 'trash-3-abcd'));
    const again = await OverlaySnapshotter.open(path);
    expect(again.list().map((x) => x.key)).toEqual(['kept']);
    expect(existsSync(join(path, '99')) || existsSync(join(path, 'trash-3-abcd'))).toBe(false);
    expect(execFileSync('lsattr', ['-d', path]).toString()).toMatch(/T/);
  });
});

describe('image store', () => {
  const layer = (n: string, chain: string): ImageRecord['layers'][number] => ({
    mediaType: 'l',
    digest: sha256(`blob-${n}`),
    size: 1,
    diffId: sha256(`diff-${n}`),
    chainId: chain,
  });
  const record = (name: string, layers: ImageRecord['layers'], config: string): ImageRecord => ({
    name,
    target: desc(Buffer.from(`m-${config}`)),
    manifest: desc(Buffer.from(`m-${config}`)),
    config: desc(Buffer.from(config)),
    layers,
    createdAt: '2024-01-01T00:00:00Z',
  });

  it('persists names atomically and releases only what no other name needs', async () => {
    const path = join(work.path, 'i1', 'images.json');
    const store = await ImageStore.open(path);
    const base = layer('base', sha256('c-base'));
    await store.put(record('r/a:1', [base, layer('a', sha256('c-a'))], 'cfg-a'));
    await store.put(record('r/b:1', [base, layer('b', sha256('c-b'))], 'cfg-b'));
    await store.put(record('r/b:alias', [base, layer('b', sha256('c-b'))], 'cfg-b'));
    const reopened = await ImageStore.open(path);
    expect(reopened.list().map((r) => r.name)).toEqual(['r/a:1', 'r/b:1', 'r/b:alias']);
    expect(reopened.namesOf(desc(Buffer.from('cfg-b')).digest)).toEqual(['r/b:1', 'r/b:alias']);
    const a = await reopened.remove('r/a:1');
    expect(a.released.snapshots).toEqual([sha256('c-a')]);
    expect(a.released.blobs).not.toContain(base.digest);
    expect((await reopened.remove('r/b:1')).released).toEqual({ blobs: [], snapshots: [] });
    const last = await reopened.remove('r/b:alias');
    expect(last.released.snapshots).toEqual([sha256('c-base'), sha256('c-b')]);
    await expect(reopened.remove('r/b:alias')).rejects.toThrow(/^no such image: r\/b:alias$/);
    expect(readdirSync(join(work.path, 'i1'))).toEqual(['images.json']);
  });
});
