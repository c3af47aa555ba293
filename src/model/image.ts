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

/*
 * Image references, ported from distribution/reference, the package the docker CLI and dockerd
 * use (https://github.com/distribution/reference: regexp.go, normalize.go, reference.go):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain "/"] path-component ["/" path-component]*
 *   domain    := host [":" port]          (host: domain-name, or [IPv6])
 *   path-component := [a-z0-9]+ (separator [a-z0-9]+)*     separator := [._] | __ | [-]+
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" [0-9a-fA-F]{32,}
 *
 * Go's regexp picks the same submatches as JavaScript's here (both leftmost-first), so the
 * patterns carry over unchanged.
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_AND_PORT = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST_PATTERN = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(
  `^((?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME})(?::(${TAG}))?(?:@(${DIGEST_PATTERN}))?$`,
);
const ANCHORED_NAME = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;
/** go-digest's general digest grammar, used only to tell "unsupported" from "malformed". */
const ANY_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** Algorithms go-digest knows, with their hex lengths. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const NAME_TOTAL_LENGTH_MAX = 255;
const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';

/** A normalised reference: `nginx` → domain `docker.io`, path `library/nginx`, tag `latest`. */
export interface ImageReference {
  /** Registry host and port: `docker.io`, `localhost:5000`. */
  domain: string;
  /** Repository inside the registry: `library/nginx`. */
  path: string;
  /** `domain/path`: `docker.io/library/nginx`. */
  name: string;
  /** `latest` when neither tag nor digest was given (the CLI's `TagNameOnly`). */
  tag?: string;
  digest?: string;
  /** The full normalised string: `docker.io/library/nginx:latest`. */
  string: string;
}

/** A reference the docker CLI would refuse; the message is the CLI's text, word for word. */
export class InvalidReferenceError extends Error {
  /** The text that was parsed. */
  readonly reference: string;

  constructor(message: string, reference: string) {
    super(message);
    this.name = 'InvalidReferenceError';
    this.reference = reference;
  }
}

/** normalize.go `splitDockerDomain`: a first component is a registry only if it looks like a host. */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  let domain = DEFAULT_DOMAIN;
  let remainder = name;
  if (slash >= 0) {
    const first = name.slice(0, slash);
    const isHost =
      first === 'localhost' ||
      /[.:]/.test(first) ||
      first.toLowerCase() !== first ||
      first === LEGACY_DEFAULT_DOMAIN;
    if (isHost) [domain, remainder] = [first, name.slice(slash + 1)];
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

/** go-digest `Digest.Validate`: the algorithm must be known and the hex exactly its length. */
function validateDigest(digest: string, input: string): void {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) {
    const message = ANY_DIGEST.test(digest)
      ? 'unsupported digest algorithm'
      : 'invalid checksum digest format';
    throw new InvalidReferenceError(message, input);
  }
  if (encoded.length !== length) throw new InvalidReferenceError('invalid checksum digest length', input);
  if (!/^[a-f0-9]+$/.test(encoded)) throw new InvalidReferenceError('invalid checksum digest format', input);
}

/** reference.go `Parse` on an already-normalised string. */
function parseNormalised(s: string, input: string): ImageReference {
  const match = REFERENCE.exec(s);
  if (!match) {
    const message = REFERENCE.test(s.toLowerCase())
      ? 'invalid reference format: repository name must be lowercase'
      : 'invalid reference format';
    throw new InvalidReferenceError(message, input);
  }
  const [, fullName = '', tag, digest] = match;
  if (fullName.length > NAME_TOTAL_LENGTH_MAX) {
    throw new InvalidReferenceError(
      `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
      input,
    );
  }
  if (digest !== undefined) validateDigest(digest, input);
  const nameMatch = ANCHORED_NAME.exec(fullName);
  const domain = nameMatch?.[1] ?? '';
  const path = nameMatch?.[2] ?? fullName;
  // TagNameOnly: a bare name means `:latest`; a digest alone stays untagged.
  const finalTag = tag ?? (digest === undefined ? 'latest' : undefined);
  const name = `${domain}/${path}`;
  const string =
    name + (finalTag === undefined ? '' : `:${finalTag}`) + (digest === undefined ? '' : `@${digest}`);
  return {
    domain,
    path,
    name,
    string,
    ...(finalTag !== undefined && { tag: finalTag }),
    ...(digest && { digest }),
  };
}

/**
 * Parse and normalise a reference as `docker pull`/`docker run` do (`ParseNormalizedNamed` then
 * `TagNameOnly`): `nginx` → `docker.io/library/nginx:latest`, `redis:7` →
 * `docker.io/library/redis:7`, `localhost:5000/x/y@sha256:…` kept as is. Throws
 * {@link InvalidReferenceError} with the docker CLI's message, e.g. `invalid reference format:
 * repository name (library/Nginx) must be lowercase`.
 */
export function parseReference(input: string): ImageReference {
  if (IDENTIFIER.test(input)) {
    throw new InvalidReferenceError(
      `invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`,
      input,
    );
  }
  const { domain, remainder } = splitDockerDomain(input);
  const colon = remainder.indexOf(':');
  const remote = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remote.toLowerCase() !== remote) {
    throw new InvalidReferenceError(
      `invalid reference format: repository name (${remote}) must be lowercase`,
      input,
    );
  }
  return parseNormalised(`${domain}/${remainder}`, input);
}

/** Like {@link parseReference}, but `undefined` instead of an error. */
export function tryParseReference(input: string): ImageReference | undefined {
  try {
    return parseReference(input);
  } catch (error) {
    if (error instanceof InvalidReferenceError) return undefined;
    throw error;
  }
}

/** The short repository name Docker prints (`FamiliarName`): `docker.io/library/nginx` → `nginx`. */
export function familiarRepository(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return ref.name;
  const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
  return ref.path.startsWith(OFFICIAL_REPO_PREFIX) && !rest.includes('/') ? rest : ref.path;
}

/**
 * The reference as Docker prints it (`FamiliarString`, e.g. in `docker images` and pull
 * output): `docker.io/library/nginx:latest` → `nginx:latest`, `localhost:5000/x/y:1` unchanged.
 */
export function familiarName(ref: ImageReference | string): string {
  const parsed = typeof ref === 'string' ? parseReference(ref) : ref;
  const tag = parsed.tag === undefined ? '' : `:${parsed.tag}`;
  const digest = parsed.digest === undefined ? '' : `@${parsed.digest}`;
  return familiarRepository(parsed) + tag + digest;
}
