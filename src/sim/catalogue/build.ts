import { digestOf, utf8Encode } from '../../model/digest.ts';
import {
  MEDIA_TYPES,
  type ContainerConfig,
  type Descriptor,
  type HistoryEntry,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from '../../model/image.ts';
import type { CatalogueImage, CatalogueLayer, FileChange, RawBlob } from './types.ts';

/**
 * Builds the registry documents of a catalogue image from a compact description: the index,
 * one manifest and config per platform, and the attestation manifests Docker Hub serves beside
 * them. Everything is derived, so digests and sizes always agree with the bytes.
 */

export type Arch = 'amd64' | 'arm64';

export interface LayerSpec {
  /**
   * Names the simulated layer. A real layer's digest is the sha256 of its gzip blob and its
   * diff id the sha256 of the tar; those blobs do not exist here, so both are the sha256 of a
   * label instead (see {@link layerIds}). Same label, same digests: that is how nginx and redis
   * share their Debian base layer.
   */
  label: string;
  /** Compressed (gzip) size in bytes, as the manifest states it. */
  size: number;
  /** Size of the uncompressed tar in bytes. */
  uncompressedSize: number;
  files: readonly FileChange[];
  /** Real digests for a layer whose bytes are known exactly (buildkit's empty layer). */
  known?: { digest: string; diffId: string };
}

/** One Dockerfile instruction as the config's history records it; with a layer unless metadata-only. */
export interface Step {
  createdBy: string;
  created: string;
  comment?: string;
  layer?: LayerSpec;
}

/** What one platform of an image consists of. */
export interface PlatformSpec {
  created: string;
  config: ContainerConfig;
  steps: readonly Step[];
  /** Annotations the official-images builder puts on the manifest and its index entry. */
  annotations: Record<string, string>;
}

export interface ImageSpec {
  name: string;
  tag: string;
  executables: readonly string[];
  platform(arch: Arch): PlatformSpec;
  /** The registry that serves it: `docker.io` (Docker Hub) unless said otherwise. */
  domain?: string;
  /** Its repository path there: `library/<name>` (Docker Hub's official images) unless said otherwise. */
  repository?: string;
  /**
   * Built by Docker Hub's official-images tooling (the default): the manifests carry the
   * bashbrew architecture annotation and the index lists buildkit attestation manifests. Images
   * from other builders (Kubernetes' pause) have neither.
   */
  official?: boolean;
}

/** Buildkit's history comment for instructions of a Dockerfile. */
export const BUILDKIT = 'buildkit.dockerfile.v0';

const PLATFORMS: Record<Arch, Platform> = {
  amd64: { architecture: 'amd64', os: 'linux' },
  arm64: { architecture: 'arm64', os: 'linux', variant: 'v8' },
};

/** The official-images builder's names for the architectures (bashbrew). */
const BASHBREW_ARCH: Record<Arch, string> = { amd64: 'amd64', arm64: 'arm64v8' };

/** Digests of a simulated layer: sha256 of a deterministic label, since the blob cannot exist. */
export function layerIds(layer: LayerSpec): { digest: string; diffId: string } {
  return (
    layer.known ?? {
      diffId: digestOf(`dockstep simulated layer: ${layer.label}`),
      digest: digestOf(`dockstep simulated layer (tar+gzip): ${layer.label}`),
    }
  );
}

/**
 * JSON text as Go's encoding/json writes it, which is what registries serve: like
 * JSON.stringify, but `<`, `>`, `&`, U+2028 and U+2029 are escaped as `\u003c` and so on
 * (https://pkg.go.dev/encoding/json#Marshal). Manifests and indexes are indented with two
 * spaces (buildkit uses MarshalIndent), configs are compact.
 */
export function goJson(value: unknown, indent: boolean): string {
  const text = JSON.stringify(value, null, indent ? 2 : undefined);
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A list written as whitespace-separated words (keeps long program lists compact). */
export function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

/** Go marshals maps with sorted keys. */
export function sortedMap<V>(record: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function rawBlob<T>(json: T, mediaType: string, indent: boolean): RawBlob<T> {
  const raw = goJson(json, indent);
  const bytes = utf8Encode(raw);
  return { raw, json, mediaType, digest: digestOf(bytes), size: bytes.length };
}

/** Key order of the config as the Dockerfile frontend marshals it (ocispec.ImageConfig's fields). */
function orderedConfig(c: ContainerConfig): ContainerConfig {
  const out: ContainerConfig = {};
  if (c.User !== undefined) out.User = c.User;
  if (c.ExposedPorts) out.ExposedPorts = sortedMap(c.ExposedPorts);
  if (c.Env) out.Env = c.Env;
  if (c.Entrypoint) out.Entrypoint = c.Entrypoint;
  if (c.Cmd) out.Cmd = c.Cmd;
  if (c.Volumes) out.Volumes = sortedMap(c.Volumes);
  if (c.WorkingDir !== undefined) out.WorkingDir = c.WorkingDir;
  if (c.Labels) out.Labels = sortedMap(c.Labels);
  if (c.StopSignal !== undefined) out.StopSignal = c.StopSignal;
  if (c.ArgsEscaped !== undefined) out.ArgsEscaped = c.ArgsEscaped;
  return out;
}

function historyOf(steps: readonly Step[]): HistoryEntry[] {
  return steps.map((s) => ({
    created: s.created,
    created_by: s.createdBy,
    ...(s.comment !== undefined && { comment: s.comment }),
    ...(s.layer === undefined && { empty_layer: true }),
  }));
}

function catalogueLayers(steps: readonly Step[]): CatalogueLayer[] {
  return steps.flatMap((s) =>
    s.layer === undefined
      ? []
      : [
          {
            ...layerIds(s.layer),
            size: s.layer.size,
            uncompressedSize: s.layer.uncompressedSize,
            mediaType: MEDIA_TYPES.ociLayer,
            createdBy: s.createdBy,
            files: s.layer.files,
          },
        ],
  );
}

/**
 * Buildkit patches the config as a map, so its top-level keys come out sorted; the container
 * config inside keeps the struct order.
 */
function buildConfig(
  arch: Arch,
  spec: PlatformSpec,
  layers: readonly CatalogueLayer[],
): RawBlob<ImageConfig> {
  const platform = PLATFORMS[arch];
  const json: ImageConfig = {
    architecture: platform.architecture,
    config: orderedConfig(spec.config),
    created: spec.created,
    history: historyOf(spec.steps),
    os: platform.os,
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    ...(platform.variant !== undefined && { variant: platform.variant }),
  };
  return rawBlob(json, MEDIA_TYPES.ociConfig, false);
}

function descriptor(blob: RawBlob<unknown>, extra: Partial<Descriptor> = {}): Descriptor {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.size, ...extra };
}

function buildManifest(
  config: RawBlob<ImageConfig>,
  layers: readonly Descriptor[],
  annotations?: Record<string, string>,
): RawBlob<ImageManifest> {
  const json: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: descriptor(config),
    layers: [...layers],
    ...(annotations && Object.keys(annotations).length > 0 && { annotations: sortedMap(annotations) }),
  };
  return rawBlob(json, MEDIA_TYPES.ociManifest, true);
}

/**
 * A buildkit attestation manifest: an SBOM and a provenance statement stored as in-toto
 * layers, reachable from the index under platform `unknown/unknown`
 * (https://docs.docker.com/build/metadata/attestations/attestation-storage/). The statements are
 * simulated like the layers: digests of a label, a plausible size.
 */
function buildAttestation(
  name: string,
  arch: Arch,
): { manifest: RawBlob<ImageManifest>; config: RawBlob<ImageConfig> } {
  const statement = (kind: string, predicateType: string): Descriptor => {
    const digest = digestOf(`dockstep simulated attestation: ${name} linux/${arch} ${kind}`);
    const size = 4000 + (parseInt(digest.slice(7, 12), 16) % 60000);
    const annotations = { 'in-toto.io/predicate-type': predicateType };
    return { mediaType: MEDIA_TYPES.inToto, digest, size, annotations };
  };
  const layers = [
    statement('sbom', 'https://spdx.dev/Document'),
    statement('provenance', 'https://slsa.dev/provenance/v0.2'),
  ];
  const configJson: ImageConfig = {
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
  };
  const config = rawBlob(configJson, MEDIA_TYPES.ociConfig, false);
  return { manifest: buildManifest(config, layers), config };
}

interface PlatformBuild {
  manifest: RawBlob<ImageManifest>;
  config: RawBlob<ImageConfig>;
  layers: CatalogueLayer[];
  annotations: Record<string, string>;
}

function buildPlatform(spec: ImageSpec, arch: Arch): PlatformBuild {
  const platformSpec = spec.platform(arch);
  const layers = catalogueLayers(platformSpec.steps);
  const config = buildConfig(arch, platformSpec, layers);
  const annotations: Record<string, string> =
    spec.official === false
      ? { ...platformSpec.annotations }
      : { ...platformSpec.annotations, 'com.docker.official-images.bashbrew.arch': BASHBREW_ARCH[arch] };
  const layerDescriptors = layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size }));
  return { manifest: buildManifest(config, layerDescriptors, annotations), config, layers, annotations };
}

