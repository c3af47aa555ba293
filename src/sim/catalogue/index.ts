import { isDigest } from '../../model/digest.ts';
import {
  tryParseReference,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
} from '../../model/image.ts';
import { ALPINE } from './alpine.ts';
import { defineImage } from './build.ts';
import { BUSYBOX } from './busybox.ts';
import { DEBIAN } from './debianImage.ts';
import { HELLO_WORLD } from './helloWorld.ts';
import { NGINX } from './nginx.ts';
import { PAUSE } from './pause.ts';
import { REDIS } from './redis.ts';
import { UBUNTU } from './ubuntu.ts';
import type { CatalogueImage, RawBlob } from './types.ts';

/**
 * The built-in image catalogue: what the simulated registry (Docker Hub, `docker.io`) holds.
 * Manifests, indexes and configs are real JSON documents with real digests; layer blobs are
 * simulated (see build.ts). nginx and redis share their Debian base layer. Kubernetes' pause
 * image comes from registry.k8s.io, the others from Docker Hub. hello-world, ubuntu and debian
 * are the images people try first.
 */
export const CATALOGUE: readonly CatalogueImage[] = [
  BUSYBOX,
  ALPINE,
  NGINX,
  REDIS,
  PAUSE,
  HELLO_WORLD,
  UBUNTU,
  DEBIAN,
].map(defineImage);

export type { CatalogueImage, CatalogueLayer, FileChange, RawBlob } from './types.ts';
export { chainIds } from '../../model/image.ts';

/**
 * Find an image as a pull would: by reference (`nginx`, `nginx:latest`,
 * `docker.io/library/nginx:latest`), by `name@digest` or by a bare `sha256:…` digest, where the
 * digest is that of the index or of the linux/amd64 manifest. A digest wins over a tag, as in
 * Docker. Invalid references and registries the catalogue has no image from find nothing.
 */
export function findImage(reference: string): CatalogueImage | undefined {
  const matchesDigest = (image: CatalogueImage, digest: string): boolean =>
    image.index.digest === digest || image.manifest.digest === digest;
  if (isDigest(reference)) return CATALOGUE.find((image) => matchesDigest(image, reference));
  const ref = tryParseReference(reference);
  if (ref === undefined) return undefined;
  return CATALOGUE.find(
    (image) =>
      image.domain === ref.domain &&
      image.repository === ref.path &&
      (ref.digest === undefined ? ref.tag === image.tag : matchesDigest(image, ref.digest)),
  );
}

/**
 * Any JSON document of an image by digest — index, manifests and configs of every platform,
 * attestations — as `GET /v2/NAME/manifests/DIGEST` or `GET /v2/NAME/blobs/DIGEST` would
 * serve it. Layers are not documents: look them up in `image.layers`.
 */
export function findDocument(
  image: CatalogueImage,
  digest: string,
): RawBlob<ImageIndex | ImageManifest | ImageConfig> | undefined {
  const documents = [image.index, image.manifest, image.config, ...image.related];
  return documents.find((d) => d.digest === digest);
}

/** The PATH of every catalogue image's config, and Docker's default when an image sets none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The PATH value of an environment list (`["PATH=/usr/bin", …]`), or the default. */
export function pathOf(env: readonly string[] | undefined): string {
  const entry = env?.find((e) => e.startsWith('PATH='));
  return entry === undefined ? DEFAULT_PATH : entry.slice('PATH='.length);
}

/** Resolve `.`, `..` and repeated slashes of an absolute path. */
function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * Find a program the way runc does before exec (Go's `exec.LookPath` inside the container,
 * https://pkg.go.dev/os/exec#LookPath): a name with a slash is taken as a path (relative to the
 * working directory), any other name is searched in each PATH directory in order. Returns the
 * path that would be executed, or `undefined`, on which runc reports
 * `exec: "NAME": executable file not found in $PATH`.
 */
export function lookPath(
  executables: readonly string[],
  file: string,
  path: string = DEFAULT_PATH,
  cwd = '/',
): string | undefined {
  const exists = (candidate: string): boolean =>
    executables.includes(cleanPath(candidate.startsWith('/') ? candidate : `${cwd}/${candidate}`));
  if (file.includes('/')) return exists(file) ? file : undefined;
  for (const dir of path.split(':')) {
    // An empty PATH entry means the working directory, as in a shell.
    const candidate = `${dir === '' ? '.' : dir}/${file}`;
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

/**
 * What unpacking a catalogue layer writes: its uncompressed size, and its biggest file (the
 * one a full disk is most likely to stop at). Unknown layers have no footprint.
 */
export function footprintOf(diffId: string): { bytes: number; path: string } | undefined {
  for (const image of CATALOGUE) {
    const layer = image.layers.find((l) => l.diffId === diffId);
    if (!layer) continue;
    const files = layer.files.filter((f) => f.kind === 'file' && f.target === undefined);
    const biggest = files.reduce<(typeof files)[number] | undefined>(
      (a, f) => ((f.size ?? 0) > (a?.size ?? -1) ? f : a),
      undefined,
    );
    return { bytes: layer.uncompressedSize, path: biggest?.path ?? '/' };
  }
  return undefined;
}
