import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import {
  challengeOf,
  ping,
  refusalText,
  registryCall,
  tokenRequest,
  type Answer,
  type Challenge,
} from './authRegistry.ts';
import { urlPrefix } from './imagePull.ts';
import { apiRequest } from './request.ts';

type Gen<T> = Generator<Effect, T, unknown>;

/** A failed login: the status dockerd answers with and its text. */
interface Refusal {
  code: number;
  message: string;
}

/** `serveraddress` as dockerd reads it (moby registry.ConvertToHostname): no scheme, no path. */
export function loginHost(address: string): string {
  const host = address.replace(/^https?:\/\//, '').split('/')[0] ?? '';
  // Docker Hub's index address and the empty one both mean Docker Hub's registry.
  return host === '' || host === 'index.docker.io' || host === 'docker.io' ? 'registry-1.docker.io' : host;
}

/**
 * `POST /auth` (`docker login`): dockerd checks the credentials against the registry and keeps
 * nothing (the docker CLI stores them). moby registry/auth.go loginV2: `GET /v2/` without
 * credentials (200: logged in, whatever they are); on a 401 it meets the challenge — Bearer asks
 * the token server with Basic credentials, `account`, `client_id=docker` and
 * `offline_token=true`; Basic sends them to the registry itself — and asks `GET /v2/` again.
 * The texts as dockerd 20.10 gives them (measured against a loopback registry:
 * test/fixtures/real-engine/n-push-login-requests.txt): a token
 * server's refusal is 401 `Get "<url>": unauthorized: …`; a registry that still refuses is 500
 * `login attempt to <url> failed with status: 401 Unauthorized`; no credentials for a Basic
 * registry 500 `Get "<url>": no basic auth credentials`; an unreachable one 500 with Go's error.
 * The password never travels in a message: `Basic …` stands for the credentials.
 */
export function* auth(d: Daemon, req: Message): OperationProgram {
  const { body } = apiRequest(req);
  const text = (key: string): string => (typeof body[key] === 'string' ? String(body[key]) : '');
  const host = loginHost(text('serveraddress'));
  const root = `${urlPrefix(host) || 'https://registry-1.docker.io'}/v2/`;
  const refused = yield* login(d, host, root, {
    username: text('username'),
    withPassword: text('password') !== '',
  });
  if (refused !== undefined) return d.error(req, refused.code, refused.message);
  // Go's field order: AuthenticateOKBody{IdentityToken, Status}.
  d.reply(req, 200, { IdentityToken: '', Status: 'Login Succeeded' }, { params: { host } });
}

function* login(
  d: Daemon,
  host: string,
  root: string,
  who: { username: string; withPassword: boolean },
): Gen<Refusal | undefined> {
  const probe = yield* ping(d, host);
  if (probe.error !== undefined) return { code: 500, message: probe.error };
  if (probe.status === 200) return undefined;
  const challenge = probe.status === 401 ? challengeOf(probe) : undefined;
  if (challenge === undefined) return { code: 500, message: failedText(root, probe) };
  // Go's clients send Basic credentials only when both parts are there.
  const basic = who.username !== '' && who.withPassword ? { Authorization: 'Basic …' } : undefined;
  let authorization: Record<string, string>;
  if (challenge.scheme === 'bearer') {
    const token = yield* loginToken(d, root, challenge, who.username, basic);
    if (token !== undefined) return token;
    authorization = { Authorization: 'Bearer …' };
  } else {
    if (basic === undefined) return { code: 500, message: `Get "${root}": no basic auth credentials` };
    authorization = basic;
  }
  const again = yield* registryCall(d, { method: 'GET', host, path: '/v2/', headers: authorization });
  if (again.error !== undefined) return { code: 500, message: again.error };
  return again.status === 200 ? undefined : { code: 500, message: failedText(root, again) };
}

/** A token with no scope, for the account (moby registry/auth.go loginV2's token handler). */
function* loginToken(
  d: Daemon,
  root: string,
  challenge: Challenge,
  username: string,
  basic: Record<string, string> | undefined,
): Gen<Refusal | undefined> {
  const query: [string, string][] = [
    ...(username === '' ? [] : [['account', username] as [string, string]]),
    ['client_id', 'docker'],
    ['offline_token', 'true'],
  ];
  const where = tokenRequest(challenge, query);
  if (where === undefined)
    return {
      code: 500,
      message: `Get "${root}": bad token realm ${JSON.stringify(challenge.params['realm'] ?? '')}`,
    };
  const answer = yield* registryCall(d, { method: 'GET', ...where, headers: basic ?? {} });
  // Go names the request the login made, the API root, with the failure of the inner one.
  if (answer.error !== undefined)
    return { code: 500, message: `Get "${root}": ${answer.error.replace(/^Get "[^"]*": /, '')}` };
  if (answer.status !== 200)
    return {
      code: answer.status === 401 || answer.status === 403 ? 401 : 500,
      message: `Get "${root}": ${refusalText(answer)}`,
    };
  let doc: JsonObject;
  try {
    doc = JSON.parse(answer.body) as JsonObject;
  } catch (error) {
    return {
      code: 500,
      message: `Get "${root}": unable to decode token response: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const token = typeof doc.token === 'string' && doc.token !== '' ? doc.token : doc.access_token;
  if (typeof token !== 'string' || token === '')
    return {
      code: 500,
      message: `Get "${root}": authorization server did not include a token in the response`,
    };
  return undefined;
}

function failedText(root: string, answer: Answer): string {
  return `login attempt to ${root} failed with status: ${answer.status} ${answer.statusText}`.trimEnd();
}
