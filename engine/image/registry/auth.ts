// Registry authentication as the docker CLI and containerd do it
// (https://distribution.github.io/distribution/spec/auth/token/):
//   1. `GET /v2/` answers 401 with `WWW-Authenticate: Bearer realm="…",service="…"` (or `Basic realm="…"`).
//   2. Bearer: `GET realm?service=…&scope=repository:NAME:pull[,push]`, with Basic credentials
//      when there are some, answers `{"token"|"access_token", "expires_in"}`; requests then carry
//      `Authorization: Bearer <token>`. Tokens are cached per scope until they expire.
//   3. Basic: every request carries `Authorization: Basic base64(user:password)`.
// Glossary: *realm* — the token server's URL; *service* — the registry's name at that server;
// *scope* — `repository:<path>:<actions>`, what the token grants.
import { tokenOfAnswer, type Challenge } from '../../../src/model/registryAuth.ts';
import { ImageError } from '../errors.ts';
import { distributionText, RegistryError } from './errors.ts';
import { header, readBody, send } from './http.ts';
import type { RecordSink } from './trace.ts';

export { parseChallenge, type Challenge } from '../../../src/model/registryAuth.ts';

export interface Credentials {
  username: string;
  password: string;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

export interface AuthorizerOptions {
  credentials?: Credentials;
  timeoutMs: number;
  onRecord?: RecordSink;
  userAgent: string;
}

/** Holds the registry's challenge and the tokens got for it; one per registry host. */
export class Authorizer {
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly host: string,
    private readonly options: AuthorizerOptions,
  ) {}

  setChallenge(challenge: Challenge | undefined): void {
    this.challenge = challenge;
  }

  get scheme(): string | undefined {
    return this.challenge?.scheme;
  }

  /** Forget a token the registry refused, so the next try fetches a fresh one. */
  invalidate(scopes: readonly string[]): void {
    this.tokens.delete(scopes.join(' '));
  }

  /** The Authorization header for a request needing `scopes`, or undefined without a challenge. */
  async authorization(scopes: readonly string[]): Promise<string | undefined> {
    const challenge = this.challenge;
    if (challenge === undefined) return undefined;
    if (challenge.scheme === 'basic') {
      if (this.options.credentials === undefined)
        throw new ImageError(
          'unauthorized',
          `unauthorized: ${this.host} requires credentials (basic realm ${challenge.params['realm'] ?? '?'})`,
        );
      return basicHeader(this.options.credentials);
    }
    const key = scopes.join(' ');
    const cached = this.tokens.get(key);
    if (cached !== undefined && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
    let pending = this.pending.get(key);
    if (pending === undefined) {
      pending = this.fetchToken(challenge, scopes).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return `Bearer ${await pending}`;
  }

  private async fetchToken(challenge: Challenge, scopes: readonly string[]): Promise<string> {
    const realm = challenge.params['realm'];
    if (realm === undefined)
      throw new ImageError(
        'unauthorized',
        `unauthorized: ${this.host} sent a bearer challenge without a realm`,
      );
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new ImageError(
        'unauthorized',
        `unauthorized: ${this.host} sent a bad token realm ${JSON.stringify(realm)}`,
      );
    }
    if (challenge.params['service'] !== undefined)
      url.searchParams.set('service', challenge.params['service']);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent };
    if (this.options.credentials !== undefined)
      headers['authorization'] = basicHeader(this.options.credentials);
    const started = Date.now();
    const res = await send({ method: 'GET', url, headers }, this.options.timeoutMs);
    const body = await readBody(res, 1 << 20);
    this.options.onRecord?.({
      method: 'GET',
      url: url.href,
      status: res.status,
      size: body.length,
      purpose: 'token',
      ms: Date.now() - started,
    });
    if (res.status === 401 || res.status === 403) {
      const why =
        this.options.credentials === undefined
          ? 'requires credentials'
          : `refused the credentials of ${this.options.credentials.username}`;
      // dockerd prints the token server's own words (docker/distribution auth/session.go
      // fetchToken → HandleErrorResponse): Docker Hub's `{"details": "incorrect username or
      // password"}` reads `unauthorized: incorrect username or password`.
      throw new RegistryError(
        'unauthorized',
        `unauthorized: token server ${url.host} ${why} for ${scopes.join(' ')}`,
        distributionText(res.status, body),
      );
    }
    if (res.status !== 200)
      throw new RegistryError(
        'server',
        `token server ${url.host} answered ${res.status} for ${scopes.join(' ')}`,
        distributionText(res.status, body),
      );
    return this.keep(scopes, body, url, header(res, 'date'));
  }

  private keep(scopes: readonly string[], body: Buffer, url: URL, _date: string | undefined): string {
    const answer = tokenOfAnswer(body.toString('utf8'));
    if (answer === undefined)
      throw new ImageError(
        'unauthorized',
        `unauthorized: token server ${url.host} answered something that is not json`,
      );
    const { token } = answer;
    if (token === undefined)
      throw new ImageError('unauthorized', `unauthorized: token server ${url.host} answered without a token`);
    // The spec's default lifetime is 60 s; renew a little early.
    const seconds = answer.expiresIn ?? 60;
    this.tokens.set(scopes.join(' '), { token, expiresAt: Date.now() + Math.max(1, seconds - 5) * 1000 });
    return token;
  }
}
