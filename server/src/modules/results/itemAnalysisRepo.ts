import { and, asc, eq, inArray, like, or } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { answers, attempts, examParts, exams, papers, questions, questionVersions } from '../../db/schema.js';
import { q } from '../../db/tx.js';
import { choicesColumn, questionVersionRow } from './columns.js';

/** The SQL of item analysis (issue 6): submitted attempts, their papers and answers, question versions. */
export class ItemAnalysisRepo {
  constructor(private readonly db: Db) {}

  async versions(ids: readonly number[]) {
    if (ids.length === 0) return [];
    return (
      await q(this.db)
        .select({
          id: questionVersions.id,
          questionId: questionVersions.questionId,
          version: questionVersions.version,
          type: questionVersions.type,
          stem: questionVersions.stem,
          options: questionVersions.options,
          partialCredit: questionVersions.partialCredit,
        })
        .from(questionVersions)
        .where(inArray(questionVersions.id, [...ids]))
    ).map(questionVersionRow);
  }

  /** A part's submitted attempts with their papers, by attempt id. */
  async submittedPapers(partId: number) {
    return await q(this.db)
      .select({ id: attempts.id, items: papers.items })
      .from(attempts)
      .innerJoin(papers, eq(papers.id, attempts.paperId))
      .where(and(eq(attempts.partId, partId), eq(attempts.status, 'submitted')))
      .orderBy(asc(attempts.id));
  }

  /** Every answer of a part's submitted attempts. */
  async submittedAnswers(partId: number) {
    return (
      await q(this.db)
        .select({ attemptId: answers.attemptId, no: answers.questionNo, choice: answers.choice })
        .from(answers)
        .innerJoin(attempts, eq(attempts.id, answers.attemptId))
        .where(and(eq(attempts.partId, partId), eq(attempts.status, 'submitted')))
    ).map((a) => ({ ...a, choice: choicesColumn.parse(a.choice) }));
  }

  async examName(examId: number): Promise<string | undefined> {
    return (await q(this.db).select({ name: exams.name }).from(exams).where(eq(exams.id, examId)).limit(1))[0]?.name;
  }

  async computerParts(examId: number) {
    return await q(this.db)
      .select({ id: examParts.id, code: examParts.code, name: examParts.name })
      .from(examParts)
      .where(and(eq(examParts.examId, examId), eq(examParts.mode, 'computer_mc')))
      .orderBy(asc(examParts.round), asc(examParts.sortOrder), asc(examParts.id));
  }

  async questionSubject(questionId: number): Promise<number | undefined> {
    return (
      await q(this.db).select({ subjectId: questions.subjectId }).from(questions).where(eq(questions.id, questionId)).limit(1)
    )[0]?.subjectId;
  }

  /**
   * The computer parts whose submitted papers held the question. Papers store
   * [[versionId, questionId, "order"], …]: the question id is the only number preceded by a comma
   * and followed by a comma and a quote.
   */
  async partsHolding(questionId: number) {
    return await q(this.db)
      .selectDistinct({
        id: examParts.id,
        code: examParts.code,
        name: examParts.name,
        examId: examParts.examId,
        examName: exams.name,
        round: examParts.round,
        sortOrder: examParts.sortOrder,
      })
      .from(papers)
      .innerJoin(attempts, and(eq(attempts.paperId, papers.id), eq(attempts.status, 'submitted')))
      .innerJoin(examParts, and(eq(examParts.id, papers.partId), eq(examParts.mode, 'computer_mc')))
      .innerJoin(exams, eq(exams.id, examParts.examId))
      .where(or(like(papers.items, `%,${questionId},"%`), like(papers.items, `%,"${questionId}","%`)))
      .orderBy(asc(examParts.examId), asc(examParts.round), asc(examParts.sortOrder), asc(examParts.id));
  }
}
