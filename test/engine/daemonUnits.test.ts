// The daemon's pure pieces: the X-Registry-Auth decoding, fromImage+tag joining, the API
// version check, the tree path rules, the progress events in Docker's message words, and a
// registry's refusal in the words of dockerd's distribution client; the engine's command line
// and a login's server address.
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { pullReference } from '../../engine/daemon/api/imagesCreate.ts';
import { checkTreePath } from '../../engine/daemon/api/imageTree.ts';
import { registryAuth } from '../../engine/daemon/auth.ts';
import { toMessage } from '../../engine/daemon/backend.ts';
import { checkVersion } from '../../engine/daemon/router.ts';
import { toApiError } from '../../engine/daemon/errors.ts';
import { distributionText, RegistryError } from '../../engine/image/registry/errors.ts';
import { EngineUsageError, parseEngineArgs } from '../../engine/daemon/main.ts';
import { loginHost } from '../../engine/daemon/api/auth.ts';
import { resolve } from 'node:path';

const req = (header?: string): IncomingMessage =>
  ({ headers: header === undefined ? {} : { 'x-registry-auth': header } }) as unknown as IncomingMessage;

describe('daemon pieces', () => {
  it('decodes X-Registry-Auth (base64url json, or its auth field) and ignores a broken one', () => {
    const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(registryAuth(req(enc({ username: 'u', password: 'p?>', serveraddress: 'h' })))).toEqual({
      username: 'u',
      password: 'p?>',
      serveraddress: 'h',
    });
    expect(registryAuth(req(enc({ auth: Buffer.from('me:se:cret').toString('base64') })))).toEqual({
      username: 'me',
      password: 'se:cret',
    });
    expect(registryAuth(req('!!!'))).toBeUndefined();
    expect(registryAuth(req(enc([1])))).toBeUndefined();
    expect(registryAuth(req())).toBeUndefined();
  });

  it('joins fromImage and tag as dockerd does', () => {
    expect(pullReference('busybox', '')).toBe('docker.io/library/busybox:latest');
    expect(pullReference('docker.io/library/busybox', 'latest')).toBe('docker.io/library/busybox:latest');
    expect(pullReference('127.0.0.1:5000/app:old', 'new')).toBe('127.0.0.1:5000/app:new');
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(pullReference('busybox', digest)).toBe(`docker.io/library/busybox@${digest}`);
    expect(() => pullReference('Busybox', '')).toThrow(
      'invalid reference format: repository name must be lowercase',
    );
  });
});

describe('daemon rules', () => {
  it('checks the api version with dockerd texts', () => {
    expect(() => checkVersion('1.44')).not.toThrow();
    expect(() => checkVersion('1.24')).not.toThrow();
    expect(() => checkVersion('1.50')).toThrow(
      'client version 1.50 is too new. Maximum supported API version is 1.44',
    );
    expect(() => checkVersion('1.23')).toThrow(
      /client version 1.23 is too old\. Minimum supported API version is 1.24/,
    );
  });

  it('takes absolute tree paths without ..', () => {
    expect(checkTreePath('/')).toBe('/');
    expect(checkTreePath('/etc//conf.d/./')).toBe('/etc/conf.d');
    expect(() => checkTreePath('etc')).toThrow(/not absolute/);
    expect(() => checkTreePath('/etc/../x')).toThrow(/\.\./);
  });

  it("words progress events as dockerd's puller", () => {
    const ref = 'docker.io/library/busybox:latest';
    expect(toMessage({ kind: 'resolved', name: ref, digest: 'sha256:x', mediaType: 'm' }, ref)).toEqual({
      status: 'Pulling from library/busybox',
      id: 'latest',
    });
    expect(toMessage({ kind: 'layer', id: 'abc', status: 'Pull complete' }, ref)).toEqual({
      status: 'Pull complete',
      progressDetail: {},
      id: 'abc',
    });
    const m = toMessage({ kind: 'layer', id: 'abc', status: 'Downloading', current: 500, total: 1000 }, ref);
    expect(m).toMatchObject({ progressDetail: { current: 500, total: 1000 } });
    expect(m?.progress).toMatch(/^\[=+>\s+\]\s+500B\/1kB/);
    expect(
      toMessage({ kind: 'layer', id: 'abc', status: 'Mounted from', detail: 'library/x' }, ref)?.status,
    ).toBe('Mounted from library/x');
  });
});

describe('registry refusals', () => {
  it("words a registry's or token server's refusal as dockerd's distribution client", () => {
    const t = (status: number, body: string): string => distributionText(status, Buffer.from(body));
    expect(t(401, '{"details":"incorrect username or password"}')).toBe(
      'unauthorized: incorrect username or password',
    );
    expect(t(429, '{"details":"slow down"}')).toBe('toomanyrequests: slow down');
    expect(t(403, '{"details":"no"}')).toBe('unknown: no');
    expect(
      t(403, '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}'),
    ).toBe('denied: requested access to the resource is denied');
    expect(t(401, '{"errors":[{"code":"A_B","message":"x"},{"code":"C","message":"y"}]}')).toBe(
      'errors:\na b: x\nc: y\n',
    );
    expect(t(401, 'nope')).toBe('unauthorized: authentication required');
    expect(t(404, '{}')).toBe(
      'error parsing HTTP 404 response body: no error details found in HTTP response body: "{}"',
    );
    expect(t(404, '')).toBe('error parsing HTTP 404 response body: unexpected end of JSON input: ""');
    expect(t(404, '<html>')).toBe(
      `error parsing HTTP 404 response body: invalid character '<' looking for beginning of value: "<html>"`,
    );
    expect(t(502, '')).toBe('received unexpected HTTP status: 502 Bad Gateway');
    // The Engine API shows dockerd's words; the image library keeps its own sentence.
    const e = new RegistryError(
      'unauthorized',
      'unauthorized: token server h refused the credentials',
      'unauthorized: x',
    );
    expect(toApiError(e)).toMatchObject({ status: 401, message: 'unauthorized: x' });
    expect(e.message).toBe('unauthorized: token server h refused the credentials');
  });
});

describe('the engine command line', () => {
  it('takes --root, --socket and --max-concurrent-downloads, and refuses what dockerd would', () => {
    expect(parseEngineArgs(['--root', 'r', '--socket=/s.sock', '--max-concurrent-downloads', '4'])).toEqual({
      root: resolve('r'),
      socket: '/s.sock',
      maxConcurrentDownloads: 4,
    });
    expect(parseEngineArgs([])).toEqual({ root: '/var/lib/dockstep', socket: '/run/dockstep/dockstep.sock' });
    for (const bad of ['0', '-1', '2.5', 'many', '']) {
      expect(() => parseEngineArgs([`--max-concurrent-downloads=${bad}`]), bad).toThrow(EngineUsageError);
    }
    expect(() => parseEngineArgs(['--max-concurrent-downloads=x'])).toThrow(
      'option --max-concurrent-downloads needs a whole number of at least 1, got "x"',
    );
    expect(() => parseEngineArgs(['--debug'])).toThrow('unknown engine option "--debug"');
  });

  it('reads a login server address as dockerd does: no scheme, no path, Docker Hub by default', () => {
    expect(loginHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(loginHost('http://127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(loginHost('https://r.example/v2/')).toBe('r.example');
    expect(loginHost('')).toBe('registry-1.docker.io');
    expect(loginHost('https://index.docker.io/v1/')).toBe('registry-1.docker.io');
  });
});
