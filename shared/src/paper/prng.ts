/**
 * Seeded pseudo-random numbers for paper generation: sfc32 (Chris Doty-Humphrey's "Small Fast
 * Counting" generator, 32-bit variant, from PractRand). It passes PractRand and BigCrush, has a
 * 128-bit state (a, b, c and a 32-bit counter d, so no all-zero trap state) and needs only 32-bit
 * integer arithmetic, so it gives bit-identical streams in every JS engine.
 *
 * This is NOT a cryptographic generator. Unpredictability comes from the seed, which the server
 * derives as HMAC-SHA256(examSecret, `${candidateId}|${partId}|${bankVersion}`).
 *
 * Changing anything in this file changes every generated paper: the golden values in
 * prng.test.ts and generate.test.ts guard against that (bump PAPER_ALGORITHM_VERSION if you must).
 */

/** Seeds shorter than this are refused. */
export const MIN_SEED_BYTES = 16;

/** Outputs discarded after seeding, as PractRand's author recommends for sfc. */
const WARM_UP_ROUNDS = 15;

export interface Prng {
  /** Next 32 random bits as an integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform integer in [0, n) without modulo bias; n is an integer in [1, 2^32]. below(1) is 0 and consumes nothing. */
  below(n: number): number;
}

export class Sfc32 implements Prng {
  /** a, b, c, d as int32; a typed array keeps V8 from boxing 32-bit values. */
  private readonly s = new Int32Array(4);

  /**
   * `seed` must have at least 16 bytes. Bytes 0–15 are read as four little-endian 32-bit words
   * (a, b, c, d); any further bytes (e.g. the second half of a 32-byte HMAC-SHA256 digest) are
   * XOR-folded into those words, 4 bytes at a time round-robin (a short last group is zero-padded),
   * so every seed byte matters.
   */
  constructor(seed: Uint8Array) {
    this.reseed(seed);
  }

  /** Restarts the stream as if freshly constructed with `seed` (lets a hot loop reuse one instance). */
  reseed(seed: Uint8Array): void {
    if (!(seed instanceof Uint8Array) || seed.length < MIN_SEED_BYTES) {
      throw new RangeError(`Seed must be a Uint8Array of at least ${MIN_SEED_BYTES} bytes`);
    }
    const s = this.s;
    s.fill(0);
    const len = seed.length;
    for (let i = 0; i < len; i += 4) {
      const word =
        seed[i]! |
        ((i + 1 < len ? seed[i + 1]! : 0) << 8) |
        ((i + 2 < len ? seed[i + 2]! : 0) << 16) |
        ((i + 3 < len ? seed[i + 3]! : 0) << 24);
      const k = (i >>> 2) & 3;
      s[k] = s[k]! ^ word;
    }
    for (let i = 0; i < WARM_UP_ROUNDS; i++) this.nextInt32();
  }

  /** Next 32 random bits as a signed int32. */
  private nextInt32(): number {
    const s = this.s;
    const a = s[0]!;
    const b = s[1]!;
    const c = s[2]!;
    const d = s[3]!;
    // tmp = a + b + counter++ (post-increment, as in the PractRand reference).
    const t = (((a + b) | 0) + d) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = c + (c << 3);
    s[2] = ((c << 21) | (c >>> 11)) + t;
    s[3] = d + 1;
    return t;
  }

  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  below(n: number): number {
    if (n > 1 && n <= MAX_FAST_BOUND && (n | 0) === n) {
      // Lemire's multiply-and-reject: x·n < 2^53 is exact in a double; the high 32 bits are the
      // result, and rejecting low parts below 2^32 mod n removes all bias.
      let m = (this.nextInt32() >>> 0) * n;
      let hi = Math.floor(m * TWO_POW_MINUS_32);
      let lo = m - hi * TWO_POW_32;
      if (lo < n) {
        const threshold = (TWO_POW_32 - n) % n;
        while (lo < threshold) {
          m = (this.nextInt32() >>> 0) * n;
          hi = Math.floor(m * TWO_POW_MINUS_32);
          lo = m - hi * TWO_POW_32;
        }
      }
      return hi;
    }
    return this.belowSlow(n);
  }

  private belowSlow(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32)
      throw new RangeError(`below(n): n must be an integer in [1, 2^32], got ${n}`);
    if (n === 1) return 0;
    // Reject the lowest (2^32 mod n) values so that what is left is a whole number of periods of n.
    const threshold = (TWO_POW_32 - n) % n;
    for (;;) {
      const r = this.nextInt32() >>> 0;
      if (r >= threshold) return r % n;
    }
  }
}

const TWO_POW_32 = 0x100000000;
const TWO_POW_MINUS_32 = 1 / TWO_POW_32;
/** Largest n for which x·n (x < 2^32) stays below 2^53, i.e. exact in a double. */
const MAX_FAST_BOUND = 0x200000;

/**
 * A 16-byte seed from a string via cyrb128 (a small non-cryptographic 128-bit hash). For tests,
 * demos and synthetic benchmarks only: real papers use the server's HMAC-derived seed.
 */
export function seedFromString(s: string): Uint8Array {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  const out = new Uint8Array(16);
  const words = [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
  for (let w = 0; w < 4; w++) {
    const v = words[w] ?? 0;
    out[w * 4] = v & 0xff;
    out[w * 4 + 1] = (v >>> 8) & 0xff;
    out[w * 4 + 2] = (v >>> 16) & 0xff;
    out[w * 4 + 3] = (v >>> 24) & 0xff;
  }
  return out;
}
