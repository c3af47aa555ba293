import { describe, expect, it } from 'vitest';
import {
  InvalidReferenceError,
  familiarName,
  familiarRepository,
  manifestReference,
  parseNormalizedNamed,
  parseReference,
  referenceName,
  referenceString,
  registryHost,
  tagNameOnly,
  tryParseReference,
} from '../../../src/model/reference.ts';
import * as views from '../../../src/views/docker/reference.ts';

// The one image reference model (distribution/reference's grammar and normalisation), which
// the simulation, the CLI views and the engine all parse names with.
const HEX = 'a'.repeat(64);

describe('parseReference: normalisation as distribution/reference does it', () => {
  it.each([
    ['nginx', 'docker.io', 'library/nginx', 'latest', undefined, 'docker.io/library/nginx:latest'],
    ['redis:7', 'docker.io', 'library/redis', '7', undefined, 'docker.io/library/redis:7'],
    [
      'library/busybox',
      'docker.io',
      'library/busybox',
      'latest',
      undefined,
      'docker.io/library/busybox:latest',
    ],
    [
      'docker.io/library/nginx:latest',
      'docker.io',
      'library/nginx',
      'latest',
      undefined,
      'docker.io/library/nginx:latest',
    ],
    [
      'index.docker.io/nginx',
      'docker.io',
      'library/nginx',
      'latest',
      undefined,
      'docker.io/library/nginx:latest',
    ],
    ['foo/bar:v1.2', 'docker.io', 'foo/bar', 'v1.2', undefined, 'docker.io/foo/bar:v1.2'],
    ['localhost/x', 'localhost', 'x', 'latest', undefined, 'localhost/x:latest'],
    [
      `localhost:5000/x/y@sha256:${HEX}`,
      'localhost:5000',
      'x/y',
      undefined,
      `sha256:${HEX}`,
      `localhost:5000/x/y@sha256:${HEX}`,
    ],
    [
      `nginx:1.27@sha256:${HEX}`,
      'docker.io',
      'library/nginx',
      '1.27',
      `sha256:${HEX}`,
      `docker.io/library/nginx:1.27@sha256:${HEX}`,
    ],
    ['ghcr.io/a/b-c__d.e:Tag_1', 'ghcr.io', 'a/b-c__d.e', 'Tag_1', undefined, 'ghcr.io/a/b-c__d.e:Tag_1'],
    ['[::1]:5000/foo', '[::1]:5000', 'foo', 'latest', undefined, '[::1]:5000/foo:latest'],
    // An uppercase first component can only be a registry host.
    ['Foo/bar', 'Foo', 'bar', 'latest', undefined, 'Foo/bar:latest'],
  ])('%s', (input, domain, path, tag, digest, string) => {
    const ref = parseReference(input);
    expect(ref).toMatchObject({ domain, path, name: `${domain}/${path}`, string });
    expect(ref.tag).toBe(tag);
    expect(ref.digest).toBe(digest);
  });
});

