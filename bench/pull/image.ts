// The bench image: ≈100 MB of gzip layers in four layers, each a few large files of random
// (incompressible) bytes mixed with a few hundred small files (half text, half random), as
// application layers tend to be. Written as an OCI layout for skopeo to push.
import { randomBytes } from 'node:crypto';
import {
  buildLayer,
  writeImage,
  writeLayoutIndex,
  type BuiltImage,
  type LayerSpec,
} from '../../test/engine/helpers/images.ts';
import { MediaType } from '../../engine/image/oci.ts';

const T = 1_700_000_000;

function layer(index: number, bytes: number): LayerSpec {
  const spec: LayerSpec = [{ entry: { path: `layer${index}`, typeflag: '5', mtime: T } }];
  const big = 3;
  const smallCount = Math.min(400, Math.floor(bytes / 8192 / 4));
  const smallTotal = smallCount * 8192;
  const bigSize = Math.floor((bytes - smallTotal) / big);
  for (let i = 0; i < big; i++)
    spec.push({ entry: { path: `layer${index}/blob${i}.bin`, mtime: T }, data: randomBytes(bigSize) });
  for (let d = 0; d < 8; d++) spec.push({ entry: { path: `layer${index}/d${d}`, typeflag: '5', mtime: T } });
  for (let i = 0; i < smallCount; i++) {
    const size = 1024 + ((i * 7919) % 14336);
    const data =
      i % 2 === 0
        ? randomBytes(size)
        : Buffer.from(`line ${i} of layer ${index}\n`.repeat(Math.ceil(size / 20)).slice(0, size));
    spec.push({ entry: { path: `layer${index}/d${i % 8}/f${i}.txt`, mtime: T }, data });
  }
  if (index > 0) spec.push({ entry: { path: `layer${index - 1}/.wh.blob0.bin`, mtime: T } });
  return spec;
}

export function buildBenchImage(layout: string, totalBytes = 106e6): BuiltImage {
  const layers = [0, 1, 2, 3].map((i) => buildLayer(layer(i, totalBytes / 4)));
  const image = writeImage(layout, layers);
  writeLayoutIndex(layout, 'bench', {
    mediaType: MediaType.ociManifest,
    digest: image.manifest.digest,
    size: image.manifest.size,
  });
  return image;
}
