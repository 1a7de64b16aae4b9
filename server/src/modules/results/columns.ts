import { type ChoiceOption, isQuestionTypeId, type PassRule, type QuestionTypeId } from '@exam/shared';
import { Type } from '@sinclair/typebox';
import { CorruptColumnError, jsonColumn } from '../../db/json.js';

/**
 * The JSON columns results reads from other areas' tables, checked where they leave the database
 * (docs/ARCHITECTURE.md, "Data layer").
 */

/** answers.choice: the option ids ticked */
export const choicesColumn = jsonColumn('answers.choice', Type.Array(Type.String()));

/** key_corrections.correct: the option ids of a re-keying */
export const optionIdsColumn = jsonColumn('key_corrections.correct', Type.Array(Type.String()));

/** a JSON list of ids (sittings.part_ids, tie_decisions.candidate_ids) */
const idList = Type.Array(Type.Integer());
const idLists = new Map<string, ReturnType<typeof jsonColumn<typeof idList>>>();
export function idListColumn(name: string) {
  let c = idLists.get(name);
  if (!c) {
    c = jsonColumn(name, idList);
    idLists.set(name, c);
  }
  return c;
}

/** question_versions.options */
export const optionsColumn = jsonColumn(
  'question_versions.options',
  Type.Array(
    Type.Object({ id: Type.String(), text: Type.String(), correct: Type.Boolean(), pinned: Type.Optional(Type.Boolean()) }),
  ),
);

/** A question version's row as scoring needs it: the type narrowed, the options checked. */
export function questionVersionRow<R extends { type: string; options: string }>(
  row: R,
): Omit<R, 'type' | 'options'> & { type: QuestionTypeId; options: ChoiceOption[] } {
  const type = row.type;
  if (!isQuestionTypeId(type)) throw new CorruptColumnError('question_versions.type', type);
  return { ...row, type, options: optionsColumn.parse(row.options) };
}

/** exam_parts.pass_rule as ExamPartDto carries it (unknown): checked before scoring uses it. */
const passRuleCheck = jsonColumn(
  'exam_parts.pass_rule',
  Type.Union([
    Type.Object({ kind: Type.Literal('min_percent'), percent: Type.Number() }),
    Type.Object({ kind: Type.Literal('min_score'), score: Type.Number() }),
    Type.Object({ kind: Type.Literal('none') }),
  ]),
);
export const passRuleOf = (value: unknown): PassRule => passRuleCheck.check(value);