describe("parseReference: invalid references, with the docker CLI's messages", () => {
  it.each([
    ['Nginx', 'invalid reference format: repository name (library/Nginx) must be lowercase'],
    ['Nginx:Latest', 'invalid reference format: repository name (library/Nginx) must be lowercase'],
    ['localhost:5000/X/y', 'invalid reference format: repository name (X/y) must be lowercase'],
    ['nginx:', 'invalid reference format'],
    ['', 'invalid reference format'],
    ['nginx:bad tag', 'invalid reference format'],
    ['-nginx', 'invalid reference format'],
    ['nginx@sha256:abc', 'invalid reference format'],
    [`nginx:${'t'.repeat(129)}`, 'invalid reference format'],
    [`nginx@sha256:${'a'.repeat(40)}`, 'invalid checksum digest length'],
    [`nginx@sha256:${'A'.repeat(64)}`, 'invalid checksum digest format'],
    [`nginx@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
    [HEX, `invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`],
    [`${'a/'.repeat(127)}a`, 'repository name must not be more than 255 characters'],
  ])('rejects %j', (input, message) => {
    let error: unknown;
    try {
      parseReference(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect((error as InvalidReferenceError).message).toBe(message);
    expect((error as InvalidReferenceError).reference).toBe(input);
    expect(tryParseReference(input)).toBeUndefined();
  });
});

describe('familiar names', () => {
  it('prints familiar names back', () => {
    expect(familiarName(parseReference('nginx'))).toBe('nginx:latest');
    expect(familiarName('docker.io/library/redis:7')).toBe('redis:7');
    expect(familiarName('foo/bar')).toBe('foo/bar:latest');
    expect(familiarName('docker.io/library/a/b')).toBe('library/a/b:latest');
    expect(familiarName(`localhost:5000/x/y@sha256:${HEX}`)).toBe(`localhost:5000/x/y@sha256:${HEX}`);
    expect(familiarName(`busybox@sha256:${HEX}`)).toBe(`busybox@sha256:${HEX}`);
    expect(familiarRepository(parseReference('nginx:1.27'))).toBe('nginx');
  });
});

describe('parseNormalizedNamed: the name as written, no tag implied', () => {
  it('keeps a bare name untagged; TagNameOnly adds :latest, never beside a digest', () => {
    const bare = parseNormalizedNamed('busybox');
    expect(bare).toMatchObject({
      domain: 'docker.io',
      path: 'library/busybox',
      string: 'docker.io/library/busybox',
    });
    expect(bare.tag).toBeUndefined();
    expect(tagNameOnly(bare).string).toBe('docker.io/library/busybox:latest');
    const pinned = parseNormalizedNamed(`busybox@sha256:${HEX}`);
    expect(tagNameOnly(pinned).tag).toBeUndefined();
    expect(tagNameOnly(pinned).string).toBe(`docker.io/library/busybox@sha256:${HEX}`);
  });

  it.each([
    ['registry.example.com:443/team/app', 'registry.example.com:443', 'team/app'],
    ['my-host.local/a/b/c', 'my-host.local', 'a/b/c'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000', 'app'],
    ['[2001:db8::1]/app', '[2001:db8::1]', 'app'],
    ['localhost:5000/a--b/c__d/e.f_g', 'localhost:5000', 'a--b/c__d/e.f_g'],
    ['user/app', 'docker.io', 'user/app'],
    ['index.docker.io/user/app', 'docker.io', 'user/app'],
  ])('domain, port and path components of %s', (input, domain, path) => {
    expect(parseNormalizedNamed(input)).toMatchObject({ domain, path, name: `${domain}/${path}` });
  });

  it.each([
    'a..b',
    'a___b',
    'a-/b',
    '_a',
    'a/',
    '/a',
    'host-.com/a',
    'localhost:port/a',
    `app:-tag`,
    `app:${'t'.repeat(129)}`,
  ])('refuses %j in lowercase words that keep the value', (input) => {
    expect(() => parseNormalizedNamed(input)).toThrow(InvalidReferenceError);
    try {
      parseNormalizedNamed(input);
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      expect(error.message).toBe(error.message.toLowerCase());
      expect(error.reference).toBe(input);
    }
  });

  it('takes a 128-character tag and a sha512 digest', () => {
    expect(parseReference(`app:${'t'.repeat(128)}`).tag).toHaveLength(128);
    const digest = `sha512:${'b'.repeat(128)}`;
    expect(parseReference(`app@${digest}`).digest).toBe(digest);
  });
});

describe('printing and registry helpers', () => {
  it('prints names, strings and what a manifests request asks for', () => {
    const parts = { domain: 'localhost:5000', path: 'x/y', tag: '1' };
    expect(referenceName(parts)).toBe('localhost:5000/x/y');
    expect(referenceString(parts)).toBe('localhost:5000/x/y:1');
    expect(familiarName(parts)).toBe('localhost:5000/x/y:1');
    expect(manifestReference(parts)).toBe('1');
    expect(manifestReference({ ...parts, digest: `sha256:${HEX}` })).toBe(`sha256:${HEX}`);
    expect(manifestReference({ domain: 'docker.io', path: 'library/a' })).toBe('latest');
  });

  it("serves Docker Hub's names from its API host", () => {
    expect(registryHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryHost('index.docker.io')).toBe('registry-1.docker.io');
    expect(registryHost('localhost:5000')).toBe('localhost:5000');
  });
});

describe('the CLI views read names through the same model', () => {
  it.each(['nginx', 'foo/bar:1', `localhost:5000/x@sha256:${HEX}`, 'Nginx', 'nginx:', HEX])('%j', (input) => {
    const result = views.parseReference(input);
    let expected: unknown;
    try {
      expected = { ref: parseNormalizedNamed(input) };
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      expected = { error: error.message };
    }
    expect(result).toEqual(expected);
  });
});
