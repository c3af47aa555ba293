// The images the daemon suites pull: busybox-static in four layers (a whiteout and an opaque
// dir among them), pushed with skopeo as Docker schema 2 (`busybox:v1`) and as OCI
// (`busybox:oci`), and an image sharing its two lower layers (`shared:v1`).
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { MediaType } from '../../../engine/image/oci.ts';
import {
  buildLayer,
  busyboxLayers,
  skopeoCopy,
  writeImage,
  writeLayoutIndex,
  type BuiltImage,
} from './images.ts';

export interface PushedImages {
  busybox: BuiltImage;
  shared: BuiltImage;
  /** Layers of its own (one of 4 MiB), for counting downloads. */
  solo: BuiltImage;
  /** Layers of its own, one of which a test deletes from the registry. */
  broken: BuiltImage;
  layout: string;
}

export async function pushTestImages(registryHost: string, dir: string): Promise<PushedImages> {
  const layout = mkdtempSync(join(dir, 'layout-'));
  const layers = busyboxLayers().map((l) => buildLayer(l));
  const busybox = writeImage(layout, layers);
  const desc = (i: BuiltImage): { mediaType: string; digest: string; size: number } => ({
    mediaType: MediaType.ociManifest,
    digest: i.manifest.digest,
    size: i.manifest.size,
  });
  writeLayoutIndex(layout, 'v1', desc(busybox));
  const extra = buildLayer([
    { entry: { path: 'extra.txt', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from('extra\n') },
  ]);
  const shared = writeImage(
    layout,
    [layers[0], layers[1], extra].filter((l) => l !== undefined),
  );
  writeLayoutIndex(layout, 'shared', desc(shared));
  const big = Buffer.alloc(4 << 20);
  for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
  const solo = writeImage(layout, [
    buildLayer([{ entry: { path: 'big.bin', mode: 0o644, mtime: 1_700_000_000 }, data: big }]),
    buildLayer([
      { entry: { path: 'solo.txt', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from('solo\n') },
    ]),
  ]);
  writeLayoutIndex(layout, 'solo', desc(solo));
  await skopeoCopy(layout, 'v1', `${registryHost}/busybox:v1`, { format: 'v2s2' });
  await skopeoCopy(layout, 'v1', `${registryHost}/busybox:oci`, { format: 'oci' });
  await skopeoCopy(layout, 'shared', `${registryHost}/shared:v1`, { format: 'oci' });
  await skopeoCopy(layout, 'solo', `${registryHost}/solo:v1`, { format: 'oci' });
  const broken = writeImage(layout, [
    buildLayer([
      { entry: { path: 'lost.txt', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from('lost\n') },
    ]),
    buildLayer([
      { entry: { path: 'kept.txt', mode: 0o644, mtime: 1_700_000_000 }, data: Buffer.from('kept\n') },
    ]),
  ]);
  writeLayoutIndex(layout, 'broken', desc(broken));
  await skopeoCopy(layout, 'broken', `${registryHost}/broken:v1`, { format: 'oci' });
  return { busybox, shared, solo, broken, layout };
}
