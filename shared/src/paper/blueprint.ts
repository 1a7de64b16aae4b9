import { DIFFICULTY_LABELS, type Difficulty, isDifficulty } from '../questions/difficulty.js';
import { PaperError } from './errors.js';

/** Database ids may be numbers or strings; use one kind consistently (1 and '1' are different ids). */
export type EntityId = number | string;

/** One cell of a topic × difficulty blueprint (ma trận đề). */
export interface BlueprintCell {
  /** Draw from this topic and its sub-topics; null = the whole subject. */
  topicId: EntityId | null;
  difficulty: Difficulty;
  /** Questions per paper. */
  count: number;
}

export interface Blueprint {
  cells: readonly BlueprintCell[];
}

/** One approved question version of the frozen bank version a part draws from. */
export interface PoolItem {
  versionId: EntityId;
  questionId: EntityId;
  /** The item's topic and all its ancestors, root first, own topic last ([] if it has no topic). */
  topicPath: readonly EntityId[];
  difficulty: Difficulty;
}

export interface CellAssignment {
  /** Per cell, in blueprint order: the pool items it draws from, sorted by versionId. */
  cellPools: PoolItem[][];
  /** Per cell: whether more specific cells of the same difficulty are carved out of it. */
  hasSubCells: boolean[];
  /** Pool items that no cell accepts (other difficulties, topics outside every cell). */
  unassigned: number;
}

export interface BlueprintShortfall {
  cellIndex: number;
  cell: BlueprintCell;
  /** ceil(count × multiple). */
  needed: number;
  available: number;
  /** e.g. "Chuyên đề Luật Cán bộ, mức Nhận biết: cần 60 câu (3 × 20), hiện có 45". */
  message: string;
}

export interface TopicNames {
  /** Display name of a topic; the id is shown when it returns undefined. */
  topicName?: (topicId: EntityId) => string | undefined;
}

/** Total questions per paper. */
export function blueprintSize(blueprint: Blueprint): number {
  let n = 0;
  for (const c of blueprint.cells) n += c.count;
  return n;
}

