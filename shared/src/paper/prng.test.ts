import { describe, expect, it } from 'vitest';
import { MIN_SEED_BYTES, Sfc32, seedFromString } from './prng.js';

const SEED_0_15 = Uint8Array.from({ length: 16 }, (_, i) => i);

describe('Sfc32', () => {
  it('matches the reference sfc32 stream (golden values: changing them changes every paper)', () => {
    const r = new Sfc32(SEED_0_15);
    expect(Array.from({ length: 5 }, () => r.nextUint32())).toEqual([68267827, 1391143115, 1285822214, 3641190235, 289571175]);
  });

  it('is deterministic, and every byte of a 32-byte seed matters', () => {
    const seed = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const a = new Sfc32(seed);
    const b = new Sfc32(seed.slice());
    const xs = Array.from({ length: 100 }, () => a.nextUint32());
    expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(xs);
    const tweaked = seed.slice();
    tweaked[31] = (tweaked[31] ?? 0) ^ 1;
    const c = new Sfc32(tweaked);
    expect(Array.from({ length: 100 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('refuses short seeds', () => {
    expect(() => new Sfc32(new Uint8Array(MIN_SEED_BYTES - 1))).toThrow(RangeError);
    expect(() => new Sfc32(new Uint8Array(MIN_SEED_BYTES))).not.toThrow();
  });

  it('below(n) stays in range and is roughly uniform', () => {
    const r = new Sfc32(seedFromString('uniform'));
    const n = 7;
    const counts = new Array<number>(n).fill(0);
    const draws = 70_000;
    let outOfRange = 0;
    for (let i = 0; i < draws; i++) {
      const v = r.below(n);
      if (!(Number.isInteger(v) && v >= 0 && v < n)) outOfRange++;
      counts[v] = (counts[v] ?? 0) + 1;
    }
    expect(outOfRange).toBe(0);
    for (const c of counts) expect(Math.abs(c - draws / n)).toBeLessThan(500);
    expect(r.below(1)).toBe(0);
    expect(r.below(2 ** 32)).toBeLessThan(2 ** 32);
    for (let i = 0; i < 1000; i++) if (r.below(3_000_001) > 3_000_000) outOfRange++;
    expect(outOfRange).toBe(0);
    expect(() => r.below(0)).toThrow(RangeError);
    expect(() => r.below(1.5)).toThrow(RangeError);
  });
});

describe('seedFromString', () => {
  it('gives 16 stable bytes that depend on the string', () => {
    expect(Array.from(seedFromString('abc'))).toEqual([223, 205, 100, 70, 24, 121, 127, 49, 159, 124, 72, 236, 9, 139, 13, 96]);
    expect(seedFromString('abc')).toEqual(seedFromString('abc'));
    expect(seedFromString('abd')).not.toEqual(seedFromString('abc'));
  });
});
