import { describe, expect, it } from 'vitest';
import type { Blueprint, PoolItem } from './blueprint.js';
import { PaperError } from './errors.js';
import { type Paper, PaperGenerator } from './generate.js';
import { ensureNeighbourDiversity, orderOverlap, type SeatPair, sameQuestionOrder } from './neighbours.js';
import { seedFromString } from './prng.js';
import { makeSyntheticBank } from './synthetic.js';

const paperOf = (...questionIds: number[]): Paper => ({
  items: questionIds.map((q) => ({ versionId: q, questionId: q, optionOrder: ['A', 'B'] })),
});

/** Seats in one row: each is adjacent to the next. */
const row = (n: number): SeatPair[] => Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const);

/** Seats in a rows × cols grid, seat index = r * cols + c; adjacent left/right and front/back. */
function grid(rows: number, cols: number): SeatPair[] {
  const pairs: SeatPair[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const s = r * cols + c;
      if (c + 1 < cols) pairs.push([s, s + 1]);
      if (r + 1 < rows) pairs.push([s, s + cols]);
    }
  }
  return pairs;
}

describe('orderOverlap', () => {
  it('is the fraction of positions showing the same question', () => {
    expect(orderOverlap(paperOf(1, 2, 3, 4), paperOf(1, 3, 2, 4))).toBe(0.5);
    expect(orderOverlap(paperOf(1, 2), paperOf(1, 2))).toBe(1);
    expect(orderOverlap(paperOf(1, 2), paperOf(2, 1))).toBe(0);
    expect(orderOverlap(paperOf(), paperOf())).toBe(0);
    expect(sameQuestionOrder(paperOf(1, 2), paperOf(1, 2))).toBe(true);
    expect(sameQuestionOrder(paperOf(1, 2), paperOf(2, 1))).toBe(false);
  });
});

describe('ensureNeighbourDiversity', () => {
  // Two questions → only two possible orders, so neighbours collide half the time.
  const blueprint: Blueprint = { cells: [{ topicId: null, difficulty: 'nhan_biet', count: 2 }] };
  const pool: PoolItem[] = [1, 2].map((q) => ({ versionId: q, questionId: q, topicPath: [], difficulty: 'nhan_biet' }));
  const tiny = new PaperGenerator(blueprint, pool, () => ({ type: 'true_false', options: [{ id: 'A' }, { id: 'B' }] }));
  const paperFor = (seat: number, attempt: number) => tiny.generate(seedFromString(`cand${seat}|p1|v1|${attempt}`));

  it('regenerates the later seat until no adjacent pair shares a question order, deterministically', () => {
    const seats = 60;
    const initial = Array.from({ length: seats }, (_, s) => paperFor(s, 0));
    const adjacency = row(seats);
    expect(adjacency.some(([a, b]) => sameQuestionOrder(initial[a]!, initial[b]!))).toBe(true); // collisions forced

    const calls: [number, number][] = [];
    const result = ensureNeighbourDiversity(initial, adjacency, (seat, attempt) => {
      calls.push([seat, attempt]);
      return paperFor(seat, attempt);
    });
    for (const [a, b] of adjacency) expect(sameQuestionOrder(result.papers[a]!, result.papers[b]!)).toBe(false);
    expect(result.regenerated).toBe(calls.length);
    expect(result.regenerated).toBeGreaterThan(0);
    expect(result.pairs).toBe(seats - 1);
    expect(result.maxOverlap).toBe(0);
    expect(result.minOverlap).toBe(0);
    // Each seat's final paper is exactly what its recorded attempt regenerates (auditable).
    result.papers.forEach((p, s) => {
      expect(JSON.stringify(p)).toBe(JSON.stringify(paperFor(s, result.attempts[s]!)));
    });
    // Attempts count up from 1 for each regenerated seat; seat 0 never changes.
    expect(result.attempts[0]).toBe(0);
    for (const [seat, attempt] of calls) expect(attempt).toBeLessThanOrEqual(result.attempts[seat]!);
    expect(initial[0]).toBe(result.papers[0]); // input array untouched, same objects where kept

    const again = ensureNeighbourDiversity(initial, adjacency, paperFor);
    expect(JSON.stringify(again)).toBe(JSON.stringify(result));
  });

  it('throws when no paper can differ from all earlier neighbours', () => {
    // Three mutually adjacent seats but only two orders.
    const initial = [0, 1, 2].map((s) => paperFor(s, 0));
    let error: unknown;
    try {
      ensureNeighbourDiversity(
        initial,
        [
          [0, 1],
          [1, 2],
          [0, 2],
        ],
        paperFor,
        { maxAttempts: 20 },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PaperError);
    expect((error as PaperError).code).toBe('NEIGHBOUR_CONFLICT');
    expect((error as PaperError).message).toMatch(/ghế 3/);
  });

  it('rejects invalid seat pairs', () => {
    const initial = [paperOf(1, 2), paperOf(2, 1)];
    expect(() => ensureNeighbourDiversity(initial, [[0, 0]], paperFor)).toThrow(RangeError);
    expect(() => ensureNeighbourDiversity(initial, [[0, 2]], paperFor)).toThrow(RangeError);
  });

  it('reports min/max overlap for a realistic room', () => {
    const bank = makeSyntheticBank({ questions: 5000, paperSize: 60 });
    const gen = new PaperGenerator(bank.blueprint, bank.pool, bank.optionsOf);
    const regenerate = (seat: number, attempt: number) => gen.generate(seedFromString(`cand${seat}|p1|v1|${attempt}`));
    const papers = Array.from({ length: 40 }, (_, s) => regenerate(s, 0));
    const result = ensureNeighbourDiversity(papers, grid(5, 8), regenerate);
    expect(result.regenerated).toBe(0);
    expect(result.pairs).toBe(5 * 7 + 4 * 8);
    expect(result.minOverlap).toBe(0);
    expect(result.maxOverlap).toBeLessThan(0.1);
    console.log(
      `room 5×8: overlap min ${result.minOverlap}, max ${result.maxOverlap?.toFixed(3)}, mean ${result.meanOverlap?.toFixed(4)}`,
    );
  });
});
