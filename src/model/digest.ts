/**
 * Content digests, as the OCI image spec defines them
 * (https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests):
 * `algorithm ":" encoded`, here always `sha256:` + 64 lowercase hex digits.
 *
 * Why a hand-written SHA-256: the core runs in the browser and in Node and must stay synchronous
 * and deterministic; WebCrypto's `subtle.digest` is async only and `node:crypto` is off limits
 * in src/ (DESIGN.md, "Boundaries"). The algorithm is FIPS 180-4
 * (https://nvlpubs.nist.gov/nistpubs/FIPS/NIST.FIPS.180-4.pdf), section 6.2.
 */

/**
 * TextEncoder exists in every browser and in Node ≥ 11, but src/ compiles with `lib: ES2022`
 * and no DOM or Node types (src/tsconfig.json), so declare just the part used here.
 */
declare const TextEncoder: { new (): { encode(input: string): Uint8Array } };

let encoder: { encode(input: string): Uint8Array } | undefined;

/** UTF-8 bytes of a string: what a registry hashes when it serves JSON text. */
export function utf8Encode(text: string): Uint8Array {
  encoder ??= new TextEncoder();
  return encoder.encode(text);
}

/** Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** Initial hash value: the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** Message schedule scratch space, reused across calls (the core is single-threaded). */
const W = new Int32Array(64);

/**
 * Process the 64-byte block of `bytes` at offset `p` into the state `h` (FIPS 180-4 §6.2.2).
 * One call per block, plain locals and `| 0` keep every value a 32-bit integer: the JIT
 * compiles this small function early and a megabyte hashes in a few milliseconds.
 */
function block(h: Int32Array, bytes: Uint8Array, p: number): void {
  for (let t = 0, i = p; t < 16; t++, i += 4) {
    W[t] =
      ((bytes[i] ?? 0) << 24) |
      ((bytes[i + 1] ?? 0) << 16) |
      ((bytes[i + 2] ?? 0) << 8) |
      (bytes[i + 3] ?? 0);
  }
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15] ?? 0;
    const w2 = W[t - 2] ?? 0;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (s1 + (W[t - 7] ?? 0) + s0 + (W[t - 16] ?? 0)) | 0;
  }
  let a = h[0] ?? 0,
    b = h[1] ?? 0,
    c = h[2] ?? 0,
    d = h[3] ?? 0,
    e = h[4] ?? 0,
    f = h[5] ?? 0,
    g = h[6] ?? 0,
    hh = h[7] ?? 0;
  for (let t = 0; t < 64; t++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + s1 + ch + (K[t] ?? 0) + (W[t] ?? 0)) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + s0 + maj) | 0;
  }
  h[0] = ((h[0] ?? 0) + a) | 0;
  h[1] = ((h[1] ?? 0) + b) | 0;
  h[2] = ((h[2] ?? 0) + c) | 0;
  h[3] = ((h[3] ?? 0) + d) | 0;
  h[4] = ((h[4] ?? 0) + e) | 0;
  h[5] = ((h[5] ?? 0) + f) | 0;
  h[6] = ((h[6] ?? 0) + g) | 0;
  h[7] = ((h[7] ?? 0) + hh) | 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** SHA-256 of bytes (or of a string's UTF-8 bytes), as 64 lowercase hex digits. */
export function sha256Hex(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? utf8Encode(data) : data;
  const h = Int32Array.from(H0);
  const whole = bytes.length - (bytes.length % 64);
  for (let p = 0; p < whole; p += 64) block(h, bytes, p);
  // Padding (§5.1.1): 0x80, zeros, then the message length in bits as a 64-bit big-endian
  // integer, making the tail one or two blocks.
  const tailLength = bytes.length - whole < 56 ? 64 : 128;
  const tail = new Uint8Array(tailLength);
  tail.set(bytes.subarray(whole));
  tail[bytes.length - whole] = 0x80;
  const bitsHigh = Math.floor(bytes.length / 0x20000000);
  const bitsLow = (bytes.length * 8) >>> 0;
  const view = new DataView(tail.buffer);
  view.setUint32(tailLength - 8, bitsHigh);
  view.setUint32(tailLength - 4, bitsLow);
  for (let p = 0; p < tailLength; p += 64) block(h, tail, p);
  let out = '';
  for (let i = 0; i < 8; i++) {
    const word = h[i] ?? 0;
    out +=
      (HEX[(word >>> 24) & 0xff] ?? '') +
      (HEX[(word >>> 16) & 0xff] ?? '') +
      (HEX[(word >>> 8) & 0xff] ?? '') +
      (HEX[word & 0xff] ?? '');
  }
  return out;
}

/** The digest of a text as a registry computes it over the exact bytes it serves: `sha256:<hex>`. */
export function digestOf(data: string | Uint8Array): string {
  return `sha256:${sha256Hex(data)}`;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Whether a string is a sha256 digest in canonical form. Like go-digest's `Validate`
 * (https://github.com/opencontainers/go-digest/blob/master/digest.go) uppercase hex is
 * rejected: the encoded part of a sha256 digest is `[a-f0-9]{64}`.
 */
export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/**
 * The 12-hex short form Docker prints for image and layer ids (moby's `stringid.TruncateID`:
 * drop the algorithm prefix, keep 12 characters): `sha256:53a18edff809…` → `53a18edff809`.
 */
export function shortId(digest: string): string {
  const colon = digest.indexOf(':');
  return digest.slice(colon + 1, colon + 13);
}
