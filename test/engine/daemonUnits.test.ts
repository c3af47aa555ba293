// The daemon's pure pieces: the X-Registry-Auth decoding, fromImage+tag joining, the API
// version check, the tree path rules, and the progress events in Docker's message words.
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { pullReference } from '../../engine/daemon/api/imagesCreate.ts';
import { checkTreePath } from '../../engine/daemon/api/imageTree.ts';
import { registryAuth } from '../../engine/daemon/auth.ts';
import { toMessage } from '../../engine/daemon/backend.ts';
import { checkVersion } from '../../engine/daemon/router.ts';

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
