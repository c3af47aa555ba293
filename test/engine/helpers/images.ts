// Test images written as OCI image layouts (https://github.com/opencontainers/image-spec/blob/main/image-layout.md)
// from layers the test describes entry by entry, and pushed to a registry with skopeo — the
// registry then holds exactly what a real pusher would put there. The busybox image is built
// from Debian's busybox-static: several layers, a whiteout and an opaque directory.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { sha256 } from '../../../engine/image/digest.ts';
import { tarOf, type WriteEntry } from '../../../engine/image/archive/writer.ts';
import { MediaType } from '../../../engine/image/oci.ts';
import { hostPlatform, type Platform } from '../../../engine/image/platform.ts';

const run = promisify(execFile);

export type LayerSpec = { entry: WriteEntry; data?: Buffer }[];

export interface BuiltLayer {
  digest: string;
  diffId: string;
  size: number;
  blob: Buffer;
}

export interface BuiltImage {
  layers: BuiltLayer[];
  config: { digest: string; size: number; bytes: Buffer };
  manifest: { digest: string; size: number; bytes: Buffer };
}

function writeBlob(dir: string, bytes: Buffer): { digest: string; size: number } {
  const digest = sha256(bytes);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

export function buildLayer(spec: LayerSpec, gzip = true): BuiltLayer {
  const tar = tarOf(spec);
  const blob = gzip ? gzipSync(tar, { level: 1 }) : tar;
  return { digest: sha256(blob), diffId: sha256(tar), size: blob.length, blob };
}

/** Writes one image's blobs into `dir` (an OCI layout) and answers its manifest. */
export function writeImage(
  dir: string,
  layers: BuiltLayer[],
  platform: Platform = hostPlatform(),
  gzip = true,
): BuiltImage {
  for (const l of layers) writeBlob(dir, l.blob);
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((_, i) => ({ created_by: `layer ${i}` })),
    }),
  );
  const c = writeBlob(dir, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, ...c },
      layers: layers.map((l) => ({
        mediaType: gzip ? MediaType.ociLayerGzip : MediaType.ociLayer,
        digest: l.digest,
        size: l.size,
      })),
    }),
  );
  const m = writeBlob(dir, manifest);
  return { layers, config: { ...c, bytes: config }, manifest: { ...m, bytes: manifest } };
}

/** index.json naming `tag` → the given descriptor (a manifest or an index). */
export function writeLayoutIndex(
  dir: string,
  tag: string,
  desc: { mediaType: string; digest: string; size: number },
): void {
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const path = join(dir, 'index.json');
  let index: { schemaVersion: number; manifests: unknown[] } = { schemaVersion: 2, manifests: [] };
  try {
    index = JSON.parse(readFileSync(path, 'utf8')) as typeof index;
  } catch {
    // a new layout
  }
  index.manifests.push({ ...desc, annotations: { 'org.opencontainers.image.ref.name': tag } });
  writeFileSync(path, JSON.stringify(index));
}

/** A multi-platform index: the host's image, a foreign one, and an attestation entry. */
export function writeIndex(
  dir: string,
  host: BuiltImage,
  other: BuiltImage,
  attestation: BuiltImage,
): { digest: string; size: number; bytes: Buffer } {
  const p = hostPlatform();
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [
        {
          mediaType: MediaType.ociManifest,
          digest: other.manifest.digest,
          size: other.manifest.size,
          platform: { os: 'linux', architecture: p.architecture === 'arm64' ? 'amd64' : 'arm64' },
        },
        {
          mediaType: MediaType.ociManifest,
          digest: attestation.manifest.digest,
          size: attestation.manifest.size,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
        },
        {
          mediaType: MediaType.ociManifest,
          digest: host.manifest.digest,
          size: host.manifest.size,
          platform: { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) },
        },
      ],
    }),
  );
  return { ...writeBlob(dir, index), bytes: index };
}

