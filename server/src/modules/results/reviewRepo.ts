import { REVIEW_STATUSES, type ReviewSettingsBody, type ReviewStatus } from '@exam/shared';
import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/connection.js';
import { CorruptColumnError } from '../../db/json.js';
import {
  candidates,
  examParts,
  partMarks,
  resultPublications,
  reviewMarks,
  reviewRequests,
  reviewSettings,
  users,
} from '../../db/schema.js';
import { insertedRow, q, writer } from '../../db/tx.js';
import { rolesColumn } from '../users/repo.js';

const isReviewStatus = (v: string): v is ReviewStatus => REVIEW_STATUSES.some((s) => s === v);
const reviewer1 = alias(users, 'u1');
const reviewer2 = alias(users, 'u2');
const republication = alias(resultPublications, 'rp');

/** The SQL of phúc khảo (issue 13): settings, requests, reviewers and their marks. Writes run inside transaction(). */
export class ReviewRepo {
  constructor(private readonly db: Db) {}

  async settings(examId: number): Promise<ReviewSettingsBody | null> {
    const r = (
      await q(this.db)
        .select({ windowDays: reviewSettings.windowDays, markRule: reviewSettings.markRule })
        .from(reviewSettings)
        .where(eq(reviewSettings.examId, examId))
        .limit(1)
    )[0];
    if (!r) return null;
    return { windowDays: r.windowDays, markRule: r.markRule === 'higher' ? 'higher' : 'review' };
  }

  async saveSettings(examId: number, body: ReviewSettingsBody, userId: number): Promise<void> {
    const set = { windowDays: body.windowDays, markRule: body.markRule, updatedBy: userId, updatedAt: new Date().toISOString() };
    await writer(this.db)
      .insert(reviewSettings)
      .values({ examId, ...set })
      .onConflictDoUpdate({ target: reviewSettings.examId, set });
  }

  /** The exam's requests (or one of them), with candidate, part, reviewers and the version that republished it. */
  async requests(examId: number, id?: number) {
    const rows = await q(this.db)
      .select({
        id: reviewRequests.id,
        candidateId: reviewRequests.candidateId,
        number: candidates.number,
        fullName: candidates.fullName,
        partId: reviewRequests.partId,
        partName: examParts.name,
        requestedOn: reviewRequests.requestedOn,
        note: reviewRequests.note,
        status: reviewRequests.status,
        reviewer1: reviewRequests.reviewer1,
        reviewer2: reviewRequests.reviewer2,
        r1Name: reviewer1.fullName,
        r2Name: reviewer2.fullName,
        original: reviewRequests.original,
        review: reviewRequests.review,
        final: reviewRequests.final,
        republishedVersion: republication.version,
      })
      .from(reviewRequests)
      .innerJoin(candidates, eq(candidates.id, reviewRequests.candidateId))
      .innerJoin(examParts, eq(examParts.id, reviewRequests.partId))
      .leftJoin(reviewer1, eq(reviewer1.id, reviewRequests.reviewer1))
      .leftJoin(reviewer2, eq(reviewer2.id, reviewRequests.reviewer2))
      .leftJoin(republication, eq(republication.id, reviewRequests.republicationId))
      .where(
        id === undefined ? eq(reviewRequests.examId, examId) : and(eq(reviewRequests.examId, examId), eq(reviewRequests.id, id)),
      )
      .orderBy(asc(reviewRequests.id));
    return rows.map((r) => {
      const status = r.status;
      if (!isReviewStatus(status)) throw new CorruptColumnError('review_requests.status', status);
      return { ...r, status };
    });
  }

  /** The reviewers' marks of a request (1 and 2). */
  async marks(requestId: number): Promise<{ reviewer1: number | null; reviewer2: number | null }> {
    const rows = await q(this.db)
      .select({ reviewer: reviewMarks.reviewer, score: reviewMarks.score })
      .from(reviewMarks)
      .where(eq(reviewMarks.requestId, requestId));
    return {
      reviewer1: rows.find((r) => r.reviewer === 1)?.score ?? null,
      reviewer2: rows.find((r) => r.reviewer === 2)?.score ?? null,
    };
  }

