/*
 * Image references, ported from distribution/reference, the package the docker CLI, dockerd and
 * containerd use (https://github.com/distribution/reference: regexp.go, normalize.go,
 * reference.go). The one parser of the project: the simulation, the CLI views and the engine
 * all read names through it.
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
export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
/** Docker Hub's distribution API host (moby registry `DefaultV2Registry`). */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** The parts of a reference; what the printing functions below need. */
export interface ReferenceParts {
  /** Registry host and port: `docker.io`, `localhost:5000`. */
  domain: string;
  /** Repository inside the registry: `library/nginx`. */
  path: string;
  tag?: string;
  digest?: string;
}

/** A normalised reference: `nginx` → domain `docker.io`, path `library/nginx`, tag `latest`. */
export interface ImageReference extends ReferenceParts {
  /** `domain/path`: `docker.io/library/nginx`. */
  name: string;
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

/** The reference built from its parts, with its derived name and string. */
function named(parts: ReferenceParts): ImageReference {
  return {
    domain: parts.domain,
    path: parts.path,
    name: referenceName(parts),
    string: referenceString(parts),
    ...(parts.tag !== undefined && { tag: parts.tag }),
    ...(parts.digest !== undefined && { digest: parts.digest }),
  };
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
  return named({ domain, path, ...(tag !== undefined && { tag }), ...(digest && { digest }) });
}

/**
 * normalize.go `ParseNormalizedNamed`: `nginx` → `docker.io/library/nginx`, `redis:7` →
 * `docker.io/library/redis:7`; no tag is implied. Throws {@link InvalidReferenceError} with the
 * docker CLI's message, e.g. `invalid reference format: repository name (library/Nginx) must be
 * lowercase`.
 */
export function parseNormalizedNamed(input: string): ImageReference {
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

/** helpers.go `TagNameOnly`: a reference with neither tag nor digest means `:latest`. */
export function tagNameOnly(ref: ReferenceParts): ImageReference {
  return named(ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: 'latest' } : ref);
}

/**
 * Parse and normalise a reference as `docker pull`/`docker run` do (`ParseNormalizedNamed` then
 * `TagNameOnly`): `nginx` → `docker.io/library/nginx:latest`, `localhost:5000/x/y@sha256:…`
 * kept as is. Throws {@link InvalidReferenceError} with the docker CLI's message.
 */
export function parseReference(input: string): ImageReference {
  return tagNameOnly(parseNormalizedNamed(input));
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

/** `Named.Name()`: `docker.io/library/nginx`, the repository a name lives in. */
export function referenceName(ref: ReferenceParts): string {
  return `${ref.domain}/${ref.path}`;
}

function withSuffix(name: string, ref: ReferenceParts): string {
  return (
    name + (ref.tag === undefined ? '' : `:${ref.tag}`) + (ref.digest === undefined ? '' : `@${ref.digest}`)
  );
}

/** `Reference.String()`: `docker.io/library/nginx:latest`. */
export function referenceString(ref: ReferenceParts): string {
  return withSuffix(referenceName(ref), ref);
}

/** The short repository name Docker prints (`FamiliarName`): `docker.io/library/nginx` → `nginx`. */
export function familiarRepository(ref: ReferenceParts): string {
  if (ref.domain !== DEFAULT_DOMAIN) return referenceName(ref);
  const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
  return ref.path.startsWith(OFFICIAL_REPO_PREFIX) && !rest.includes('/') ? rest : ref.path;
}

/**
 * The reference as Docker prints it (`FamiliarString`, e.g. in `docker images` and pull
 * output): `docker.io/library/nginx:latest` → `nginx:latest`, `localhost:5000/x/y:1` unchanged.
 */
export function familiarName(ref: ReferenceParts | string): string {
  const parsed = typeof ref === 'string' ? parseReference(ref) : ref;
  return withSuffix(familiarRepository(parsed), parsed);
}

/** What to ask a registry's manifests endpoint for: the digest when pinned, else the tag. */
export function manifestReference(ref: ReferenceParts): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** The host that serves a domain's distribution API: Docker Hub's lives on registry-1.docker.io. */
export function registryHost(domain: string): string {
  return domain === DEFAULT_DOMAIN || domain === LEGACY_DEFAULT_DOMAIN ? DOCKER_HUB_API_HOST : domain;
}
