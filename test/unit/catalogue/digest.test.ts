import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestOf, isDigest, sha256Hex, shortId } from '../../../src/model/digest.ts';

// NIST FIPS 180-4 example vectors (https://csrc.nist.gov/projects/cryptographic-standards-and-guidelines/example-values).
describe('sha256Hex', () => {
  it('hashes the empty string', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the 448-bit two-block message', () => {
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('hashes the 896-bit message', () => {
    const text =
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu';
    expect(sha256Hex(text)).toBe('cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1');
  });

  it('hashes one million "a" (FIPS 180-2 long message)', () => {
    const million = new Uint8Array(1_000_000).fill(0x61);
    expect(sha256Hex(million)).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with node:crypto on every length around the block and padding boundaries', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff);
    for (let n = 0; n <= bytes.length; n++) {
      const part = bytes.subarray(0, n);
      expect(sha256Hex(part), `length ${n}`).toBe(createHash('sha256').update(part).digest('hex'));
    }
  });

  it('encodes strings as UTF-8', () => {
    const text = 'héllo, 世界 🐳';
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('is the well-known empty-tar diff id for 1024 zero bytes', () => {
    expect(digestOf(new Uint8Array(1024))).toBe(
      'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
    );
  });
});

describe('digest helpers', () => {
  it('digestOf prefixes the algorithm', () => {
    expect(digestOf('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('isDigest accepts only canonical sha256 digests', () => {
    expect(isDigest(digestOf('x'))).toBe(true);
    expect(isDigest('sha256:' + 'A'.repeat(64))).toBe(false);
    expect(isDigest('sha256:' + 'a'.repeat(63))).toBe(false);
    expect(isDigest('sha512:' + 'a'.repeat(64))).toBe(false);
    expect(isDigest('a'.repeat(64))).toBe(false);
  });

  it('shortId keeps 12 hex digits', () => {
    expect(shortId('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')).toBe(
      'ba7816bf8f01',
    );
    expect(shortId('ba7816bf8f01cfea414140de')).toBe('ba7816bf8f01');
  });
});
