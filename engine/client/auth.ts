/**
 * X-Registry-Auth as the docker CLI sends it: the credentials of ~/.docker/config.json `auths`
 * for the image's registry, as base64url of the JSON AuthConfig {username, password,
 * serveraddress}. Docker Hub's key in that file is "https://index.docker.io/v1/".
 * https://github.com/docker/cli/blob/v28.2.2/cli/config/configfile/file.go (GetAuthConfig)
 * https://github.com/moby/moby/blob/v28.2.2/api/types/registry/authconfig.go (EncodeAuthConfig)
 * Credential helpers (credsStore, credHelpers) are not read: only inline `auth` entries.
 */
import { parseNormalizedNamed } from '../../src/views/docker/reference.ts';

const HUB_KEY = 'https://index.docker.io/v1/';

interface ConfigFile {
  auths?: Record<string, { auth?: string; identitytoken?: string }>;
}

/** The config.json keys that may hold a registry's credentials, most specific first. */
function keysFor(registry: string): string[] {
  if (registry === 'docker.io')
    return [HUB_KEY, 'index.docker.io', 'docker.io', 'https://index.docker.io/v1'];
  return [
    registry,
    `https://${registry}`,
    `http://${registry}`,
    `https://${registry}/v1/`,
    `https://${registry}/v2/`,
  ];
}

/** The header value for `ref`'s registry from `configJson`, or undefined when it has none. */
export function registryAuthFrom(configJson: string, ref: string): string | undefined {
  const parsed = parseNormalizedNamed(ref);
  if (parsed === undefined) return undefined;
  let config: ConfigFile;
  try {
    config = JSON.parse(configJson) as ConfigFile;
  } catch {
    return undefined;
  }
  const auths = config.auths ?? {};
  const key = keysFor(parsed.domain).find((k) => auths[k] !== undefined);
  const entry = key === undefined ? undefined : auths[key];
  if (entry?.auth === undefined || entry.auth === '') return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const body = {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    serveraddress: parsed.domain === 'docker.io' ? HUB_KEY : parsed.domain,
  };
  return encodeAuthConfig(body);
}

/**
 * base64.URLEncoding of the JSON, as registry.EncodeAuthConfig writes it: the URL alphabet WITH
 * '=' padding. dockerd decodes with the padded decoder, and an unpadded value loses its last
 * bytes there, so the credentials would silently not be used.
 */
export function encodeAuthConfig(config: object): string {
  return Buffer.from(JSON.stringify(config)).toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}