/** Orders ids deterministically: numbers ascending, then strings by UTF-16 code units (never locale). */
export function compareIds(a: EntityId, b: EntityId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "Chuyên đề X, mức Nhận biết" / "Toàn môn (trừ các chuyên đề có ô riêng), mức Thông hiểu". */
export function describeCell(cell: BlueprintCell, options: TopicNames & { hasSubCells?: boolean } = {}): string {
  const level = isDifficulty(cell.difficulty) ? DIFFICULTY_LABELS[cell.difficulty].vi : String(cell.difficulty);
  let where: string;
  if (cell.topicId === null) {
    where = options.hasSubCells ? 'Toàn môn (trừ các chuyên đề có ô riêng)' : 'Toàn môn';
  } else {
    const name = options.topicName?.(cell.topicId) ?? String(cell.topicId);
    where = options.hasSubCells ? `Chuyên đề ${name} (trừ các chuyên đề con có ô riêng)` : `Chuyên đề ${name}`;
  }
  return `${where}, mức ${level}`;
}

/** Structural problems of a blueprint, as Vietnamese messages; [] when it is well formed. */
export function blueprintIssues(blueprint: Blueprint, options: TopicNames = {}): string[] {
  const issues: string[] = [];
  if (blueprint.cells.length === 0) issues.push('Ma trận đề chưa có ô nào');
  const seen = new Map<string, Map<EntityId | null, number>>();
  blueprint.cells.forEach((cell, i) => {
    if (!isDifficulty(cell.difficulty)) {
      issues.push(`Ô ${i + 1}: mức độ "${String(cell.difficulty)}" không hợp lệ`);
      return;
    }
    const desc = describeCell(cell, options);
    if (!Number.isSafeInteger(cell.count) || cell.count < 1) {
      issues.push(`Ô ${i + 1} (${desc}): số câu phải là số nguyên dương (hiện là ${cell.count})`);
    }
    let byTopic = seen.get(cell.difficulty);
    if (!byTopic) {
      byTopic = new Map();
      seen.set(cell.difficulty, byTopic);
    }
    const first = byTopic.get(cell.topicId);
    if (first !== undefined) issues.push(`Ô ${i + 1} trùng với ô ${first + 1} (${desc})`);
    else byTopic.set(cell.topicId, i);
  });
  return issues;
}

/**
 * Splits the pool between the cells. Overlap rule: cells overlap when they have the same difficulty
 * and one's topic contains the other's (a whole-subject cell contains every topic). Each pool item
 * goes to exactly one cell: the MOST SPECIFIC cell that contains it, i.e. the one whose topic is
 * deepest in the item's topicPath, and to the whole-subject cell only if no topic cell of its
 * difficulty contains it. So a broader cell means "its topic minus the sub-topics that have their
 * own cell", no item is ever counted or drawn twice, and the cell of a drawn item can be recomputed
 * from the item alone (an auditor can check a paper's counts with this same function).
 *
 * The result does not depend on the pool's order. Throws PaperError for a malformed blueprint
 * (see blueprintIssues) or a pool that repeats a versionId or a questionId.
 */
export function assignPoolToCells(blueprint: Blueprint, pool: readonly PoolItem[], options: TopicNames = {}): CellAssignment {
  const issues = blueprintIssues(blueprint, options);
  if (issues.length > 0) throw new PaperError('BLUEPRINT_INVALID', 'Ma trận đề không hợp lệ', issues);

  const cells = blueprint.cells;
  const byDifficulty = new Map<Difficulty, Map<EntityId | null, number>>();
  cells.forEach((cell, i) => {
    let m = byDifficulty.get(cell.difficulty);
    if (!m) {
      m = new Map();
      byDifficulty.set(cell.difficulty, m);
    }
    m.set(cell.topicId, i);
  });

  const cellPools: PoolItem[][] = cells.map(() => []);
  const hasSubCells = cells.map((cell) => cell.topicId === null && (byDifficulty.get(cell.difficulty)?.size ?? 0) > 1);
  const versions = new Set<EntityId>();
  const questions = new Set<EntityId>();
  let unassigned = 0;

  for (const item of pool) {
    if (versions.has(item.versionId)) {
      throw new PaperError('POOL_INVALID', `Kho câu hỏi có phiên bản ${String(item.versionId)} bị lặp`);
    }
    if (questions.has(item.questionId)) {
      throw new PaperError('POOL_INVALID', `Kho câu hỏi có hai phiên bản của cùng câu hỏi ${String(item.questionId)}`);
    }
    versions.add(item.versionId);
    questions.add(item.questionId);

    const m = byDifficulty.get(item.difficulty);
    let target = -1;
    if (m) {
      const path = item.topicPath;
      for (let d = path.length - 1; d >= 0; d--) {
        const cellIndex = m.get(path[d] as EntityId);
        if (cellIndex === undefined) continue;
        if (target < 0) target = cellIndex;
        else hasSubCells[cellIndex] = true; // an enclosing topic cell: `target` is carved out of it
      }
      if (target < 0) target = m.get(null) ?? -1;
    }
    if (target < 0) unassigned++;
    else cellPools[target]?.push(item);
  }

  for (const p of cellPools) p.sort((x, y) => compareIds(x.versionId, y.versionId));
  return { cellPools, hasSubCells, unassigned };
}

/**
 * Cells that do not have count × multiple available questions (overlaps resolved as in
 * assignPoolToCells), in blueprint order; [] when the bank is sufficient. `multiple` is the
 * profile's bank multiple (3 under TT 06/2020); 1 checks that a single paper can be drawn.
 */
export function checkBlueprint(
  blueprint: Blueprint,
  pool: readonly PoolItem[],
  multiple: number,
  options: TopicNames = {},
): BlueprintShortfall[] {
  if (!Number.isFinite(multiple) || multiple < 1) throw new RangeError(`multiple must be a number ≥ 1, got ${multiple}`);
  const { cellPools, hasSubCells } = assignPoolToCells(blueprint, pool, options);
  const shortfalls: BlueprintShortfall[] = [];
  blueprint.cells.forEach((cell, cellIndex) => {
    const needed = Math.ceil(cell.count * multiple);
    const available = cellPools[cellIndex]?.length ?? 0;
    if (available >= needed) return;
    const desc = describeCell(cell, { ...options, hasSubCells: hasSubCells[cellIndex] ?? false });
    const how = multiple === 1 ? '' : ` (${multiple} × ${cell.count})`;
    shortfalls.push({ cellIndex, cell, needed, available, message: `${desc}: cần ${needed} câu${how}, hiện có ${available}` });
  });
  return shortfalls;
}
