// "Nothing half-imported": every blob and snapshot left in a root is one an image refers to,
// no ingest is left, no unpack snapshot, no temp file.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ImageRoot } from '../../../engine/image/root.ts';

export async function expectOnlyReferenced(root: ImageRoot): Promise<void> {
  const refs = root.images.references();
  const blobs = (await root.content.list()).map((b) => b.digest);
  expect(blobs.filter((d) => !refs.blobs.has(d))).toEqual([]);
  const snaps = root.snapshots.list();
  expect(snaps.filter((s) => !refs.snapshots.has(s.key)).map((s) => s.key)).toEqual([]);
  expect(readdirSync(root.content.ingests)).toEqual([]);
  const dirs = readdirSync(root.snapshots.root).filter((n) => n !== 'whiteout');
  expect(dirs.sort()).toEqual(snaps.map((s) => String(s.id)).sort());
  expect(readdirSync(root.root).filter((n) => n.includes('.tmp-'))).toEqual([]);
  expect(readdirSync(join(root.content.root, 'blobs', 'sha256')).filter((n) => n.includes('.tmp-'))).toEqual(
    [],
  );
}
