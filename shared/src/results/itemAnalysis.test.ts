import { describe, expect, it } from 'vitest';
import { analyzeItems, CHOICE_BLANK, createItemMatrix, type ItemResponseMatrix, type PartItemAnalysis } from './itemAnalysis.js';

const _ = CHOICE_BLANK;

function matrix(rows: number[][], extra: Partial<ItemResponseMatrix> = {}): ItemResponseMatrix {
  const items = rows[0]?.length ?? 0;
  return { items, candidates: rows.length, scores: Float32Array.from(rows.flat()), ...extra };
}

/** Every number in the result is finite or null: no NaN, no Infinity. */
function expectNoNaN(r: PartItemAnalysis): void {
  JSON.stringify(r, (_k, v: unknown) => {
    if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    return v;
  });
}

describe('analyzeItems: worked example, 10 candidates × 4 items with ties at both cuts', () => {
  // Items a b c d (keys A B C D = option 0 1 2 3). Item d is answered mostly by weak candidates.
  //        a  b  c  d   total
  const rows = [
    [1, 1, 1, 0], // c0  3
    [1, 1, 1, 0], // c1  3
    [1, 1, 0, 0], // c2  2
    [1, 0, 1, 0], // c3  2
    [1, 1, 0, 0], // c4  2
    [0, 1, 0, 1], // c5  2
    [1, 0, 0, 0], // c6  1
    [0, 0, 0, 1], // c7  1
    [0, 0, 0, 1], // c8  1
    [0, 0, 0, 0], // c9  0
  ];
  // Chosen options; a wrong answer names a distractor, _ is blank.
  const choices = [
    [0, 1, 2, 0],
    [0, 1, 2, 1],
    [0, 1, 0, 0],
    [0, 0, 2, _],
    [0, 1, 1, 0],
    [1, 1, _, 3],
    [0, 2, 1, 2],
    [2, 0, 0, 3],
    [_, _, 0, 3],
    [3, 0, _, _],
  ];
  const r = analyzeItems(matrix(rows, { choices: Uint8Array.from(choices.flat()), optionsPerItem: [4, 4, 4, 4] }));

  it('facility p = mean item score: a 6/10, b 5/10, c 3/10, d 3/10', () => {
    expect(r.items.map((i) => i.facility)).toEqual([0.6, 0.5, 0.3, 0.3]);
    expect(r.items.map((i) => i.n)).toEqual([10, 10, 10, 10]);
    // Item variances p(1 − p): 0.24, 0.25, 0.21, 0.21.
    expect(r.items[0]!.variance).toBeCloseTo(0.24, 12);
    expect(r.items[1]!.variance).toBeCloseTo(0.25, 12);
  });

  it('27% groups: g = round(2.7) = 3; ties at the cut weigh fractionally', () => {
    // Totals 3 3 2 2 2 2 1 1 1 0. Upper: the two 3s weigh 1, the four 2s share the last seat: 1/4 each.
    // Lower: the 0 weighs 1, the three 1s share the two remaining seats: 2/3 each.
    expect(r.groupSize).toBe(3);
    expect(r.upperCut).toBe(2);
    expect(r.lowerCut).toBe(1);
    const [a, b, c, d] = r.items;
    // a: upper (2 + ¼·(1+1+1+0)) / 3 = 11/12; lower (0 + ⅔·(1+0+0)) / 3 = 2/9; D = 25/36.
    expect(a!.upperFacility).toBeCloseTo(11 / 12, 12);
    expect(a!.lowerFacility).toBeCloseTo(2 / 9, 12);
    expect(a!.discrimination).toBeCloseTo(25 / 36, 12);
    // b: upper (2 + ¼·(1+0+1+1)) / 3 = 11/12; lower 0; D = 11/12.
    expect(b!.discrimination).toBeCloseTo(11 / 12, 12);
    // c: upper (2 + ¼·(0+1+0+0)) / 3 = 3/4; lower 0; D = 3/4.
    expect(c!.discrimination).toBeCloseTo(3 / 4, 12);
    // d: upper (0 + ¼·(0+0+0+1)) / 3 = 1/12; lower (0 + ⅔·(0+1+1)) / 3 = 4/9; D = −13/36.
    expect(d!.upperFacility).toBeCloseTo(1 / 12, 12);
    expect(d!.lowerFacility).toBeCloseTo(4 / 9, 12);
    expect(d!.discrimination).toBeCloseTo(-13 / 36, 12);
  });

  it('flags: only d (negative discrimination); facilities 0.3–0.6 are inside [0.2, 0.9]', () => {
    expect(r.items.map((i) => i.flags)).toEqual([[], [], [], ['negative_discrimination']]);
  });

  it('point-biserial is the corrected item-rest correlation', () => {
    // a: x = 1 1 1 1 1 0 1 0 0 0; rest = T − x = 2 2 1 1 1 2 0 1 1 0.
    // mean x 0.6, mean rest 1.1, E[x·rest] = 7/10 → cov = 0.7 − 0.66 = 0.04;
    // var rest = 17/10 − 1.21 = 0.49; var x = 0.24 → r = 0.04 / √(0.24 · 0.49) ≈ 0.1166.
    expect(r.items[0]!.pointBiserial).toBeCloseTo(0.04 / Math.sqrt(0.24 * 0.49), 10);
    // d: x = 0 0 0 0 0 1 0 1 1 0; rest = 3 3 2 2 2 1 1 0 0 0; mean rest 1.4; E[x·rest] = 0.1
    // → cov = 0.1 − 0.42 = −0.32; var rest = 3.2 − 1.96 = 1.24; var x = 0.21 → r ≈ −0.6271.
    expect(r.items[3]!.pointBiserial).toBeCloseTo(-0.32 / Math.sqrt(0.21 * 1.24), 10);
    // Uncorrected item-total for d: E[x·T] = 0.4, cov = 0.4 − 0.3·1.7 = −0.11; var T = 0.81 → r ≈ −0.2667.
    expect(r.items[3]!.itemTotal).toBeCloseTo(-0.11 / Math.sqrt(0.21 * 0.81), 10);
  });

  it("Cronbach's α = KR-20 = 4/3 · (1 − 0.91 / 0.81) = −40/243 (negative: item d works against the others)", () => {
    // Σ var(x) = 0.24 + 0.25 + 0.21 + 0.21 = 0.91; totals mean 1.7,
    // var T = (2·1.69 + 4·0.09 + 3·0.49 + 2.89) / 10 = 0.81.
    expect(r.meanTotal).toBeCloseTo(1.7, 12);
    expect(r.sdTotal).toBeCloseTo(0.9, 12);
    expect(r.alpha).toBeCloseTo(-40 / 243, 12);
    expect(r.kr20).toBe(r.alpha);
    expect(r.complete).toBe(true);
    expect(r.items.every((i) => i.dichotomous)).toBe(true);
  });

  it('distractor frequencies count each option and the blanks per question', () => {
    expect(r.items.map((i) => i.distractors)).toEqual([
      { options: [6, 1, 1, 1], blank: 1 }, // a: key A chosen by its 6 correct answers
      { options: [3, 5, 1, 0], blank: 1 },
      { options: [3, 2, 3, 0], blank: 2 },
      { options: [3, 1, 1, 3], blank: 2 },
    ]);
  });
});

