import { describe, expect, it } from 'vitest';
import {
  parseChallenge,
  pullTokenRequest,
  repositoryScope,
  tokenOfAnswer,
  tokenRequest,
} from '../../../src/model/registryAuth.ts';

// The registry auth both sides share: the challenge of a 401, the scope, the token request and
// the token server's answer (https://distribution.github.io/distribution/spec/auth/token/).
describe('parseChallenge', () => {
  it('parses bearer and basic challenges', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/busybox:pull',
      },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
    expect(parseChallenge('Negotiate')).toBeUndefined();
    expect(parseChallenge('')).toBeUndefined();
  });

  it('reads any case, unquoted values, escapes and an error param', () => {
    expect(
      parseChallenge('BEARER Realm=http://127.0.0.1:5001/auth, error="insufficient_scope",x="a\\"b"'),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'http://127.0.0.1:5001/auth', error: 'insufficient_scope', x: 'a"b' },
    });
  });
});

describe('scopes and token requests', () => {
  it('words scopes as RepositoryScope does', () => {
    expect(repositoryScope('library/busybox', ['pull'])).toBe('repository:library/busybox:pull');
    expect(repositoryScope('app', ['push', 'pull'])).toBe('repository:app:push,pull');
  });

  it('puts the query on the realm, escaped unless asked otherwise', () => {
    const query = [['scope', 'repository:a/b:pull']] as const;
    expect(tokenRequest('https://auth.example.com/token', query)).toEqual({
      host: 'auth.example.com',
      path: '/token?scope=repository%3Aa%2Fb%3Apull',
    });
    expect(tokenRequest('http://127.0.0.1:5001', query, (v) => v)).toEqual({
      host: '127.0.0.1:5001',
      path: '/?scope=repository:a/b:pull',
    });
    expect(tokenRequest('not a url', query)).toBeUndefined();
  });

  it("asks a challenge's token server for a pull token, Docker Hub's when it names none", () => {
    expect(pullTokenRequest('Bearer realm="https://r.example/t",service="r"', 'x/y')).toEqual({
      host: 'r.example',
      path: '/t?scope=repository:x/y:pull&service=r',
    });
    expect(pullTokenRequest('', 'library/busybox')).toEqual({
      host: 'auth.docker.io',
      path: '/token?scope=repository:library/busybox:pull&service=registry.docker.io',
    });
  });
});

describe('tokenOfAnswer', () => {
  it('takes token, else access_token, and the lifetime when positive', () => {
    expect(tokenOfAnswer('{"token":"t","expires_in":300}')).toEqual({ token: 't', expiresIn: 300 });
    expect(tokenOfAnswer('{"token":"","access_token":"a"}')).toEqual({ token: 'a', expiresIn: undefined });
    expect(tokenOfAnswer('{"expires_in":0}')).toEqual({ token: undefined, expiresIn: undefined });
    expect(tokenOfAnswer('<html>')).toBeUndefined();
  });
});
