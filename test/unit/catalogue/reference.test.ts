import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MEDIA_TYPES,
  chainIds,
  isAttestation,
  isIndexMediaType,
  isLayerMediaType,
  isManifestMediaType,
  selectPlatform,
  type ImageIndex,
} from '../../../src/model/image.ts';

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
