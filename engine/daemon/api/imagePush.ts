// POST /images/{name}/push?tag=…: `docker push`, served by the dockerd machine's push operation
// (src/layers/dockerd/ops/imagePush.ts): its registry requests are the Registry machine's round
// trips, each blob streamed from the content store by the real transport (engine/real/registry.ts).
// The answer is dockerd's JSON-message stream, its lines sent as the real work tells them. The
// credentials come from X-Registry-Auth into the request's session, never onto the wire.
import { registryAuth } from '../auth.ts';
import type { Call, Route } from '../context.ts';
import { throughMachines, type Prepared } from '../gateway.ts';

function pushCredentials(call: Call): Prepared {
  const auth = registryAuth(call.req);
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
      stream: 'messages',
      prepare: pushCredentials,
    }),
  },
];