/** Everything of one image, computed in one go (the first time any part is asked for). */
export function buildImage(
  spec: ImageSpec,
): Omit<CatalogueImage, 'name' | 'domain' | 'repository' | 'tag' | 'executables'> {
  const arches: Arch[] = ['amd64', 'arm64'];
  const platforms = arches.map((arch) => ({ arch, ...buildPlatform(spec, arch) }));
  const attested = spec.official === false ? [] : platforms;
  const attestations = attested.map((p) => ({ ...p, attestation: buildAttestation(spec.name, p.arch) }));
  const manifests: Descriptor[] = [
    ...platforms.map((p) =>
      descriptor(p.manifest, {
        ...(Object.keys(p.annotations).length > 0 && { annotations: sortedMap(p.annotations) }),
        platform: PLATFORMS[p.arch],
      }),
    ),
    ...attestations.map((p) =>
      descriptor(p.attestation.manifest, {
        annotations: sortedMap({
          'com.docker.official-images.bashbrew.arch': BASHBREW_ARCH[p.arch],
          'vnd.docker.reference.digest': p.manifest.digest,
          'vnd.docker.reference.type': 'attestation-manifest',
        }),
        platform: { architecture: 'unknown', os: 'unknown' },
      }),
    ),
  ];
  const index = rawBlob<ImageIndex>(
    { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests },
    MEDIA_TYPES.ociIndex,
    true,
  );
  const [amd64, ...others] = platforms;
  if (amd64 === undefined) throw new Error('catalogue: no amd64 platform');
  const related = [
    ...others.flatMap((p) => [p.manifest, p.config]),
    ...attestations.flatMap((p) => [p.attestation.manifest, p.attestation.config]),
  ];
  return { index, manifest: amd64.manifest, config: amd64.config, layers: amd64.layers, related };
}

/**
 * A catalogue entry whose documents are built lazily, on first access, and then cached: loading
 * the module costs nothing, and each digest is computed once.
 */
export function defineImage(spec: ImageSpec): CatalogueImage {
  let built: ReturnType<typeof buildImage> | undefined;
  const get = (): ReturnType<typeof buildImage> => (built ??= buildImage(spec));
  return {
    name: spec.name,
    domain: spec.domain ?? 'docker.io',
    repository: spec.repository ?? `library/${spec.name}`,
    tag: spec.tag,
    executables: spec.executables,
    get index() {
      return get().index;
    },
    get manifest() {
      return get().manifest;
    },
    get config() {
      return get().config;
    },
    get layers() {
      return get().layers;
    },
    get related() {
      return get().related;
    },
  };
}
