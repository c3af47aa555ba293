/**
 * Seeded ids. Docker ids are 64 hex digits of randomness (moby's `stringid.GenerateRandomID`);
 * here they come from a small seeded generator (sfc32) so a run with the same seed prints the
 * same ids byte for byte, and another seed gives other ids.
 */
export class SeededIds {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 16; i++) this.next32();
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  hex(digits: number): string {
    let out = '';
    while (out.length < digits) out += this.next32().toString(16).padStart(8, '0');
    return out.slice(0, digits);
  }

  /** A 64-hex container or exec id. */
  id64(): string {
    return this.hex(64);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + (this.next32() % (max - min + 1));
  }
}

/**
 * Docker's random container names (`adjective_surname`, moby's namesgenerator). A short list
 * keeps the bundle small; the shape is what matters.
 */
const LEFT = [
  'admiring',
  'brave',
  'clever',
  'eager',
  'focused',
  'gifted',
  'happy',
  'jolly',
  'keen',
  'quirky',
];
const RIGHT = [
  'turing',
  'hopper',
  'lovelace',
  'torvalds',
  'ritchie',
  'thompson',
  'curie',
  'noether',
  'wu',
  'yonath',
];

export function randomName(ids: SeededIds): string {
  return `${LEFT[ids.int(0, LEFT.length - 1)]}_${RIGHT[ids.int(0, RIGHT.length - 1)]}`;
}
