// POST /auth: `docker login`, served by the dockerd machine's login operation
// (src/layers/dockerd/ops/auth.ts, moby registry/auth.go loginV2), whose registry requests are
// the Registry machine's round trips. What stays here is dockerd's decoding of the body, which
// ends a login before any registry is asked: a body that is not a JSON object, a field of the
// wrong type (a numeric username), an address that is no URL — each a 400. The password goes
// into the request's session for the real transport; the message carries `…` in its place.
import { loginHost } from '../../../src/layers/dockerd/ops/auth.ts';
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { throughMachines, type Prepared } from '../gateway.ts';
import { readJson } from '../http.ts';

export { loginHost };

/** The string fields of moby's AuthConfig (api/types/auth.go), as its JSON tags spell them. */
const AUTH_FIELDS = [
  'username',
  'password',
  'auth',
  'email',
  'serveraddress',
  'identitytoken',
  'registrytoken',
];

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

async function loginOf(call: Call): Promise<Prepared> {
  const body = await readJson(call.req, 64 << 10);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('auth: the body must be a JSON object with username, password and serveraddress');
  const o = body as Record<string, unknown>;
  checkTypes(o);
  const text = (key: string): string => textField(o, key);
  if (!URL.canParse(`http://${loginHost(text('serveraddress'))}/v2/`))
    throw badRequest(`auth: invalid server address ${JSON.stringify(text('serveraddress'))}`);
  const [username, password] = [text('username'), text('password')];
  return {
    body: { username, password: password === '' ? '' : '…', serveraddress: text('serveraddress') },
    credentials: { username, password },
  };
}

export const routes: Route[] = [
  { method: 'POST', path: '/auth', handler: throughMachines({ op: 'api.auth', prepare: loginOf }) },
];