export async function skopeoCopy(
  layout: string,
  tag: string,
  dest: string,
  options: { format?: 'v2s2' | 'oci'; all?: boolean; creds?: string } = {},
): Promise<void> {
  const args = [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    ...(options.format ? ['--format', options.format] : []),
    ...(options.all ? ['--all'] : []),
    ...(options.creds ? ['--dest-creds', options.creds] : []),
    `oci:${layout}:${tag}`,
    `docker://${dest}`,
  ];
  await run('skopeo', args, { env: { ...process.env, HOME: layout } });
}

export async function skopeoInspect(
  ref: string,
  raw = false,
  creds?: string,
): Promise<Record<string, unknown>> {
  const args = [
    'inspect',
    '--tls-verify=false',
    ...(raw ? ['--raw'] : []),
    ...(creds ? ['--creds', creds] : []),
    `docker://${ref}`,
  ];
  const { stdout } = await run('skopeo', args, { env: { ...process.env, HOME: '/tmp' } });
  return JSON.parse(stdout) as Record<string, unknown>;
}

const T = 1_700_000_000;
const dir = (path: string, mode = 0o755): { entry: WriteEntry } => ({
  entry: { path, typeflag: '5', mode, mtime: T },
});
const file = (
  path: string,
  text: string,
  mode = 0o644,
  uid = 0,
  gid = 0,
): { entry: WriteEntry; data: Buffer } => ({
  entry: { path, mode, uid, gid, mtime: T },
  data: Buffer.from(text),
});
const link = (path: string, target: string): { entry: WriteEntry } => ({
  entry: { path, typeflag: '2', linkpath: target, mode: 0o777, mtime: T },
});

/** busybox-static in four layers: base, config files, a whiteout + an opaque dir, an app. */
export function busyboxLayers(): LayerSpec[] {
  const busybox = readFileSync('/bin/busybox');
  return [
    [
      dir('bin'),
      { entry: { path: 'bin/busybox', mode: 0o755, mtime: T }, data: busybox },
      link('bin/sh', 'busybox'),
      link('bin/ls', '/bin/busybox'),
      link('bin/cat', 'busybox'),
      dir('tmp', 0o1777),
      dir('etc'),
    ],
    [
      dir('etc'),
      file('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n'),
      file('etc/old.conf', 'old\n'),
      dir('etc/conf.d'),
      file('etc/conf.d/a.conf', 'a\n'),
      file('etc/conf.d/b.conf', 'b\n'),
      dir('home'),
      dir('home/nobody'),
      file('home/nobody/owned', 'mine\n', 0o600, 65534, 65534),
    ],
    [
      dir('etc'),
      { entry: { path: 'etc/.wh.old.conf', mtime: T } },
      dir('etc/conf.d'),
      { entry: { path: 'etc/conf.d/.wh..wh..opq', mtime: T } },
      file('etc/conf.d/c.conf', 'c\n'),
    ],
    [
      dir('app'),
      file('app/hello.sh', '#!/bin/sh\necho hello from dockstep\n', 0o755),
      { entry: { path: 'app/hard', typeflag: '1', linkpath: 'app/hello.sh', mtime: T } },
      {
        entry: { path: 'app/tool', mode: 0o4755, mtime: T, xattrs: { 'user.note': 'kept' } },
        data: Buffer.from('#!/bin/sh\n'),
      },
    ],
  ];
}

/** busybox-static in four layers (busyboxLayers), written into the OCI layout at `layout`. */
export function busyboxImage(layout: string): BuiltImage {
  return writeImage(
    layout,
    busyboxLayers().map((l) => buildLayer(l)),
  );
}

/** {@link busyboxImage}, and the layout's index naming it `v1`, for skopeo to push. */
export function busyboxLayout(layout: string): BuiltImage {
  const image = busyboxImage(layout);
  writeLayoutIndex(layout, 'v1', {
    mediaType: MediaType.ociManifest,
    digest: image.manifest.digest,
    size: image.manifest.size,
  });
  return image;
}
