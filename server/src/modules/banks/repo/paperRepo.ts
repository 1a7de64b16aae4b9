import { Type } from '@sinclair/typebox';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/connection.js';
import { jsonColumn } from '../../../db/json.js';
import { answers, attempts, candidates, examParts, exams, papers, questions, questionVersions } from '../../../db/schema.js';
import { q } from '../../../db/tx.js';

/** answers.choice: the option ids the candidate chose. */
export const choiceColumn = jsonColumn('answers.choice', Type.Array(Type.String()));

/** The reads of one candidate's papers for the Word export (paperExport.ts). */
export class PaperRepo {
  constructor(private readonly db: Db) {}

  async candidate(id: number) {
    return (
      await q(this.db)
        .select({ id: candidates.id, number: candidates.number, fullName: candidates.fullName, examName: exams.name })
        .from(candidates)
        .innerJoin(exams, eq(exams.id, candidates.examId))
        .where(eq(candidates.id, id))
        .limit(1)
    )[0];
  }

  /** The candidate's papers by part, each with its latest attempt (if any). */
  async papers(candidateId: number) {
    const rows = await q(this.db)
      .select({ id: papers.id, items: papers.items, digest: papers.digest, partName: examParts.name })
      .from(papers)
      .innerJoin(examParts, eq(examParts.id, papers.partId))
      .where(eq(papers.candidateId, candidateId))
      .orderBy(asc(examParts.id), asc(papers.attempt));
    const out = [];
    for (const p of rows) {
      const [attempt] = await q(this.db)
        .select({ id: attempts.id })
        .from(attempts)
        .where(eq(attempts.paperId, p.id))
        .orderBy(desc(attempts.id))
        .limit(1);
      out.push({ ...p, attemptId: attempt?.id ?? null });
    }
    return out;
  }

  async version(versionId: number) {
    return (
      await q(this.db)
        .select({
          id: questionVersions.id,
          type: questionVersions.type,
          stem: questionVersions.stem,
          options: questionVersions.options,
          ref: questions.ref,
        })
        .from(questionVersions)
        .innerJoin(questions, eq(questions.id, questionVersions.questionId))
        .where(eq(questionVersions.id, versionId))
        .limit(1)
    )[0];
  }

  /** The option ids the attempt chose for the question at this position (1-based); none when unanswered. */
  async chosen(attemptId: number, questionNo: number): Promise<string[]> {
    const row = (
      await q(this.db)
        .select({ choice: answers.choice })
        .from(answers)
        .where(and(eq(answers.attemptId, attemptId), eq(answers.questionNo, questionNo)))
        .limit(1)
    )[0];
    return row ? choiceColumn.parse(row.choice) : [];
  }
}
