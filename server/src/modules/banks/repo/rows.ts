import { DifficultySchema, OptionDto, type QuestionDto, QuestionTypeSchema, StatusSchema } from '@exam/shared';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/connection.js';
import { CorruptColumnError, jsonColumn } from '../../../db/json.js';
import { questions, questionVersions, users } from '../../../db/schema.js';
import { q } from '../../../db/tx.js';

/** question_versions.options: the options with their key, checked where they leave the database. */
export const optionsColumn = jsonColumn('question_versions.options', Type.Array(OptionDto));
/** question_versions.tags */
export const tagsColumn = jsonColumn('question_versions.tags', Type.Array(Type.String()));

/** A text column holding one of a fixed list of values (a type, a level, a status), checked once. */
function textEnum<S extends TSchema>(column: string, schema: S): (value: string) => Static<S> {
  const compiled = TypeCompiler.Compile(schema);
  return (value) => {
    if (compiled.Check(value)) return value;
    throw new CorruptColumnError(column, `unknown value "${value}"`);
  };
}

export const questionTypeOf = textEnum('question_versions.type', QuestionTypeSchema);
export const difficultyOf = textEnum('question_versions.difficulty', DifficultySchema);
export const statusOf = textEnum('question_versions.status', StatusSchema);

/** One question version with its question and author, as the bank screens show it. */
export const versionColumns = {
  id: questionVersions.id,
  questionId: questionVersions.questionId,
  version: questionVersions.version,
  subjectId: questions.subjectId,
  ref: questions.ref,
  title: questions.title,
  type: questionVersions.type,
  topicId: questionVersions.topicId,
  difficulty: questionVersions.difficulty,
  stem: questionVersions.stem,
  options: questionVersions.options,
  partialCredit: questionVersions.partialCredit,
  explanation: questionVersions.explanation,
  legalBasis: questionVersions.legalBasis,
  tags: questionVersions.tags,
  status: questionVersions.status,
  authorId: questionVersions.authorId,
  authorName: users.fullName,
  approvedBy: questionVersions.approvedBy,
  approvedAt: questionVersions.approvedAt,
  createdAt: questionVersions.createdAt,
  updatedAt: questionVersions.updatedAt,
};

/** versions ⋈ questions ⋈ users, selecting `versionColumns` (add the where, order and limit). */
export function selectVersions(db: Db) {
  return q(db)
    .select(versionColumns)
    .from(questionVersions)
    .innerJoin(questions, eq(questions.id, questionVersions.questionId))
    .innerJoin(users, eq(users.id, questionVersions.authorId));
}

export type VersionRow = Awaited<ReturnType<typeof selectVersions>>[number];

export function toDto(r: VersionRow): QuestionDto {
  return {
    id: r.questionId,
    versionId: r.id,
    version: r.version,
    subjectId: r.subjectId,
    ref: r.ref,
    ...(r.title ? { title: r.title } : {}),
    type: questionTypeOf(r.type),
    topicId: r.topicId,
    difficulty: difficultyOf(r.difficulty),
    stem: r.stem,
    options: optionsColumn.parse(r.options),
    partialCredit: r.partialCredit,
    explanation: r.explanation,
    legalBasis: r.legalBasis,
    tags: tagsColumn.parse(r.tags),
    status: statusOf(r.status),
    authorId: r.authorId,
    authorName: r.authorName,
    approvedBy: r.approvedBy,
    approvedAt: r.approvedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** Splits a long list of ids so that one statement never binds more than `size` parameters. */
export function slices<T>(list: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export const nowIso = () => new Date().toISOString();
