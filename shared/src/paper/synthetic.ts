import { DIFFICULTIES } from '../questions/difficulty.js';
import type { QuestionTypeId } from '../questions/types.js';
import type { Blueprint, BlueprintCell, EntityId, PoolItem } from './blueprint.js';
import type { OptionLayout, OptionsOf } from './generate.js';

/** A made-up bank for tests and benchmarks (`npm run bench -- papers`); no randomness, no I/O. */
export interface SyntheticBank {
  blueprint: Blueprint;
  pool: PoolItem[];
  layouts: Map<EntityId, OptionLayout>;
  optionsOf: OptionsOf;
}

export interface SyntheticBankOptions {
  /** Questions in the pool; default 5000. */
  questions?: number;
  /** Questions per paper; default 60. */
  paperSize?: number;
  /** Root topics, each with two sub-topics; default 5. */
  rootTopics?: number;
}

/**
 * Topics 1..R (roots) with sub-topics R+1..3R; question i (0-based) sits in sub-topic (i mod 2R),
 * at difficulty floor(i / 2R) mod 4; every 10th is true/false, every 10th (offset 8) multiple
 * choice, the rest single choice; every 7th choice question pins its last option. The blueprint has
 * one cell per root topic × difficulty, counts spread evenly to total paperSize.
 */
export function makeSyntheticBank(options: SyntheticBankOptions = {}): SyntheticBank {
  const questions = options.questions ?? 5000;
  const paperSize = options.paperSize ?? 60;
  const roots = options.rootTopics ?? 5;
  const leaves = 2 * roots;

  const cells: BlueprintCell[] = [];
  const cellCount = roots * DIFFICULTIES.length;
  for (let t = 0; t < roots; t++) {
    for (const difficulty of DIFFICULTIES) {
      const i = cells.length;
      const count = Math.floor(paperSize / cellCount) + (i < paperSize % cellCount ? 1 : 0);
      if (count > 0) cells.push({ topicId: t + 1, difficulty, count });
    }
  }

  const pool: PoolItem[] = [];
  const layouts = new Map<EntityId, OptionLayout>();
  for (let i = 0; i < questions; i++) {
    const leaf = i % leaves;
    const root = (leaf % roots) + 1;
    const difficulty = DIFFICULTIES[Math.floor(i / leaves) % DIFFICULTIES.length]!;
    const versionId = 100000 + i;
    pool.push({ versionId, questionId: i + 1, topicPath: [root, roots + 1 + leaf], difficulty });
    const type: QuestionTypeId = i % 10 === 9 ? 'true_false' : i % 10 === 8 ? 'multiple' : 'single';
    const ids = type === 'true_false' ? ['A', 'B'] : ['A', 'B', 'C', 'D'];
    const pinLast = type !== 'true_false' && i % 7 === 0;
    layouts.set(versionId, {
      type,
      options: ids.map((id, k) => (pinLast && k === ids.length - 1 ? { id, pinned: true } : { id })),
    });
  }
  return {
    blueprint: { cells },
    pool,
    layouts,
    optionsOf: (item) => {
      const layout = layouts.get(item.versionId);
      if (!layout) throw new Error(`No options for version ${String(item.versionId)}`);
      return layout;
    },
  };
}
