// Image references as docker and containerd normalise them (the grammar of
// https://github.com/distribution/reference/blob/main/reference.go): `[domain/]path[:tag][@digest]`.
// The first component is a domain when it has a `.` or a `:` or is `localhost`; otherwise the
// domain is docker.io and a one-component path gets `library/`. Docker Hub's API lives on
// registry-1.docker.io. A reference with neither tag nor digest means `:latest`.
import { ImageError } from './errors.ts';

export interface Reference {
  /** The domain as written (docker.io for Docker Hub). */
  domain: string;
  /** Repository path on that domain (library/busybox). */
  path: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[a-fA-F0-9:]+\](?::[0-9]+)?$/;

function invalid(input: string, why: string): ImageError {
  return new ImageError('invalid', `invalid reference format: ${why} (${JSON.stringify(input)})`);
}

function splitDomain(name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())
  ) {
    return { domain: first, path: name.slice(slash + 1) };
  }
  return { domain: 'docker.io', path: slash < 0 ? `library/${name}` : name };
}

export function parseReference(input: string): Reference {
  if (input.length === 0 || input.length > 4096) throw invalid(input, 'empty or too long');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(input, `bad digest ${digest}`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(input, `bad tag ${tag}`);
  }
  const { domain, path } = splitDomain(rest);
  if (!DOMAIN.test(domain)) throw invalid(input, `bad domain ${domain}`);
  if (path !== path.toLowerCase()) throw invalid(input, 'repository name must be lowercase');
  if (path.length === 0 || !path.split('/').every((c) => COMPONENT.test(c)))
    throw invalid(input, `bad repository name ${path}`);
  if (domain.length + 1 + path.length > 255)
    throw invalid(input, 'repository name must not be more than 255 characters');
  const ref: Reference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  if (tag === undefined && digest === undefined) ref.tag = 'latest';
  return ref;
}

/** `domain/path` — the repository a name lives in. */
export function repositoryOf(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The full name: `domain/path:tag`, `domain/path@digest` or both. */
export function formatReference(ref: Reference): string {
  return `${repositoryOf(ref)}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}

/** What to ask the registry's manifests endpoint for: the digest when pinned, else the tag. */
export function manifestReference(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** The host that serves the distribution API for a domain. */
export function registryHost(domain: string): string {
  return domain === 'docker.io' || domain === 'index.docker.io' ? 'registry-1.docker.io' : domain;
}

/** Docker's short form: docker.io/library/busybox:latest → busybox:latest. */
export function familiarName(ref: Reference): string {
  const full = formatReference(ref);
  if (ref.domain !== 'docker.io') return full;
  const path =
    ref.path.startsWith('library/') && ref.path.split('/').length === 2
      ? ref.path.slice('library/'.length)
      : ref.path;
  return full.replace(`docker.io/${ref.path}`, path);
}
