import { digestOf } from './digest.ts';

/**
 * Images as registries serve them and engines store them: the OCI image spec
 * (https://github.com/opencontainers/image-spec/blob/main/spec.md) and Docker's image manifest
 * v2 schema 2, which the OCI spec was modelled on and which registries still serve
 * (https://distribution.github.io/distribution/spec/manifest-v2-2/).
 *
 * Glossary: *index* (Docker: manifest list) — per-platform manifests of one tag; *manifest* —
 * one platform's config and layers; *config* — the runtime defaults and the history;
 * *descriptor* — {mediaType, digest, size} pointing at a blob; *diff id* — sha256 of an
 * uncompressed layer tar, as listed in the config's `rootfs.diff_ids`.
 */

/** Media types a pull meets. https://github.com/opencontainers/image-spec/blob/main/media-types.md */
export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerUncompressed: 'application/vnd.oci.image.layer.v1.tar',
  /** Buildkit's attestations (SBOM, provenance) are in-toto statements stored as layers. */
  inToto: 'application/vnd.in-toto+json',
} as const;

/**
 * The `Accept` header a client sends for `GET /v2/NAME/manifests/REF`: a registry only serves a
 * media type the client accepts (distribution 2.8 rejects schema2 without it; REFERENCE.md).
 */
export const MANIFEST_ACCEPT: readonly string[] = [
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
];

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList;
}

export function isManifestMediaType(mediaType: string): boolean {
  return mediaType === MEDIA_TYPES.ociManifest || mediaType === MEDIA_TYPES.dockerManifest;
}

export function isLayerMediaType(mediaType: string): boolean {
  return (
    mediaType === MEDIA_TYPES.ociLayer ||
    mediaType === MEDIA_TYPES.dockerLayer ||
    mediaType === MEDIA_TYPES.ociLayerUncompressed
  );
}

/** https://github.com/opencontainers/image-spec/blob/main/image-index.md#image-index-property-descriptions */
export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

/** https://github.com/opencontainers/image-spec/blob/main/descriptor.md */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  urls?: string[];
  artifactType?: string;
}

/** https://github.com/opencontainers/image-spec/blob/main/image-index.md */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** https://github.com/opencontainers/image-spec/blob/main/manifest.md */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
  subject?: Descriptor;
}

/** The container defaults in an image config (`docker inspect`'s `Config`); all optional, as in real blobs. */
export interface ContainerConfig {
  User?: string;
  /** Keys like `80/tcp`; Go marshals the empty struct values as `{}`. */
  ExposedPorts?: Record<string, Record<string, never>>;
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ArgsEscaped?: boolean;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  /** True for instructions that change only metadata (ENV, CMD, …): no layer in `rootfs`. */
  empty_layer?: boolean;
}

/** https://github.com/opencontainers/image-spec/blob/main/config.md */
export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
}

/** Attestation entries in an index carry this platform; pulls skip them (REFERENCE.md). */
export function isAttestation(descriptor: Descriptor): boolean {
  return descriptor.platform?.os === 'unknown' && descriptor.platform.architecture === 'unknown';
}

/**
 * Pick the manifest for a platform from an index, as containerd's platform matcher does for
 * `linux/amd64`; attestation entries (`unknown/unknown`) never match.
 */
export function selectPlatform(
  index: ImageIndex,
  wanted: { os: string; architecture: string },
): Descriptor | undefined {
  return index.manifests.find(
    (m) =>
      !isAttestation(m) && m.platform?.os === wanted.os && m.platform.architecture === wanted.architecture,
  );
}

/**
 * The deepest layer chain dockerd takes: its layer store refuses a layer whose parent chain is
 * already 125 deep (moby layer/layer_store.go `maxLayerDepth = 125`: overlay2's 128 lower dirs,
 * daemon/graphdriver/overlay2/overlay.go `maxDepth`, less the init and container layers), with
 * `ErrMaxDepthExceeded` (layer/layer.go). A pull words it "failed to register layer: max depth
 * exceeded" (distribution/xfer/download.go), after downloading the layers below; a load answers
 * the bare text (image/tarexport/load.go). dockstep refuses before fetching any layer.
 */
export const MAX_LAYER_DEPTH = 125;
export const MAX_DEPTH_EXCEEDED = 'max depth exceeded';

/**
 * Chain ids name a stack of layers (image spec, "ChainID":
 * https://github.com/opencontainers/image-spec/blob/main/config.md#layer-chainid):
 * ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)).
 * Snapshotters key committed snapshots by them, so two images with the same base share it.
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    const previous = out[out.length - 1];
    out.push(previous === undefined ? diffId : digestOf(`${previous} ${diffId}`));
  }
  return out;
}

// Image references live in their own module; re-exported for the many importers of this one.
export {
  InvalidReferenceError,
  familiarName,
  familiarRepository,
  parseReference,
  tryParseReference,
  type ImageReference,
} from './reference.ts';
