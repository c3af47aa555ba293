// The image the recorded fixtures ran (test/fixtures/real-engine/SUMMARY.md): Debian's
// busybox-static imported as `busybox:latest` with `CMD ["sh"]`, every applet linked in /bin and
// no Env, so `docker run busybox sleep 1000` finds `sleep` on the PATH dockerd adds. Written as an
// OCI layout, turned into a `docker save` archive by skopeo and given to the engine with
// `docker load`, so no registry is needed.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256 } from '../../../engine/image/digest.ts';
import { MediaType } from '../../../engine/image/oci.ts';
import { hostPlatform } from '../../../engine/image/platform.ts';
import { buildLayer, writeLayoutIndex, type LayerSpec } from './images.ts';

const run = promisify(execFile);
const T = 1_700_000_000;

function blob(dir: string, bytes: Buffer): { digest: string; size: number } {
  const digest = sha256(bytes);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

/** One layer: /bin/busybox and a symlink per applet it lists, /etc and /tmp. */
function busyboxLayer(): LayerSpec {
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((a) => a !== '' && a !== 'busybox');
  return [
    { entry: { path: 'bin', typeflag: '5', mode: 0o755, mtime: T } },
    { entry: { path: 'bin/busybox', mode: 0o755, mtime: T }, data: readFileSync('/bin/busybox') },
    ...applets.map((a) => ({
      entry: { path: `bin/${a}`, typeflag: '2', linkpath: 'busybox', mode: 0o777, mtime: T },
    })),
    { entry: { path: 'etc', typeflag: '5', mode: 0o755, mtime: T } },
    { entry: { path: 'tmp', typeflag: '5', mode: 0o1777, mtime: T } },
  ];
}

/** Writes the image's archive under `dir` and answers its path (loads as busybox:latest). */
export async function fixtureBusyboxArchive(dir: string): Promise<string> {
  const layout = join(dir, 'layout');
  const layer = buildLayer(busyboxLayer());
  blob(layout, layer.blob);
  const platform = hostPlatform();
  const config = blob(
    layout,
    Buffer.from(
      JSON.stringify({
        architecture: platform.architecture,
        os: platform.os,
        config: { Cmd: ['sh'] },
        rootfs: { type: 'layers', diff_ids: [layer.diffId] },
        history: [{ created_by: '', comment: 'Imported from -' }],
      }),
    ),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, ...config },
      layers: [{ mediaType: MediaType.ociLayerGzip, digest: layer.digest, size: layer.size }],
    }),
  );
  writeLayoutIndex(layout, 'latest', { mediaType: MediaType.ociManifest, ...blob(layout, manifest) });
  const archive = join(dir, 'busybox.tar');
  await run(
    'skopeo',
    ['copy', '--quiet', `oci:${layout}:latest`, `docker-archive:${archive}:busybox:latest`],
    {
      env: { ...process.env, HOME: dir },
    },
  );
  return archive;
}