  /** The users who entered a mark of this paper. */
  async markersOf(partId: number, candidateId: number): Promise<Set<number>> {
    const rows = await q(this.db)
      .selectDistinct({ id: partMarks.enteredBy })
      .from(partMarks)
      .where(and(eq(partMarks.partId, partId), eq(partMarks.candidateId, candidateId), isNotNull(partMarks.enteredBy)));
    const out = new Set<number>();
    for (const r of rows) if (r.id !== null) out.add(r.id);
    return out;
  }

  /** Active accounts holding one of the roles, by full name. */
  async activeStaff(roles: ReadonlySet<string>) {
    const rows = await q(this.db)
      .select({ id: users.id, username: users.username, fullName: users.fullName, roles: users.roles })
      .from(users)
      .where(eq(users.active, true))
      .orderBy(asc(users.fullName));
    return rows
      .filter((u) => rolesColumn.parse(u.roles).some((r) => roles.has(r)))
      .map((u) => ({ id: u.id, username: u.username, fullName: u.fullName }));
  }

  async user(id: number) {
    return (
      await q(this.db)
        .select({ id: users.id, name: users.fullName, active: users.active })
        .from(users)
        .where(eq(users.id, id))
        .limit(1)
    )[0];
  }

  async candidateByNumber(examId: number, number: string) {
    return (
      await q(this.db)
        .select({ id: candidates.id, number: candidates.number })
        .from(candidates)
        .where(and(eq(candidates.examId, examId), eq(candidates.number, number)))
        .limit(1)
    )[0];
  }

  async requestExists(candidateId: number, partId: number): Promise<boolean> {
    return !!(
      await q(this.db)
        .select({ id: reviewRequests.id })
        .from(reviewRequests)
        .where(and(eq(reviewRequests.candidateId, candidateId), eq(reviewRequests.partId, partId)))
        .limit(1)
    )[0];
  }

  async insertRequest(r: {
    examId: number;
    candidateId: number;
    partId: number;
    requestedOn: string;
    note: string | null;
    publicationId: number;
    original: number;
    createdBy: number;
  }): Promise<number> {
    return insertedRow(
      await writer(this.db).insert(reviewRequests).values(r).returning({ id: reviewRequests.id }),
      'reviewRequests',
    ).id;
  }

  async assign(id: number, r1: number, r2: number): Promise<void> {
    await writer(this.db)
      .update(reviewRequests)
      .set({ reviewer1: r1, reviewer2: r2, status: 'assigned' })
      .where(eq(reviewRequests.id, id));
  }

  async saveMark(requestId: number, reviewer: number, score: number, userId: number): Promise<void> {
    const set = { score, enteredBy: userId, enteredAt: new Date().toISOString() };
    await writer(this.db)
      .insert(reviewMarks)
      .values({ requestId, reviewer, ...set })
      .onConflictDoUpdate({ target: [reviewMarks.requestId, reviewMarks.reviewer], set });
  }

  async setOutcome(id: number, review: number | null, final: number | null): Promise<void> {
    await writer(this.db)
      .update(reviewRequests)
      .set({ review, final, status: final === null ? 'assigned' : 'marked' })
      .where(eq(reviewRequests.id, id));
  }

  /** Requests marked and not yet republished. */
  async pending(examId: number): Promise<number[]> {
    return (
      await q(this.db)
        .select({ id: reviewRequests.id })
        .from(reviewRequests)
        .where(
          and(eq(reviewRequests.examId, examId), eq(reviewRequests.status, 'marked'), isNull(reviewRequests.republicationId)),
        )
    ).map((r) => r.id);
  }

  async markRepublished(ids: number[], publicationId: number): Promise<void> {
    if (ids.length === 0) return;
    await writer(this.db)
      .update(reviewRequests)
      .set({ status: 'republished', republicationId: publicationId })
      .where(inArray(reviewRequests.id, ids));
  }
}
