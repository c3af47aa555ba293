/**
 * Image references as github.com/distribution/reference parses and prints them: what the CLI
 * uses to shorten `docker ps`'s IMAGE, split `docker images` rows and print `docker pull`'s
 * last line.
 * https://github.com/distribution/reference/blob/v0.6.0/normalize.go (ParseNormalizedNamed,
 * splitDockerDomain, FamiliarName) and regexp.go (the grammar).
 */

export interface ImageReference {
  /** Registry host, "docker.io" for Docker Hub. */
  domain: string;
  /** Repository path, "library/nginx" for official images. */
  path: string;
  tag?: string;
  digest?: string;
}

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const FULL = new RegExp(
  `^(${DOMAIN})/(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);
const NAME_TOTAL_LENGTH_MAX = 255;
const DEFAULT_DOMAIN = 'docker.io';

/** `splitDockerDomain`: a first component is a host only if it has '.', ':', is localhost or has capitals. */
function splitDomain(name: string): [string, string] {
  const i = name.indexOf('/');
  const first = i === -1 ? '' : name.slice(0, i);
  let domain = DEFAULT_DOMAIN;
  let remainder = name;
  if (i !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first)) {
    domain = first === 'index.docker.io' ? DEFAULT_DOMAIN : first;
    remainder = name.slice(i + 1);
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = `library/${remainder}`;
  return [domain, remainder];
}

/** `reference.ParseNormalizedNamed`: the reference, or Go's error text. */
export function parseReference(s: string): { ref: ImageReference } | { error: string } {
  // A bare 64-hex string is an image ID, never a repository name.
  if (/^[a-f0-9]{64}$/.test(s)) {
    return { error: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings` };
  }
  const [domain, remainder] = splitDomain(s);
  const colon = remainder.indexOf(':');
  const remoteName = colon > -1 ? remainder.slice(0, colon) : remainder;
  if (remoteName.toLowerCase() !== remoteName) {
    return { error: `invalid reference format: repository name (${remoteName}) must be lowercase` };
  }
  const m = FULL.exec(`${domain}/${remainder}`);
  if (!m) return { error: 'invalid reference format' };
  const [, host = '', path = '', tag, digest] = m;
  if (host.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) {
    return { error: `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters` };
  }
  if (digest?.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    return { error: 'invalid checksum digest length' };
  }
  const ref: ImageReference = { domain: host, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return { ref };
}

/** `reference.ParseNormalizedNamed`; undefined where Go returns an error. */
export function parseNormalizedNamed(s: string): ImageReference | undefined {
  const result = parseReference(s);
  return 'ref' in result ? result.ref : undefined;
}

/** The full name, "docker.io/library/nginx". */
export function fullName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** `reference.FamiliarName`: "nginx", "user/app", "localhost:5000/app". */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return fullName(ref);
  const rest = ref.path.slice('library/'.length);
  return ref.path.startsWith('library/') && !rest.includes('/') ? rest : ref.path;
}

function withSuffix(name: string, ref: ImageReference): string {
  return (
    name + (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '')
  );
}

/** `reference.FamiliarString`: familiar name plus tag and digest. */
export function familiarString(ref: ImageReference): string {
  return withSuffix(familiarName(ref), ref);
}

/** `Reference.String()`: "docker.io/library/nginx:latest". */
export function fullString(ref: ImageReference): string {
  return withSuffix(fullName(ref), ref);
}

/** `reference.TagNameOnly`: a reference with neither tag nor digest gets ":latest". */
export function tagNameOnly(ref: ImageReference): ImageReference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: 'latest' } : ref;
}
