import type Database from 'better-sqlite3';

/**
 * The marks that stand after phúc khảo (issue 13), by "partId:candidateId": the outcome of each
 * request whose reviewers' marks are in. compute() uses them in place of the original mark.
 */
export function reviewedMarks(sqlite: Database.Database, examId: number): Map<string, number> {
  const rows = sqlite
    .prepare(
      `SELECT part_id AS partId, candidate_id AS candidateId, final FROM review_requests
        WHERE exam_id = ? AND status IN ('marked', 'republished') AND final IS NOT NULL`,
    )
    .all(examId) as { partId: number; candidateId: number; final: number }[];
  return new Map(rows.map((r) => [`${r.partId}:${r.candidateId}`, r.final]));
}
