/*
 * Registry authentication, the parts the simulation and the engine share
 * (https://distribution.github.io/distribution/spec/auth/token/):
 *   1. a 401 carries `WWW-Authenticate: Bearer realm="…",service="…"[,scope="…"]` or `Basic realm="…"`
 *      (RFC 9110 §11.6.1, RFC 6750 §3);
 *   2. Bearer: `GET realm?scope=repository:NAME:pull&service=…` answers
 *      `{"token"|"access_token", "expires_in"}`;
 *   3. Basic: every request carries the credentials itself.
 * Glossary: *realm* — the token server's URL; *service* — the registry's name at that server;
 * *scope* — `repository:<path>:<actions>`, what the token grants.
 */

export interface Challenge {
  scheme: 'bearer' | 'basic';
  /** The auth-params, keys in lowercase: `realm`, `service`, `scope`, `error`. */
  params: Record<string, string>;
}

/** The first challenge of a WWW-Authenticate value (quoted strings with \-escapes), Bearer or Basic. */
export function parseChallenge(value: string): Challenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(value);
  if (match === null) return undefined;
  const scheme = (match[1] ?? '').toLowerCase();
  if (scheme !== 'bearer' && scheme !== 'basic') return undefined;
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gs;
  const rest = match[2] ?? '';
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) {
    params[(m[1] ?? '').toLowerCase()] = m[2] === undefined ? (m[3] ?? '') : m[2].replace(/\\(.)/g, '$1');
  }
  return { scheme, params };
}

/**
 * A repository scope (docker/distribution registry/client/auth `RepositoryScope.String`):
 * `repository:library/busybox:pull`, `repository:app:push,pull`.
 */
export function repositoryScope(path: string, actions: readonly string[]): string {
  return `repository:${path}:${actions.join(',')}`;
}

/** Encodes one query value; the identity keeps a narrated request readable as it was written. */
export type QueryEncoder = (value: string) => string;

/**
 * The token server's request for a realm: its host, and its path with the query in the order
 * given (Go's `url.Values.Encode` sorts the keys: `scope` before `service`). Undefined when the
 * realm is not an http(s) URL.
 */
export function tokenRequest(
  realm: string,
  query: readonly (readonly [string, string])[],
  encode: QueryEncoder = encodeURIComponent,
): { host: string; path: string } | undefined {
  const m = /^https?:\/\/([^/?]+)(\/[^?]*)?/.exec(realm);
  if (!m) return undefined;
  return {
    host: m[1] ?? '',
    path: `${m[2] ?? '/'}?${query.map(([k, v]) => `${k}=${encode(v)}`).join('&')}`,
  };
}

/** A token server's answer: the token, if any, and its lifetime in seconds, if given. */
export interface TokenAnswer {
  token: string | undefined;
  expiresIn: number | undefined;
}

/** The token in a token server's JSON answer (`token`, or OAuth2's `access_token`); undefined when not JSON. */
export function tokenOfAnswer(body: string): TokenAnswer | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return undefined;
  }
  const field = (key: string): unknown =>
    typeof doc === 'object' && doc !== null ? Object.getOwnPropertyDescriptor(doc, key)?.value : undefined;
  const first = field('token');
  const token = typeof first === 'string' && first !== '' ? first : field('access_token');
  const expires = field('expires_in');
  return {
    token: typeof token === 'string' && token !== '' ? token : undefined,
    expiresIn: typeof expires === 'number' && expires > 0 ? expires : undefined,
  };
}

/** Docker Hub's token server, for a challenge that names none. */
const DOCKER_HUB_REALM = 'https://auth.docker.io/token';
const DOCKER_HUB_SERVICE = 'registry.docker.io';

/**
 * The anonymous pull token request a Bearer challenge asks for (docker/distribution
 * registry/client/auth/session.go and containerd's docker authorizer: `scope` then `service`),
 * its query shown as written, unescaped, as the lessons narrate it.
 */
export function pullTokenRequest(challenge: string, repository: string): { host: string; path: string } {
  const params = parseChallenge(challenge)?.params ?? {};
  const query = [
    ['scope', repositoryScope(repository, ['pull'])],
    ['service', params['service'] ?? DOCKER_HUB_SERVICE],
  ] as const;
  const where = tokenRequest(params['realm'] ?? DOCKER_HUB_REALM, query, (v) => v);
  return where ?? { host: 'auth.docker.io', path: `/token?${query.map(([k, v]) => `${k}=${v}`).join('&')}` };
}
