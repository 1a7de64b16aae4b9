import { describe, expect, it } from 'vitest';
import { PaperGenerator } from './generate.js';
import { makeSyntheticBank } from './synthetic.js';

describe('performance smoke test', () => {
  it('generates 10,000 papers × 60 questions from a 5,000-question pool', () => {
    const bank = makeSyntheticBank({ questions: 5000, paperSize: 60 });
    const seeds = Array.from({ length: 10_000 }, (_, c) => {
      // Stand-in for the server's 32-byte HMAC digests (made outside the timed section).
      const s = new Uint8Array(32);
      for (let i = 0; i < 32; i++) s[i] = (Math.imul(c + 1, 2654435761) >>> (i % 24)) ^ (i * 31);
      return s;
    });
    const start = performance.now();
    const gen = new PaperGenerator(bank.blueprint, bank.pool, bank.optionsOf);
    let questions = 0;
    for (const seed of seeds) questions += gen.generate(seed).items.length;
    const ms = performance.now() - start;
    console.log(`papers: 10000 × 60 from 5000 in ${ms.toFixed(1)} ms (generator built once)`);
    expect(questions).toBe(600_000);
  });
});
