import { describe, expect, it } from 'vitest';
import type { Difficulty } from '../questions/difficulty.js';
import { assignPoolToCells, type Blueprint, blueprintIssues, checkBlueprint, type EntityId, type PoolItem } from './blueprint.js';
import { PaperError } from './errors.js';

/** `n` items of one topic path and difficulty, with ids starting at `from`. */
function items(from: number, n: number, topicPath: EntityId[], difficulty: Difficulty): PoolItem[] {
  return Array.from({ length: n }, (_, i) => ({ versionId: 1000 + from + i, questionId: from + i, topicPath, difficulty }));
}

// Topic tree: 1 Luật Cán bộ, công chức ⊃ 11 Quyền và nghĩa vụ; 2 Tin học.
const names = new Map<EntityId, string>([
  [1, 'Luật Cán bộ, công chức'],
  [11, 'Quyền và nghĩa vụ'],
  [2, 'Tin học'],
]);
const topicName = (id: EntityId) => names.get(id);

describe('checkBlueprint', () => {
  it('lists exactly the cells short of count × multiple, with Vietnamese messages', () => {
    const blueprint: Blueprint = {
      cells: [
        { topicId: 1, difficulty: 'nhan_biet', count: 20 },
        { topicId: 2, difficulty: 'nhan_biet', count: 10 },
        { topicId: 2, difficulty: 'thong_hieu', count: 5 },
      ],
    };
    const pool = [
      ...items(0, 30, [1], 'nhan_biet'),
      ...items(100, 15, [1, 11], 'nhan_biet'), // counts for topic 1 (descendant)
      ...items(200, 30, [2], 'nhan_biet'), // exactly 3 × 10: no shortfall
      ...items(300, 14, [2], 'thong_hieu'), // one short
      ...items(400, 50, [2], 'van_dung'), // no cell
    ];
    const shortfalls = checkBlueprint(blueprint, pool, 3, { topicName });
    expect(shortfalls.map(({ cellIndex, needed, available, message }) => ({ cellIndex, needed, available, message }))).toEqual([
      {
        cellIndex: 0,
        needed: 60,
        available: 45,
        message: 'Chuyên đề Luật Cán bộ, công chức, mức Nhận biết: cần 60 câu (3 × 20), hiện có 45',
      },
      { cellIndex: 2, needed: 15, available: 14, message: 'Chuyên đề Tin học, mức Thông hiểu: cần 15 câu (3 × 5), hiện có 14' },
    ]);
    expect(shortfalls[0]?.cell).toBe(blueprint.cells[0]);
    expect(checkBlueprint(blueprint, pool, 1)).toEqual([]);
  });

  it('gives overlapping cells each item once, to the most specific cell', () => {
    const blueprint: Blueprint = {
      cells: [
        { topicId: null, difficulty: 'nhan_biet', count: 10 }, // whole subject
        { topicId: 1, difficulty: 'nhan_biet', count: 5 },
        { topicId: 11, difficulty: 'nhan_biet', count: 4 },
        { topicId: 1, difficulty: 'thong_hieu', count: 2 },
      ],
    };
    const pool = [
      ...items(0, 12, [1, 11], 'nhan_biet'), // → cell 2 only
      ...items(100, 14, [1], 'nhan_biet'), // → cell 1
      ...items(200, 25, [2], 'nhan_biet'), // → cell 0 (no topic cell for 2)
      ...items(300, 3, [], 'nhan_biet'), // no topic → cell 0
      ...items(400, 6, [1, 11], 'thong_hieu'), // → cell 3
      ...items(500, 4, [2], 'thong_hieu'), // unassigned
    ];
    const a = assignPoolToCells(blueprint, pool);
    expect(a.cellPools.map((p) => p.length)).toEqual([28, 14, 12, 6]);
    expect(a.unassigned).toBe(4);
    expect(a.hasSubCells).toEqual([true, true, false, false]);
    expect(checkBlueprint(blueprint, pool, 3, { topicName }).map((s) => s.message)).toEqual([
      'Toàn môn (trừ các chuyên đề có ô riêng), mức Nhận biết: cần 30 câu (3 × 10), hiện có 28',
      'Chuyên đề Luật Cán bộ, công chức (trừ các chuyên đề con có ô riêng), mức Nhận biết: cần 15 câu (3 × 5), hiện có 14',
    ]);
  });

  it('does not depend on pool order', () => {
    const blueprint: Blueprint = { cells: [{ topicId: 1, difficulty: 'nhan_biet', count: 2 }] };
    const pool = items(0, 9, [1], 'nhan_biet');
    const a = assignPoolToCells(blueprint, pool);
    const b = assignPoolToCells(blueprint, pool.slice().reverse());
    expect(b).toEqual(a);
    expect(a.cellPools[0]?.map((p) => p.versionId)).toEqual(pool.map((p) => p.versionId));
  });

  it('reports malformed blueprints and refuses inconsistent pools', () => {
    expect(blueprintIssues({ cells: [] })).toEqual(['Ma trận đề chưa có ô nào']);
    expect(
      blueprintIssues(
        {
          cells: [
            { topicId: 2, difficulty: 'nhan_biet', count: 0 },
            { topicId: 2, difficulty: 'nhan_biet', count: 3 },
          ],
        },
        { topicName },
      ),
    ).toEqual([
      'Ô 1 (Chuyên đề Tin học, mức Nhận biết): số câu phải là số nguyên dương (hiện là 0)',
      'Ô 2 trùng với ô 1 (Chuyên đề Tin học, mức Nhận biết)',
    ]);
    const blueprint: Blueprint = { cells: [{ topicId: 1, difficulty: 'nhan_biet', count: 1 }] };
    const dupQuestion = [
      ...items(0, 2, [1], 'nhan_biet'),
      { versionId: 5000, questionId: 0, topicPath: [1], difficulty: 'nhan_biet' as const },
    ];
    expect(() => checkBlueprint(blueprint, dupQuestion, 3)).toThrow(PaperError);
    expect(() => checkBlueprint({ cells: [] }, [], 3)).toThrow(/Ma trận đề không hợp lệ/);
    expect(() => checkBlueprint(blueprint, [], 0)).toThrow(RangeError);
  });
});
