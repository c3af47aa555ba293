// The image root's garbage collector on images made directly in the stores (no registry): what
// no name and no lease refers to goes, shared layers stay, a name moved to another image drops
// the old one, and deleting a deep chain of layers costs work in proportion to its depth.
import { join } from 'node:path';
import { afterAll, beforeEach, afterEach, expect, it, vi } from 'vitest';
import { ImageRoot } from '../../engine/image/root.ts';
import { realSuite } from './helpers/caps.ts';
import { layerNames, leftIn, storeImage } from './helpers/storeImages.ts';
import { tempDir } from './helpers/tmp.ts';

const work = tempDir('gc');
afterAll(() => work.remove());
let root: ImageRoot;
let made = 0;

const EMPTY = { blobs: [], snapshots: [] };

/**
 * The work a deletion does on the stores' tables: every snapshot record read (a lookup, an
 * element of a listing, a child in a child lookup) and every blob listed or looked up.
 */
function countWork(r: ImageRoot): () => number {
  let work = 0;
  const count = <T>(object: T, method: string, size: (result: unknown) => number): void => {
    // A store without the method (an older one) is counted by what it has.
    if (typeof (object as Record<string, unknown>)[method] !== 'function') return;
    const original = ((object as Record<string, unknown>)[method] as (...args: unknown[]) => unknown).bind(
      object,
    );
    vi.spyOn(object as Record<string, (...args: unknown[]) => unknown>, method).mockImplementation(
      (...args: unknown[]) => {
        const result = original(...args);
        if (result instanceof Promise) return result.then((v: unknown) => ((work += size(v)), v));
        work += size(result);
        return result;
      },
    );
  };
  const length = (v: unknown): number => (Array.isArray(v) ? v.length + 1 : 1);
  count(r.snapshots, 'list', length);
  count(r.snapshots, 'stat', () => 1);
  count(r.snapshots, 'children', length);
  count(r.content, 'list', length);
  count(r.content, 'info', () => 1);
  return () => work;
}

function referenceTests(): void {
  it('keeps the layers an image shares with another, and empties the stores with the last name', async () => {
    const a = await storeImage(root, 'r/a:1', ['base', 'mid', 'a-top']);
    const b = await storeImage(root, 'r/b:1', ['base', 'mid', 'b-top']);
    const aOnly = await root.removeImage('r/a:1');
    expect(aOnly.snapshots).toEqual([a.layers[2]?.chainId]);
    expect(aOnly.blobs.sort()).toEqual([a.config.digest, a.manifest.digest, a.layers[2]?.digest].sort());
    const left = await leftIn(root);
    expect(left.snapshots).toEqual(b.layers.map((l) => l.chainId).sort());
    expect(left.blobs).toEqual([b.config.digest, b.manifest.digest, ...b.layers.map((l) => l.digest)].sort());
    await root.removeImage('r/b:1');
    expect(await leftIn(root)).toEqual(EMPTY);
  });

  it('collects the image a name moved away from', async () => {
    await storeImage(root, 'r/app:1', ['old']);
    const now = await storeImage(root, 'r/app:1', ['new']);
    await root.collect();
    expect((await leftIn(root)).snapshots).toEqual([now.layers[0]?.chainId]);
  });

  it('keeps what a lease holds until the lease goes, and what an active snapshot sits on', async () => {
    const held = await storeImage(root, 'r/held:1', ['h0', 'h1']);
    const release = root.lease([held.layers[1]?.chainId ?? '', held.layers[1]?.digest ?? '']);
    await root.images.remove('r/held:1');
    await root.collect();
    expect((await leftIn(root)).snapshots).toEqual(held.layers.map((l) => l.chainId).sort());
    expect((await leftIn(root)).blobs).toEqual([held.layers[1]?.digest]);
    await root.snapshots.prepare('container', held.layers[0]?.chainId);
    release();
    await root.collect();
    expect((await leftIn(root)).snapshots).toEqual(['container', held.layers[0]?.chainId].sort());
    await root.snapshots.remove('container');
    await root.collect();
    expect(await leftIn(root)).toEqual(EMPTY);
  });
}

function deepChainTests(): void {
  it('deletes a deep chain with work linear in its depth', async () => {
    const workOf = async (n: number): Promise<number> => {
      await storeImage(root, `r/deep${n}:1`, layerNames(`deep${n}`, n));
      const work = countWork(root);
      const done = await root.removeImage(`r/deep${n}:1`);
      vi.restoreAllMocks();
      expect(done.snapshots.length).toBe(n);
      expect(await leftIn(root)).toEqual(EMPTY);
      return work();
    };
    const small = await workOf(50);
    const large = await workOf(200);
    // Four times the layers, four times the work (a quadratic deletion would be 16 times).
    expect(large / small).toBeLessThan(4.5);
    expect(large).toBeLessThan(200 * 20);
  }, 120_000);
}

realSuite('garbage collection in an image root', ['root', 'overlay', 'attr'], () => {
  beforeEach(async () => {
    root = await ImageRoot.open(join(work.path, `root-${made++}`), { unpackWorkers: 0 });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await root.close();
  });

  referenceTests();
  deepChainTests();
});