describe('analyzeItems: partial credit and ties between non-integer totals', () => {
  it('α without KR-20: 4 candidates × 2 items scored 0, ½ or 1', () => {
    // Totals 2, 1.5, 0.5, 0 (mean 1, var T = (1 + .25 + .25 + 1)/4 = 0.625).
    // Item 1: 1 ½ ½ 0 → var 0.125; item 2: 1 1 0 0 → var 0.25; α = 2 · (1 − 0.375/0.625) = 0.8.
    const r = analyzeItems(
      matrix([
        [1, 1],
        [0.5, 1],
        [0.5, 0],
        [0, 0],
      ]),
    );
    expect(r.alpha).toBeCloseTo(0.8, 12);
    expect(r.kr20).toBeNull();
    expect(r.items.map((i) => i.dichotomous)).toEqual([false, true]);
    expect(r.items[0]!.facility).toBe(0.5);
    // g = round(1.08) = 1: the 2 is the upper group, the 0 the lower one.
    expect(r.items.map((i) => i.discrimination)).toEqual([1, 1]);
  });

  it('two totals of 1.5 share the one upper seat, two of 0.5 the lower one (weight ½ each)', () => {
    const r = analyzeItems(
      matrix([
        [1, 0.5],
        [0.5, 1],
        [0.5, 0],
        [0, 0.5],
      ]),
    );
    expect([r.upperCut, r.lowerCut]).toEqual([1.5, 0.5]);
    // Item 1: upper ½·1 + ½·½ = ¾, lower ½·½ + ½·0 = ¼ → D = ½; item 2 the same by symmetry.
    expect(r.items.map((i) => [i.upperFacility, i.lowerFacility, i.discrimination])).toEqual([
      [0.75, 0.25, 0.5],
      [0.75, 0.25, 0.5],
    ]);
  });
});

