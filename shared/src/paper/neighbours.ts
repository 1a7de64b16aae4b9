import { PaperError } from './errors.js';
import type { Paper } from './generate.js';

/** Two seats that can see each other's screens, as indexes into the seat-ordered paper list. */
export type SeatPair = readonly [number, number];

export interface NeighbourOptions {
  /** Regenerations allowed per seat before giving up; default 64. */
  maxAttempts?: number;
}

export interface NeighbourResult {
  /** Final papers, in seat order (the input array is not modified). */
  papers: Paper[];
  /** Per seat, the attempt that produced its final paper (0 = the paper passed in). Store it with the paper. */
  attempts: number[];
  /** Number of regenerate() calls made. */
  regenerated: number;
  /** Distinct adjacent pairs measured. */
  pairs: number;
  /** Smallest, largest and mean orderOverlap over distinct adjacent pairs; null when there are none. */
  minOverlap: number | null;
  maxOverlap: number | null;
  meanOverlap: number | null;
}

/** Do the two papers show the same questions in the same order (options aside)? */
export function sameQuestionOrder(a: Paper, b: Paper): boolean {
  const x = a.items;
  const y = b.items;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i]!.questionId !== y[i]!.questionId) return false;
  return true;
}

/** Fraction of positions (of the longer paper) at which both papers show the same question; 0 for two empty papers. */
export function orderOverlap(a: Paper, b: Paper): number {
  const x = a.items;
  const y = b.items;
  const len = Math.max(x.length, y.length);
  if (len === 0) return 0;
  const common = Math.min(x.length, y.length);
  let same = 0;
  for (let i = 0; i < common; i++) if (x[i]!.questionId === y[i]!.questionId) same++;
  return same / len;
}

/**
 * Guarantees that no two adjacent seats show the same question order, deterministically: seats are
 * visited in index order and each is compared with its already-final neighbours of lower index; while
 * it repeats one of their orders, it is replaced by regenerate(seat, attempt + 1) (the caller mixes
 * the attempt into the seed, e.g. HMAC(secret, `${candidateId}|${partId}|${bankVersion}|${attempt}`)
 * for attempt > 0). So for every pair the later seat is the one regenerated, and the result depends
 * only on the inputs. Throws PaperError('NEIGHBOUR_CONFLICT') if a seat still collides after
 * maxAttempts regenerations (e.g. a bank so small that there are fewer orders than neighbours).
 */
export function ensureNeighbourDiversity(
  papers: readonly Paper[],
  adjacency: readonly SeatPair[],
  regenerate: (seatIndex: number, attempt: number) => Paper,
  options: NeighbourOptions = {},
): NeighbourResult {
  const maxAttempts = options.maxAttempts ?? 64;
  const n = papers.length;
  const earlier: number[][] = Array.from({ length: n }, () => []);
  const seen = new Set<number>();
  const distinct: [number, number][] = [];
  for (const [a, b] of adjacency) {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n || a === b) {
      throw new RangeError(`Invalid seat pair [${a}, ${b}] for ${n} seats`);
    }
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const key = lo * n + hi;
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push([lo, hi]);
    earlier[hi]!.push(lo);
  }

  const out = papers.slice();
  const attempts = new Array<number>(n).fill(0);
  let regenerated = 0;
  for (let s = 0; s < n; s++) {
    const before = earlier[s]!;
    if (before.length === 0) continue;
    for (;;) {
      const clash = before.find((t) => sameQuestionOrder(out[t]!, out[s]!));
      if (clash === undefined) break;
      if (attempts[s]! >= maxAttempts) {
        throw new PaperError(
          'NEIGHBOUR_CONFLICT',
          `Không tạo được đề cho ghế ${s + 1} có thứ tự câu hỏi khác ghế kề ${clash + 1} sau ${maxAttempts} lần tạo lại`,
        );
      }
      attempts[s] = attempts[s]! + 1;
      out[s] = regenerate(s, attempts[s]!);
      regenerated++;
    }
  }

  let min: number | null = null;
  let max: number | null = null;
  let sum = 0;
  for (const [a, b] of distinct) {
    const o = orderOverlap(out[a]!, out[b]!);
    min = min === null ? o : Math.min(min, o);
    max = max === null ? o : Math.max(max, o);
    sum += o;
  }
  return {
    papers: out,
    attempts,
    regenerated,
    pairs: distinct.length,
    minOverlap: min,
    maxOverlap: max,
    meanOverlap: distinct.length > 0 ? sum / distinct.length : null,
  };
}
