// POST /images/{name}/push?tag=…: `docker push`, served by the dockerd machine's push operation
// (src/layers/dockerd/ops/imagePush.ts): its registry requests are the Registry machine's round
// trips, each blob streamed from the content store by the real transport (engine/real/registry.ts).
// The answer is dockerd's JSON-message stream, its lines sent as the real work tells them. The
// credentials come from X-Registry-Auth into the request's session, never onto the wire.
import { registryAuth } from '../auth.ts';
import type { RegistryAuth } from '../backend.ts';
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { throughMachines, type Prepared } from '../gateway.ts';
import { readBody } from '../http.ts';

/**
 * Without X-Registry-Auth dockerd reads the credentials from the body, the API's old form, and
 * refuses a body that is not JSON (moby api/server/router/image/image_routes.go postImagesPush;
 * measured on dockerd 20.10: no header and no body is 400 "Bad parameters and missing
 * X-Registry-Auth: EOF").
 */
async function bodyAuth(call: Call): Promise<RegistryAuth> {
  const text = (await readBody(call.req, 64 << 10)).toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const why =
      text.trim() === ''
        ? 'EOF'
        : `invalid character '${text.trim().charAt(0)}' looking for beginning of value`;
    throw badRequest(`Bad parameters and missing X-Registry-Auth: ${why}`);
  }
  const field = (key: string): string | undefined => {
    const value = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const username = field('username');
  const password = field('password');
  return { ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) };
}

async function pushCredentials(call: Call): Promise<Prepared> {
  const header = call.req.headers['x-registry-auth'];
  const auth = typeof header === 'string' && header !== '' ? registryAuth(call.req) : await bodyAuth(call);
  if (auth?.username === undefined || auth.username === '') return {};
  return { credentials: { username: auth.username, password: auth.password ?? '' } };
}

export const routes: Route[] = [
  {
    method: 'POST',
    path: '/images/{name*}/push',
    handler: throughMachines({
      op: 'api.images.push',
      target: 'name',
      answer: 'messages',
      live: true,
      prepare: pushCredentials,
    }),
  },
];
