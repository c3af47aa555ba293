// POST /auth: `docker login`. dockerd checks the credentials against the registry's API root and
// keeps nothing (the docker CLI stores them in its config.json); moby registry/auth.go loginV2:
//   1. `GET /v2/` without credentials; a 200 is a successful login whatever the credentials.
//   2. On a 401 it meets the challenge with the credentials: a Bearer challenge asks the token
//      server for a token with no scope (`account=<user>&client_id=docker&offline_token=true&
//      service=…`, Basic credentials when both user and password are given); a Basic challenge
//      sends them to the registry itself.
//   3. `GET /v2/` again with them: 200 is `{"IdentityToken":"","Status":"Login Succeeded"}`.
// The answers otherwise, as dockerd 20.10 gives them (measured against a loopback registry):
// a token server's refusal is 401 `Get "<url>": unauthorized: incorrect username or password`;
// a Basic registry that still refuses is 500 `login attempt to <url> failed with status: 401
// Unauthorized`; no credentials for a Basic registry is 500 `Get "<url>": no basic auth
// credentials`; a registry that cannot be reached is 500 with Go's dial error. An empty server
// address means Docker Hub, as for dockerd.
import { STATUS_CODES } from 'node:http';
import { basicHeader, parseChallenge, type Challenge } from '../../image/registry/auth.ts';
import { distributionText, goErrorText } from '../../image/registry/errors.ts';
import { header, isLoopbackHost, readBody, send, type HttpResponse } from '../../image/registry/http.ts';
import type { Call, Route } from '../context.ts';
import { ApiError, badRequest } from '../errors.ts';
import { readJson, sendJson } from '../http.ts';

/** dockerd's login client gives up after 15 s (registry/auth.go loginClient). */
const LOGIN_TIMEOUT_MS = 15_000;
const USER_AGENT = 'dockstep/0.1';

interface Login {
  username: string;
  password: string;
  /** The registry's API root, `scheme://host/v2/`. */
  url: URL;
}

/** `serveraddress` as dockerd reads it (registry.ConvertToHostname): no scheme, no path. */
export function loginHost(address: string): string {
  const host = address.replace(/^https?:\/\//, '').split('/')[0] ?? '';
  // Docker Hub's index address and the empty one both mean Docker Hub's registry.
  return host === '' || host === 'index.docker.io' || host === 'docker.io' ? 'registry-1.docker.io' : host;
}

/** The string fields of moby's AuthConfig (api/types/auth.go), as its JSON tags spell them. */
const AUTH_FIELDS = ['username', 'password', 'auth', 'email', 'serveraddress', 'identitytoken', 'registrytoken'];

/** Go's name for a JSON value's kind in an UnmarshalTypeError. */
function goKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'number' ? 'number' : 'object';
}

/**
 * dockerd decodes the body into an AuthConfig before it asks any registry, so a field of the
 * wrong type ends the login there, with Go's decoder text (measured on dockerd 20.10, which says
 * 500; a bad request is what it is, as for a body that is not JSON). Go matches keys without
 * regard to case and leaves a null as the empty string.
 */
function checkTypes(o: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(o)) {
    const field = AUTH_FIELDS.find((f) => f === key.toLowerCase());
    if (field === undefined || value === null || typeof value === 'string') continue;
    throw badRequest(
      `json: cannot unmarshal ${goKind(value)} into Go struct field AuthConfig.${field} of type string`,
    );
  }
}

/** A field by its JSON name: the exact key first, else one that differs in case only (Go's rule). */
function textField(o: Record<string, unknown>, name: string): string {
  const key = name in o ? name : Object.keys(o).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : o[key];
  return typeof value === 'string' ? value : '';
}

