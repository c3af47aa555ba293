// Digests as the OCI image spec defines them: `algorithm:encoded`, here always sha256 with 64
// lowercase hex digits (https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests).
// Chain ids name a stack of layers: ChainID(L0) = DiffID(L0), ChainID(L0..n) =
// sha256(ChainID(L0..n-1) + " " + DiffID(Ln)) (https://github.com/opencontainers/image-spec/blob/main/config.md#layer-chainid).
import { createHash, type Hash } from 'node:crypto';
import { ImageError } from './errors.ts';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** The digest itself, or an error naming the bad value and where it came from. */
export function checkDigest(value: unknown, where: string): string {
  if (typeof value !== 'string' || !DIGEST.test(value)) {
    throw new ImageError(
      'invalid',
      `${where}: invalid digest ${JSON.stringify(value)} (want sha256:<64 hex>)`,
    );
  }
  return value;
}

/** The hex part: the file name under blobs/sha256/. */
export function hexOf(digest: string): string {
  return checkDigest(digest, 'digest').slice('sha256:'.length);
}

export function sha256(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function newHash(): Hash {
  return createHash('sha256');
}

export function hashDigest(hash: Hash): string {
  return `sha256:${hash.digest('hex')}`;
}

/** Chain ids of a layer stack, as the image spec defines them (src/model/image.ts). */
export { chainIds } from '../../src/model/image.ts';

/** 12 hex digits, as docker shows a layer or image id. */
export function shortId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
