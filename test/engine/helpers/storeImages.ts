// Images made directly in an image root, no registry: a blob per layer, a committed snapshot
// per chain id (on its parent), a config and a manifest blob, and the name in the image store.
// Layers named alike in two images are the same layer (same blob, same chain id).
import { chainIds, sha256 } from '../../../engine/image/digest.ts';
import type { ImageRoot } from '../../../engine/image/root.ts';
import type { ImageRecord } from '../../../engine/image/store/imageStore.ts';

function desc(bytes: Buffer): { mediaType: string; digest: string; size: number } {
  return { mediaType: 'application/octet-stream', digest: sha256(bytes), size: bytes.length };
}

/** Stores image `name` whose layers are named by `layers` (bottom first). */
export async function storeImage(
  root: ImageRoot,
  name: string,
  layers: readonly string[],
): Promise<ImageRecord> {
  const diffIds = layers.map((l) => sha256(`diff ${l}`));
  const chains = chainIds(diffIds);
  const records: ImageRecord['layers'] = [];
  for (const [i, layer] of layers.entries()) {
    const blob = Buffer.from(`blob ${layer}`);
    await root.content.put(desc(blob), blob);
    const chainId = chains[i] ?? '';
    if (root.snapshots.stat(chainId) === undefined) {
      await root.snapshots.prepare(`extract-${chainId}`);
      await root.snapshots.commit(chainId, `extract-${chainId}`, { parent: chains[i - 1] });
    }
    records.push({ ...desc(blob), diffId: diffIds[i] ?? '', chainId });
  }
  const config = Buffer.from(JSON.stringify({ rootfs: { type: 'layers', diff_ids: diffIds } }));
  await root.content.put(desc(config), config);
  const manifest = Buffer.from(
    JSON.stringify({ config: sha256(config), layers: records.map((l) => l.digest) }),
  );
  await root.content.put(desc(manifest), manifest);
  const record: ImageRecord = {
    name,
    target: desc(manifest),
    manifest: desc(manifest),
    config: desc(config),
    layers: records,
    createdAt: '2024-01-01T00:00:00Z',
  };
  await root.images.put(record);
  return record;
}

/** Layer names `prefix-0` … `prefix-(n-1)`. */
export function layerNames(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
}

/** What is left in the root's content store and snapshotter. */
export async function leftIn(root: ImageRoot): Promise<{ blobs: string[]; snapshots: string[] }> {
  return {
    blobs: (await root.content.list()).map((b) => b.digest).sort(),
    snapshots: root.snapshots
      .list()
      .map((s) => s.key)
      .sort(),
  };
}
