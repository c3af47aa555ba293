import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  InvalidReferenceError,
  MEDIA_TYPES,
  chainIds,
  familiarName,
  familiarRepository,
  isAttestation,
  isIndexMediaType,
  isLayerMediaType,
  isManifestMediaType,
  parseReference,
  selectPlatform,
  tryParseReference,
  type ImageIndex,
} from '../../../src/model/image.ts';

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

describe('chainIds (image spec, Layer ChainID)', () => {
  const sha = (s: string): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;
  const diffIds = [sha('layer 0'), sha('layer 1'), sha('layer 2')];

  it('starts with the first diff id and hashes "parent diffId" after that', () => {
    const c1 = sha(`${diffIds[0]} ${diffIds[1]}`);
    const c2 = sha(`${c1} ${diffIds[2]}`);
    expect(chainIds(diffIds)).toEqual([diffIds[0], c1, c2]);
  });

  it('is empty for no layers', () => {
    expect(chainIds([])).toEqual([]);
  });
});

describe('media types and platform selection', () => {
  it('classifies media types', () => {
    expect(isIndexMediaType(MEDIA_TYPES.ociIndex)).toBe(true);
    expect(isIndexMediaType(MEDIA_TYPES.dockerManifestList)).toBe(true);
    expect(isManifestMediaType(MEDIA_TYPES.dockerManifest)).toBe(true);
    expect(isManifestMediaType(MEDIA_TYPES.ociIndex)).toBe(false);
    expect(isLayerMediaType(MEDIA_TYPES.dockerLayer)).toBe(true);
    expect(isLayerMediaType(MEDIA_TYPES.ociLayer)).toBe(true);
    expect(isLayerMediaType(MEDIA_TYPES.ociConfig)).toBe(false);
  });

  it('picks the platform and never an attestation', () => {
    const entry = (architecture: string, os: string, digest: string) => ({
      mediaType: MEDIA_TYPES.ociManifest,
      digest,
      size: 1,
      platform: { architecture, os },
    });
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [
        entry('unknown', 'unknown', 'att'),
        entry('arm64', 'linux', 'arm'),
        entry('amd64', 'linux', 'amd'),
      ],
    };
    expect(selectPlatform(index, { os: 'linux', architecture: 'amd64' })?.digest).toBe('amd');
    expect(selectPlatform(index, { os: 'linux', architecture: 's390x' })).toBeUndefined();
    expect(index.manifests.filter(isAttestation).map((m) => m.digest)).toEqual(['att']);
  });
});
