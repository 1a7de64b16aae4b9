import { ExamResultsDto, RepublicationReportDto } from '@exam/shared';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { jsonColumn } from '../../db/json.js';
import { resultPublications } from '../../db/schema.js';
import { insertedRow, q, writer } from '../../db/tx.js';

/** result_publications.snapshot and .report, checked where they leave the database. */
export const snapshotColumn = jsonColumn('result_publications.snapshot', ExamResultsDto);
const reportColumn = jsonColumn('result_publications.report', RepublicationReportDto);

const metaColumns = {
  id: resultPublications.id,
  sha256: resultPublications.sha256,
  version: resultPublications.version,
  byName: resultPublications.publishedByName,
  publishedAt: resultPublications.publishedAt,
};

/**
 * The SQL of result publications (the frozen snapshots, issue 6, and their versions after phúc
 * khảo, issue 13). Snapshots are parsed only when asked for: they hold the whole results.
 */
export class PublicationsRepo {
  constructor(private readonly db: Db) {}

  /** The publication in force, without its snapshot. */
  async active(examId: number) {
    return (
      await q(this.db)
        .select(metaColumns)
        .from(resultPublications)
        .where(and(eq(resultPublications.examId, examId), isNull(resultPublications.revokedAt)))
        .orderBy(desc(resultPublications.id))
        .limit(1)
    )[0];
  }

  /** The first publication of the current results (the review window runs from it). */
  async first(examId: number) {
    return (
      await q(this.db)
        .select({ publishedAt: resultPublications.publishedAt })
        .from(resultPublications)
        .where(and(eq(resultPublications.examId, examId), eq(resultPublications.version, 1)))
        .orderBy(desc(resultPublications.id))
        .limit(1)
    )[0];
  }

  async snapshot(id: number): Promise<ExamResultsDto> {
    const row = (
      await q(this.db)
        .select({ snapshot: resultPublications.snapshot })
        .from(resultPublications)
        .where(eq(resultPublications.id, id))
        .limit(1)
    )[0];
    if (!row) throw new Error(`result publication ${id} vanished`);
    return snapshotColumn.parse(row.snapshot);
  }

  /** The snapshot of a version of the exam's results, if there is one. */
  async snapshotOfVersion(examId: number, version: number): Promise<ExamResultsDto | undefined> {
    const row = (
      await q(this.db)
        .select({ snapshot: resultPublications.snapshot })
        .from(resultPublications)
        .where(and(eq(resultPublications.examId, examId), eq(resultPublications.version, version)))
        .orderBy(desc(resultPublications.id))
        .limit(1)
    )[0];
    return row ? snapshotColumn.parse(row.snapshot) : undefined;
  }

  /** Every publication of the exam, newest first. */
  async list(examId: number) {
    const rows = await q(this.db)
      .select({
        version: resultPublications.version,
        sha256: resultPublications.sha256,
        previousSha256: resultPublications.previousSha256,
        publishedAt: resultPublications.publishedAt,
        byName: resultPublications.publishedByName,
        revokedAt: resultPublications.revokedAt,
        revokedReason: resultPublications.revokedReason,
        report: resultPublications.report,
      })
      .from(resultPublications)
      .where(eq(resultPublications.examId, examId))
      .orderBy(desc(resultPublications.id));
    return rows.map((r) => ({ ...r, report: reportColumn.parseNullable(r.report) }));
  }

  /** Inserts a publication (a republication carries its version, the previous SHA-256 and its report). */
  async insert(p: {
    examId: number;
    snapshot: string;
    sha256: string;
    publishedBy: number;
    publishedByName: string;
    publishedAt: string;
    republication?: { version: number; previousSha256: string; report: RepublicationReportDto };
  }): Promise<number> {
    const { republication, ...row } = p;
    return insertedRow(
      await writer(this.db)
        .insert(resultPublications)
        .values({
          ...row,
          ...(republication
            ? {
                version: republication.version,
                previousSha256: republication.previousSha256,
                report: JSON.stringify(republication.report),
              }
            : {}),
        })
        .returning({ id: resultPublications.id }),
      'resultPublications',
    ).id;
  }

  async revoke(id: number, at: string, reason: string): Promise<void> {
    await writer(this.db)
      .update(resultPublications)
      .set({ revokedAt: at, revokedReason: reason })
      .where(eq(resultPublications.id, id));
  }
}
