// The documents of an image, in both families that registries serve:
//   Docker: manifest list (…manifest.list.v2+json) → schema2 manifest (…manifest.v2+json) →
//           config (…container.image.v1+json) + layers (…image.rootfs.diff.tar.gzip)
//   OCI:    index (…oci.image.index.v1+json) → manifest (…oci.image.manifest.v1+json) →
//           config (…oci.image.config.v1+json) + layers (…oci.image.layer.v1.tar[+gzip])
// (https://github.com/opencontainers/image-spec, https://github.com/distribution/distribution/blob/main/docs/content/spec/manifest-v2-2.md).
// Parsing checks the fields the engine relies on and names the one that is wrong.
import {
  isIndexMediaType,
  isManifestMediaType,
  MAX_DEPTH_EXCEEDED,
  MAX_LAYER_DEPTH,
} from '../../src/model/image.ts';
import { checkDigest } from './digest.ts';
import { ImageError } from './errors.ts';
import type { Descriptor } from '../../src/model/image.ts';

export const MediaType = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondist: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
} as const;

/** The Accept list for manifests and the kinds of document, as the simulated engine has them. */
export { MANIFEST_ACCEPT } from '../../src/model/image.ts';
export const isIndexType = isIndexMediaType;
export const isManifestType = isManifestMediaType;

const LAYER_TYPES = new Set<string>([
  MediaType.dockerLayer,
  MediaType.ociLayer,
  MediaType.ociLayerGzip,
  MediaType.ociLayerNondist,
]);

/** A descriptor as the image spec defines it (the core's model). */
export type { Descriptor } from '../../src/model/image.ts';

export interface Manifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface Index {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  created?: string;
  config?: Record<string, unknown>;
  rootfs: { type: string; diff_ids: string[] };
  history?: { created?: string; created_by?: string; empty_layer?: boolean; comment?: string }[];
}

type Json = Record<string, unknown>;

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ImageError('invalid', `${where}: not a json object`);
  return value as Json;
}

export function parseJson(bytes: Uint8Array, where: string): Json {
  try {
    return object(JSON.parse(Buffer.from(bytes).toString('utf8')), where);
  } catch (error) {
    if (error instanceof ImageError) throw error;
    throw new ImageError('invalid', `${where}: invalid json (${(error as Error).message})`);
  }
}

export function parseDescriptor(value: unknown, where: string): Descriptor {
  const o = object(value, where);
  if (typeof o['mediaType'] !== 'string') throw new ImageError('invalid', `${where}: mediaType missing`);
  const size = o['size'];
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw new ImageError('invalid', `${where}: bad size ${JSON.stringify(size)}`);
  const d: Descriptor = { mediaType: o['mediaType'], digest: checkDigest(o['digest'], where), size };
  const platform = o['platform'];
  if (platform !== undefined) {
    const p = object(platform, `${where}.platform`);
    d.platform = { os: String(p['os']), architecture: String(p['architecture']) };
    if (typeof p['variant'] === 'string') d.platform.variant = p['variant'];
  }
  if (o['annotations'] !== undefined)
    d.annotations = object(o['annotations'], `${where}.annotations`) as Record<string, string>;
  if (Array.isArray(o['urls'])) d.urls = o['urls'].map(String);
  return d;
}

/** The media type of a manifest document: its own field, else the Content-Type, else its shape. */
export function manifestKind(doc: Json, contentType: string | undefined): string {
  const own = doc['mediaType'];
  if (typeof own === 'string') return own;
  const header = contentType?.split(';')[0]?.trim();
  if (header !== undefined && (isIndexType(header) || isManifestType(header))) return header;
  return Array.isArray(doc['manifests']) ? MediaType.ociIndex : MediaType.ociManifest;
}

export function parseIndex(doc: Json, mediaType: string, where: string): Index {
  const list = doc['manifests'];
  if (!Array.isArray(list)) throw new ImageError('invalid', `${where}: manifests missing`);
  return {
    schemaVersion: 2,
    mediaType,
    manifests: list.map((m, i) => parseDescriptor(m, `${where}.manifests[${i}]`)),
  };
}

export function parseManifest(doc: Json, mediaType: string, where: string): Manifest {
  if (doc['schemaVersion'] !== 2)
    throw new ImageError(
      'unsupported',
      `${where}: schemaVersion ${JSON.stringify(doc['schemaVersion'])} is not supported`,
    );
  const layers = doc['layers'];
  if (!Array.isArray(layers)) throw new ImageError('invalid', `${where}: layers missing`);
  const parsed = layers.map((l, i) => parseDescriptor(l, `${where}.layers[${i}]`));
  for (const [i, layer] of parsed.entries()) {
    if (!LAYER_TYPES.has(layer.mediaType))
      throw new ImageError(
        'unsupported',
        `${where}.layers[${i}]: unsupported layer media type ${layer.mediaType}`,
      );
  }
  return {
    schemaVersion: 2,
    mediaType,
    config: parseDescriptor(doc['config'], `${where}.config`),
    layers: parsed,
  };
}

/**
 * Refuses an image deeper than dockerd takes (MAX_LAYER_DEPTH, src/model/image.ts), before any
 * of its layers is fetched or stored; `context` is dockerd's prefix for the operation.
 */
export function refuseDeepImage(layers: number, context: 'pull' | 'load'): void {
  if (layers <= MAX_LAYER_DEPTH) return;
  throw new ImageError(
    'invalid',
    context === 'pull' ? `failed to register layer: ${MAX_DEPTH_EXCEEDED}` : MAX_DEPTH_EXCEEDED,
  );
}

export function parseConfig(bytes: Uint8Array, where: string): ImageConfig {
  const doc = parseJson(bytes, where);
  const rootfs = object(doc['rootfs'], `${where}.rootfs`);
  const diffIds = rootfs['diff_ids'];
  if (rootfs['type'] !== 'layers' || !Array.isArray(diffIds))
    throw new ImageError('invalid', `${where}: rootfs must be {type: layers, diff_ids: [...]}`);
  diffIds.forEach((d, i) => checkDigest(d, `${where}.rootfs.diff_ids[${i}]`));
  return { ...doc, rootfs: { type: 'layers', diff_ids: diffIds as string[] } } as ImageConfig;
}
