import type { ImageConfig, ImageIndex, ImageManifest } from '../../model/image.ts';

/**
 * A JSON document exactly as the simulated registry serves it. Registries and clients address
 * manifests and configs by the sha256 of their bytes (distribution spec, "Pulling manifests":
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests), so
 * the text is kept byte for byte: re-serialising `json` would change the digest.
 */
export interface RawBlob<T> {
  readonly raw: string;
  /** `sha256:` + sha256 of the UTF-8 bytes of `raw`. */
  readonly digest: string;
  /** Byte length of `raw` (UTF-8). */
  readonly size: number;
  readonly json: T;
  readonly mediaType: string;
}

/**
 * One representative change a layer makes, as a tar entry would record it. `path` is the path
 * inside the image. A `whiteout` entry stands for the tar member `dir/.wh.NAME` and `path` is
 * the lower file it hides; an `opaque` entry stands for `dir/.wh..wh..opq` and `path` is the
 * directory whose lower contents it hides (image spec, "Whiteouts":
 * https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts).
 */
export interface FileChange {
  readonly path: string;
  readonly kind: 'file' | 'dir' | 'symlink' | 'whiteout' | 'opaque';
  /** Bytes, for files. */
  readonly size?: number;
  /**
   * Link target: for symlinks, as stored in the tar (often relative); on a `file`, the file it
   * is a hard link to (BusyBox's applets).
   */
  readonly target?: string;
}

/**
 * A layer of a catalogue image (linux/amd64). The blob does not exist: `digest` and `diffId`
 * are sha256 of a label (see layerIds in build.ts), and `size`/`uncompressedSize` are what the
 * real layer weighs, so pull progress and `docker images` print realistic numbers.
 */
export interface CatalogueLayer {
  /** Digest of the compressed blob, as the manifest lists it. */
  readonly digest: string;
  /** Compressed size in bytes. */
  readonly size: number;
  /** sha256 of the uncompressed tar, as the config's `rootfs.diff_ids` lists it. */
  readonly diffId: string;
  readonly uncompressedSize: number;
  readonly mediaType: string;
  /** The history entry (Dockerfile instruction) that produced the layer. */
  readonly createdBy: string;
  /** A small representative sample of the layer's changes, for the layer-stack view. */
  readonly files: readonly FileChange[];
}

export interface CatalogueImage {
  /** Familiar name: `nginx`. */
  readonly name: string;
  /** The registry that serves it: `docker.io`, or `registry.k8s.io` for Kubernetes' pause. */
  readonly domain: string;
  /** Repository path on Docker Hub: `library/nginx`. */
  readonly repository: string;
  readonly tag: string;
  /** What `GET /v2/library/nginx/manifests/latest` returns: the multi-platform index. */
  readonly index: RawBlob<ImageIndex>;
  /** The linux/amd64 manifest the index points at. */
  readonly manifest: RawBlob<ImageManifest>;
  /** The linux/amd64 config; its digest is the classic image id. */
  readonly config: RawBlob<ImageConfig>;
  /** The linux/amd64 layers, bottom first, matching `manifest.layers` and `rootfs.diff_ids`. */
  readonly layers: readonly CatalogueLayer[];
  /**
   * Every other document the index reaches (linux/arm64 manifest and config, the attestation
   * manifests and their configs), so a registry can answer any digest a client asks for.
   */
  readonly related: readonly RawBlob<ImageManifest | ImageConfig>[];
  /** Absolute paths of the programs in the merged root file system (PATH lookups). */
  readonly executables: readonly string[];
}