function loginOf(call: Call, body: unknown): Login {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('auth: the body must be a JSON object with username, password and serveraddress');
  const o = body as Record<string, unknown>;
  checkTypes(o);
  const text = (key: string): string => textField(o, key);
  const host = loginHost(text('serveraddress'));
  const scheme = call.engine.registryScheme ?? (isLoopbackHost(host) ? 'http' : 'https');
  let url: URL;
  try {
    url = new URL(`${scheme}://${host}/v2/`);
  } catch {
    throw badRequest(`auth: invalid server address ${JSON.stringify(text('serveraddress'))}`);
  }
  return { username: text('username'), password: text('password'), url };
}

/** Go's clients send Basic credentials only when both parts are there. */
function basic(login: Login): string | undefined {
  return login.username === '' || login.password === '' ? undefined : basicHeader(login);
}

async function get(
  url: URL,
  authorization: string | undefined,
  what: URL,
): Promise<{ res: HttpResponse; body: Buffer }> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  if (authorization !== undefined) headers['authorization'] = authorization;
  try {
    const res = await send({ method: 'GET', url, headers }, LOGIN_TIMEOUT_MS);
    return { res, body: await readBody(res, 1 << 20) };
  } catch (error) {
    // Go names the request the login made, the API root, with the failure of the inner one.
    throw new ApiError(500, `Get "${what.href}": ${goErrorText(url, error)}`);
  }
}

/** The token for a Bearer challenge, from the token server the challenge names. */
async function token(login: Login, challenge: Challenge): Promise<string> {
  const realm = challenge.params['realm'] ?? '';
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new ApiError(500, `Get "${login.url.href}": bad token realm ${JSON.stringify(realm)}`);
  }
  if (login.username !== '') url.searchParams.set('account', login.username);
  url.searchParams.set('client_id', 'docker');
  url.searchParams.set('offline_token', 'true');
  if (challenge.params['service'] !== undefined) url.searchParams.set('service', challenge.params['service']);
  const { res, body } = await get(url, basic(login), login.url);
  if (res.status !== 200) {
    const status = res.status === 401 || res.status === 403 ? 401 : 500;
    throw new ApiError(status, `Get "${login.url.href}": ${distributionText(res.status, body)}`);
  }
  let doc: { token?: unknown; access_token?: unknown };
  try {
    doc = JSON.parse(body.toString('utf8')) as typeof doc;
  } catch (error) {
    throw new ApiError(
      500,
      `Get "${login.url.href}": unable to decode token response: ${(error as Error).message}`,
    );
  }
  const found = typeof doc.token === 'string' && doc.token !== '' ? doc.token : doc.access_token;
  if (typeof found !== 'string' || found === '')
    throw new ApiError(
      500,
      `Get "${login.url.href}": authorization server did not include a token in the response`,
    );
  return found;
}

/** What to send on the second try, for the registry's challenge. */
async function answer(login: Login, res: HttpResponse): Promise<string> {
  const challenge = parseChallenge(header(res, 'www-authenticate') ?? '');
  if (challenge === undefined) throw new ApiError(500, failedText(login.url, res.status));
  if (challenge.scheme === 'bearer') return `Bearer ${await token(login, challenge)}`;
  const credentials = basic(login);
  if (credentials === undefined)
    throw new ApiError(500, `Get "${login.url.href}": no basic auth credentials`);
  return credentials;
}

function failedText(url: URL, status: number): string {
  return `login attempt to ${url.href} failed with status: ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
}

async function auth(call: Call): Promise<void> {
  const login = loginOf(call, await readJson(call.req, 64 << 10));
  const first = await get(login.url, undefined, login.url);
  if (first.res.status !== 200) {
    if (first.res.status !== 401) throw new ApiError(500, failedText(login.url, first.res.status));
    const second = await get(login.url, await answer(login, first.res), login.url);
    if (second.res.status !== 200) throw new ApiError(500, failedText(login.url, second.res.status));
  }
  // Go's field order: AuthenticateOKBody{IdentityToken, Status}.
  sendJson(call.res, 200, { IdentityToken: '', Status: 'Login Succeeded' });
}

export const routes: Route[] = [{ method: 'POST', path: '/auth', handler: auth }];