describe('analyzeItems: edge cases never produce NaN', () => {
  it('everyone with the same total: D = 0, correlations and α null', () => {
    // Totals all 2: both groups are everyone at weight g/N, so p(upper) = p(lower) and D = 0.
    const r = analyzeItems(
      matrix([
        [1, 0, 1],
        [0, 1, 1],
        [1, 1, 0],
        [1, 0, 1],
        [0, 1, 1],
      ]),
    );
    expect(r.sdTotal).toBe(0);
    expect(r.items.map((i) => i.discrimination)).toEqual([0, 0, 0]);
    expect(r.items.map((i) => i.itemTotal)).toEqual([null, null, null]);
    // The rest score is 2 − x, so the corrected correlation is exactly −1 (mathematically right).
    for (const i of r.items) expect(i.pointBiserial).toBeCloseTo(-1, 12);
    expect(r.alpha).toBeNull();
    expect(r.kr20).toBeNull();
    expectNoNaN(r);
  });

  it('identical answers: zero variance everywhere, item facility 1 and 0 flagged', () => {
    const r = analyzeItems(
      matrix([
        [1, 0],
        [1, 0],
        [1, 0],
      ]),
    );
    expect(r.items.map((i) => [i.facility, i.discrimination, i.pointBiserial, i.flags])).toEqual([
      [1, 0, null, ['facility_high']],
      [0, 0, null, ['facility_low']],
    ]);
    expect(r.alpha).toBeNull();
    expectNoNaN(r);
  });

  it('an item everyone gets right has no correlation; the bounds 0.2 and 0.9 are not flagged', () => {
    // 10 candidates; item 0 always right; item 1 right for 9 (p = 0.9); item 2 right for 2 (p = 0.2).
    const rows = Array.from({ length: 10 }, (_v, c) => [1, c < 9 ? 1 : 0, c < 2 ? 1 : 0]);
    const r = analyzeItems(matrix(rows));
    expect(r.items[0]!.pointBiserial).toBeNull();
    expect(r.items[0]!.discrimination).toBe(0);
    expect(r.items.map((i) => i.facility)).toEqual([1, 0.9, 0.2]);
    expect(r.items.map((i) => i.flags)).toEqual([['facility_high'], [], []]);
    expectNoNaN(r);
  });

  it('one item: α null (k < 2), rest score constant so the item-rest correlation is null', () => {
    const r = analyzeItems(matrix([[1], [0], [1], [0]]));
    expect(r.alpha).toBeNull();
    expect(r.items[0]!.pointBiserial).toBeNull();
    expect(r.items[0]!.itemTotal).toBeCloseTo(1, 12);
    expect(r.items[0]!.discrimination).toBe(1);
  });

  it('no candidates, or one: nothing is computed', () => {
    const empty = analyzeItems({ items: 3, candidates: 0, scores: new Float32Array(0) });
    expect(empty.candidates).toBe(0);
    expect(empty.meanTotal).toBeNull();
    expect(empty.items.map((i) => [i.facility, i.discrimination])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    const one = analyzeItems(matrix([[1, 0]]));
    expect(one.groupSize).toBe(0);
    expect(one.items.map((i) => [i.facility, i.discrimination])).toEqual([
      [1, null],
      [0, null],
    ]);
    expectNoNaN(empty);
    expectNoNaN(one);
  });

  it('malformed input throws a RangeError', () => {
    expect(() => analyzeItems(matrix([[1.5]]))).toThrow(RangeError);
    expect(() => analyzeItems(matrix([[-0.5]]))).toThrow(RangeError);
    expect(() => analyzeItems({ items: 2, candidates: 2, scores: new Float32Array(3) })).toThrow(RangeError);
    expect(() => analyzeItems(matrix([[1, 0]], { choices: Uint8Array.of(0, 4), optionsPerItem: [4, 4] }))).toThrow(
      /option index 4/,
    );
    expect(() => analyzeItems(matrix([[1]], { choices: Uint8Array.of(0), choiceMasks: Uint8Array.of(1) }))).toThrow(RangeError);
  });
});

describe('analyzeItems: randomised papers (NaN = not on the paper)', () => {
  const N = Number.NaN;
  //       a  b  c
  const rows = [
    [1, 1, N], // c0 total 2
    [1, N, 0], // c1 1
    [N, 0, 1], // c2 1
    [0, 0, N], // c3 0
    [N, N, N], // c4 had no item of this part: left out
  ];
  // Choices; those of items not on the paper (c0's c, c4's row…) are ignored whatever they hold.
  const r = analyzeItems(matrix(rows, { choices: Uint8Array.from([0, 1, _, 0, _, _, _, 2, 2, 3, 3, _, 0, 0, 0]) }));

  it('facility over the candidates who had the item', () => {
    expect(r.candidates).toBe(4);
    expect(r.complete).toBe(false);
    expect(r.items.map((i) => i.n)).toEqual([3, 3, 2]);
    expect(r.items.map((i) => i.facility)).toEqual([2 / 3, 1 / 3, 1 / 2]);
  });

  it('D only where both groups had the item', () => {
    // g = round(1.08) = 1: upper {c0} (total 2), lower {c3} (total 0); neither had item c.
    expect(r.items.map((i) => i.discrimination)).toEqual([1, 1, null]);
  });

  it('α of the average paper: k = 8/4 = 2, Σ (n_j/N)·var_j = ¾·2/9 + ¾·2/9 + ½·¼ = 11/24 → α = 2·(1 − (11/24)/0.5) = 1/6', () => {
    expect(r.alpha).toBeCloseTo(1 / 6, 12);
  });

  it('distractors count only the candidates who had the item', () => {
    // a: c0 A, c1 A, c3 D; b: c0 B, c2 C, c3 D; c: c1 blank, c2 C (3 options seen, none declared).
    expect(r.items.map((i) => i.distractors)).toEqual([
      { options: [2, 0, 0, 1], blank: 0 },
      { options: [0, 1, 1, 1], blank: 0 },
      { options: [0, 0, 1], blank: 1 },
    ]);
  });

  it('a complete matrix gives the ordinary α (the generalisation reduces to it)', () => {
    const full = analyzeItems(matrix(rows.slice(0, 4).map((row) => row.map((x) => (Number.isNaN(x) ? 0 : x)))));
    // NaN → 0: totals 2 1 1 0 (var 0.5); item variances 0.25, 0.1875, 0.1875 → α = 1.5·(1 − 0.625/0.5) = −0.375.
    expect(full.complete).toBe(true);
    expect(full.alpha).toBeCloseTo(-0.375, 12);
  });
});

describe('analyzeItems: choice masks (multiple-answer items)', () => {
  it('counts every ticked option; 0 is blank', () => {
    const r = analyzeItems(matrix([[1], [0.5], [0]], { choiceMasks: Uint8Array.of(0b0011, 0b0101, 0), optionsPerItem: [4] }));
    expect(r.items[0]!.distractors).toEqual({ options: [2, 1, 1, 0], blank: 1 });
  });
});

describe('createItemMatrix', () => {
  it('starts with every item "not presented" and every choice blank', () => {
    const m = createItemMatrix(2, 3, { choices: 'index' });
    expect(m.scores.length).toBe(6);
    expect(Number.isNaN(m.scores[0]!)).toBe(true);
    expect(m.choices![5]).toBe(CHOICE_BLANK);
    expect(analyzeItems(m).candidates).toBe(0);
  });
});

describe('analyzeItems: performance', () => {
  it('100,000 candidates × 60 items (6 million responses): sane numbers (speed: `npm run bench -- results`)', () => {
    const n = 100_000;
    const k = 60;
    const m = createItemMatrix(k, n, { choices: 'index', optionsPerItem: new Array<number>(k).fill(4) });
    let seed = 7;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let c = 0; c < n; c++) {
      const ability = rnd();
      for (let j = 0; j < k; j++) {
        const right = rnd() < 0.2 + 0.7 * ability * (1 - j / (2 * k));
        m.scores[c * k + j] = right ? 1 : 0;
        m.choices![c * k + j] = right ? j % 4 : rnd() < 0.1 ? CHOICE_BLANK : (j + 1 + Math.floor(rnd() * 3)) % 4;
      }
    }
    const r = analyzeItems(m);
    expect(r.candidates).toBe(n);
    expect(r.groupSize).toBe(27_000);
    expect(r.alpha).toBeGreaterThan(0.5);
    expect(r.kr20).toBe(r.alpha);
    for (const it of r.items) {
      expect(it.discrimination).toBeGreaterThan(0);
      expect(it.distractors!.options.reduce((a, b) => a + b, 0) + it.distractors!.blank).toBe(n);
    }
    expectNoNaN(r);
  });
});
