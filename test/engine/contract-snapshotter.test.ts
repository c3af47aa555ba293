// The snapshotter's contract (test/contract/snapshotter.contract.ts) against the real one: the
// engine's overlay snapshotter (engine/image/snapshot/overlay.ts) under a temporary root, doing
// what the real storage effects ask of it (engine/real/storage.ts), read through the machines'
// query view (engine/real/views.ts). The storage effects' own contract (contract-storageEffects)
// covers the effects' evidence and their keys; this one covers the snapshotter under them. Then
// the mounts it answers are mounted for real: a stack of layers shows its top layer's files.
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { isImageError } from '../../engine/image/errors.ts';
import { applyStoredBlob } from '../../engine/image/layer.ts';
import { ImageRoot } from '../../engine/image/root.ts';
import { RealSnapshotView } from '../../engine/real/views.ts';
import type { Mount } from '../../src/ports/snapshotter.ts';
import { describeSnapshotterContract, type SnapshotterAdapter } from '../contract/snapshotter.contract.ts';
import { realSuite } from './helpers/caps.ts';
import { buildLayer } from './helpers/images.ts';
import { withMount } from './helpers/tmp.ts';

type RealAdapter = SnapshotterAdapter & { root_: ImageRoot; close(): Promise<void> };

const built = buildLayer([
  { entry: { path: 'hello.txt', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from('hello\n') },
]);
const layer = { digest: built.digest, diffId: built.diffId, size: built.size };

/** The writable dir of an active snapshot's mounts, where the diff service unpacks. */
function upperDir(mounts: readonly Mount[]): string {
  const [m] = mounts;
  const upper =
    m?.type === 'bind'
      ? m.source
      : m?.options.find((o) => o.startsWith('upperdir='))?.slice('upperdir='.length);
  if (upper === undefined) throw new Error(`no writable dir in ${JSON.stringify(mounts)}`);
  return upper;
}

/** A refusal (no such snapshot, one with children) is `false` at the port; other failures are errors. */
async function removed(root: ImageRoot, key: string): Promise<boolean> {
  try {
    await root.snapshots.remove(key);
    return true;
  } catch (error) {
    if (isImageError(error, 'not-found') || isImageError(error, 'conflict')) return false;
    throw error;
  }
}

async function realAdapter(): Promise<RealAdapter> {
  const dir = await mkdtemp(join(tmpdir(), 'dockstep-snapshots-'));
  const root = await ImageRoot.open(join(dir, 'root'), { unpackWorkers: 0 });
  await root.content.put({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }, built.blob);
  const view = new RealSnapshotView(root);
  return {
    name: view.name,
    root: view.root,
    root_: root,
    stat: (key) => view.stat(key),
    list: () => view.list(),
    mounts: (key) => view.mounts(key),
    pathOf: (key) => view.pathOf(key),
    changes: (key) => view.changes(key),
    prepare: (key, parent, labels) => root.snapshots.prepare(key, parent, labels),
    // containerd's diff service: the layer goes into the active snapshot's mounts (a committed one has none).
    apply: async (key, l) => ({
      applied: (await applyStoredBlob(root, l, upperDir(root.snapshots.mounts(key)))).size,
    }),
    commit: async (name, key, parent) => {
      await root.snapshots.commit(name, key, parent === undefined ? {} : { parent });
      const info = view.stat(name);
      if (info === undefined) throw new Error(`snapshot ${name} is not there after its commit`);
      return info;
    },
    remove: (key) => removed(root, key),
    write: (key) => view.write(key),
    async close() {
      await root.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const NO_WRITES =
  "not applicable: a real container's writes go through its overlay mount and copy-up is the kernel's; the engine's snapshotter view is not told of them, so nothing records a write";
const NO_SIZES =
  "not applicable: the engine's view reports no sizes (0); a layer's size is measured when docker asks for it (engine/daemon/imageInfo.ts layerSize), never kept in the snapshotter's table";

/** A real mount of a stack of three layers: the nearest layer’s file shows, a write goes up. */
async function threeLayers(): Promise<void> {
  const a = await realAdapter();
  try {
    const versions = ['one', 'two', 'three'];
    let parent: string | undefined;
    for (const [i, v] of versions.entries()) {
      const l = buildLayer([
        { entry: { path: 'which', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from(`${v}\n`) },
        { entry: { path: `only-${v}`, mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from(`${v}\n`) },
      ]);
      await a.root_.content.put(
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size },
        l.blob,
      );
      await a.prepare(`extract-${v}`, parent);
      await a.apply(`extract-${v}`, { digest: l.digest, diffId: l.diffId, size: l.size });
      await a.commit(`L${i}`, `extract-${v}`);
      parent = `L${i}`;
    }
    const mounts = await a.root_.snapshots.prepare('container', parent);
    await withMount(mounts, a.root_.root, (target) => {
      expect(readFileSync(join(target, 'which'), 'utf8')).toBe('three\n');
      for (const v of versions) expect(readFileSync(join(target, `only-${v}`), 'utf8')).toBe(`${v}\n`);
      writeFileSync(join(target, 'which'), 'container\n');
    });
    // The write went up, into the container's own dir; the layer below is as it was.
    expect(readFileSync(join(upperDir(mounts), 'which'), 'utf8')).toBe('container\n');
    expect(readFileSync(join(upperDir(a.root_.snapshots.mounts('container')), 'which'), 'utf8')).toBe(
      'container\n',
    );
    await withMount(await a.root_.snapshots.view('view', 'L2'), a.root_.root, (target) =>
      expect(readFileSync(join(target, 'which'), 'utf8')).toBe('three\n'),
    );
  } finally {
    await a.close();
  }
}

/** containerd testsuite’s 128LayersMount, with what the real mount then shows. */
async function deepStack(): Promise<void> {
  // containerd's testsuite (128LayersMount) and dockerd's depth limit: the option string is
  // longer than the kernel takes (a page), so the mount is made with paths relative to the root.
  const a = await realAdapter();
  try {
    let parent: string | undefined;
    for (let i = 0; i < 128; i++) {
      const [upper] = (await a.prepare(`extract-${i}`, parent)).map((m) => upperDir([m]));
      writeFileSync(join(upper ?? '', `layer-${i}`), `${i}\n`);
      writeFileSync(join(upper ?? '', 'which'), `${i}\n`);
      await a.commit(`L${i}`, `extract-${i}`);
      parent = `L${i}`;
    }
    const mounts = await a.root_.snapshots.prepare('container', parent);
    expect(mounts.map((m) => m.options.join(',')).join(',').length).toBeGreaterThan(4096);
    await withMount(mounts, a.root_.root, (target) => {
      expect(readFileSync(join(target, 'which'), 'utf8')).toBe('127\n');
      for (const i of [0, 1, 64, 127])
        expect(readFileSync(join(target, `layer-${i}`), 'utf8')).toBe(`${i}\n`);
    });
  } finally {
    await a.close();
  }
}

realSuite('the real overlay snapshotter', ['root', 'overlay', 'attr'], () => {
  describeSnapshotterContract('real: the engine overlay snapshotter and its view', realAdapter, {
    layer,
    teardown: (a) => a.close(),
    skip: {
      'apply grows the snapshot’s size': NO_SIZES,
      'a committed snapshot is read-only: write fails': NO_WRITES,
      'siblings share their parent’s lower dirs but not their upper dirs': `${NO_WRITES} (the case tells the upper dirs apart by what was written)`,
      'a write into a snapshot without parent is no copy-up and counts its bytes': NO_WRITES,
      'the first write of a lower file copies it up, later writes do not': NO_WRITES,
      'a file from a deeper layer is copied up too': NO_WRITES,
      'a new file that no lower layer has is not a copy-up': NO_WRITES,
      'rewriting a file does not count its bytes twice': NO_WRITES,
      'commit keeps the snapshot’s dir and size': `${NO_WRITES}; the dir is kept: see "commit turns the active snapshot into a committed one under its name"`,
    },
  });

  it(
    'the mounts of an active snapshot over three layers show the nearest layer first, and write into its own dir',
    threeLayers,
  );
  it('an active snapshot over 128 layers mounts, its lowerdir past a page of mount options', deepStack);
});
