import type { JsonObject } from '../model/json.ts';
import type { Message, TextRef } from '../model/message.ts';
import { parseChallenge } from '../model/registryAuth.ts';

/**
 * A pull speaks to the registry a dozen times, mostly with one operation (`registry.get`): the
 * ping (`GET /v2/`, classic only), the token, the tag's resolution (`HEAD …/manifests/TAG`,
 * `registry.head`), the manifest list (or OCI index) and the platform's manifest by digest, the
 * config blob and each layer blob. Each request and reply gets its own sentence here, with the
 * facts the message carries (size, digest, media type, status), worked out from the message
 * alone (its path, headers and body), so a streamed trace line is narrated the same way.
 *
 * Request and header names follow the distribution spec
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md) and Docker's token
 * authentication (https://distribution.github.io/distribution/spec/auth/token/).
 */
export type RegistryKind =
  'ping' | 'token' | 'resolve' | 'manifestTag' | 'manifest' | 'manifestList' | 'config' | 'layer';

const REGISTRY_KEYS = new Set([
  'registry.get',
  'registry.get.reply',
  'registry.error.reply',
  'registry.head',
  'registry.head.reply',
]);
/** A HEAD of a blob is the push's "does the registry have it?": its op sentence says so. */
const HEAD_KEYS = new Set(['registry.head', 'registry.head.reply']);

const LIST_TYPES = [
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
];
const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
];

function payloadOf(m: Message): JsonObject {
  const p = m.payload;
  return p && typeof p === 'object' && !Array.isArray(p) ? p : {};
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function headersOf(p: JsonObject): Record<string, string> {
  const h = p.headers;
  if (!h || typeof h !== 'object' || Array.isArray(h)) return {};
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), text(v)]));
}

/** What a request asks for, from its path (and whether the puller marked it as a layer). */
export function requestKind(p: JsonObject): RegistryKind | undefined {
  const path = text(p.path);
  if (path === '/v2/' || path === '/v2') return 'ping';
  if (/^\/token\b|[?&]scope=/.test(path)) return 'token';
  if (path.includes('/manifests/') && p.method === 'HEAD') return 'resolve';
  if (path.includes('/manifests/')) return /\/manifests\/sha256:/.test(path) ? 'manifest' : 'manifestTag';
  if (path.includes('/blobs/')) return p.layer === true ? 'layer' : 'config';
  return undefined;
}

/** What a reply carries, from its headers and body. */
export function replyKind(p: JsonObject): RegistryKind | undefined {
  const headers = headersOf(p);
  const type = (headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const body = text(p.body);
  if (headers['www-authenticate'] !== undefined) return 'ping';
  if (LIST_TYPES.includes(type)) return 'manifestList';
  if (MANIFEST_TYPES.includes(type)) return 'manifest';
  if (/"(access_)?token"\s*:/.test(body)) return 'token';
  if (type === 'application/vnd.oci.image.config.v1+json' || /"rootfs"\s*:/.test(body)) return 'config';
  if (type === 'application/octet-stream' || /tar|gzip|zstd/.test(type)) return 'layer';
  if (body.trim() === '{}' && headers['docker-distribution-api-version'] !== undefined) return 'ping';
  return undefined;
}

/** A size in bytes as people read it: `28227259 bytes (26.9 MiB)`. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${bytes} bytes (${v.toFixed(1)} ${units[u] ?? 'GiB'})`;
}

function requestFacts(p: JsonObject): Record<string, string> {
  const path = text(p.path);
  const scope = /[?&]scope=([^&]+)/.exec(path)?.[1] ?? '';
  const reference = /\/(?:manifests|blobs)\/([^/?]+)$/.exec(path)?.[1] ?? '';
  const size = typeof p.size === 'number' ? sizeText(p.size) : '?';
  return { host: text(p.host), path, scope: decodeURIComponent(scope), reference, size };
}

function replyFacts(m: Message, p: JsonObject): Record<string, string> {
  const headers = headersOf(p);
  const bytes = typeof p.bodySize === 'number' ? p.bodySize : text(p.body).length;
  const body = text(p.body);
  const expires = /"expires_in"\s*:\s*(\d+)/.exec(body)?.[1] ?? '?';
  const realm = parseChallenge(headers['www-authenticate'] ?? '')?.params['realm'] ?? '';
  return {
    status: m.call,
    size: sizeText(bytes),
    digest: headers['docker-content-digest'] ?? '?',
    mediaType: (headers['content-type'] ?? '?').split(';')[0] ?? '?',
    expires,
    realm,
  };
}

/**
 * The narration of a registry request or reply by its kind, or undefined for any other
 * message (and for a registry answer that is an error other than the ping's 401: its own
 * sentence already explains what the status means).
 */
export function registryNarration(m: Message): TextRef | undefined {
  if (!REGISTRY_KEYS.has(m.narration.key)) return undefined;
  const p = payloadOf(m);
  if (m.kind === 'request') {
    const kind = requestKind(p);
    if (HEAD_KEYS.has(m.narration.key) && kind !== 'resolve') return undefined;
    return kind ? { key: `registry.kind.${kind}`, params: requestFacts(p) } : undefined;
  }
  if (HEAD_KEYS.has(m.narration.key)) {
    // A HEAD's answer has headers only: for a manifest, the digest the tag names.
    const type = headersOf(p)['content-type'] ?? '';
    return [...LIST_TYPES, ...MANIFEST_TYPES].includes(type.split(';')[0]?.trim() ?? '')
      ? { key: 'registry.kind.resolve.reply', params: replyFacts(m, p) }
      : undefined;
  }
  const kind = replyKind(p);
  if (!kind || (!m.ok && kind !== 'ping')) return undefined;
  // A registry that needs no token answers the ping 200: a sentence of its own.
  const key = kind === 'ping' && m.ok ? 'registry.kind.pingOpen.reply' : `registry.kind.${kind}.reply`;
  return { key, params: replyFacts(m, p) };
}
