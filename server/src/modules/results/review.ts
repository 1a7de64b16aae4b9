import { createHash } from 'node:crypto';
import type {
  ExamResultsDto,
  PublicationVersionDto,
  RepublicationReportDto,
  ResultChangeDto,
  ReviewAssignBody,
  ReviewerOptionDto,
  ReviewMarkBody,
  ReviewRequestBody,
  ReviewRequestDto,
  ReviewSettingsBody,
  ReviewSettingsDto,
  ReviewStatus,
} from '@exam/shared';
import { eq } from 'drizzle-orm';
import { type Actor, appendAudit, canonicalJson } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import * as schema from '../../db/schema.js';
import type { AuthUser } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import { ExamService } from '../exams/service.js';
import type { ResultsService } from './service.js';

const actorOf = (u: AuthUser): Actor => ({ id: u.id, name: u.username });
const round2 = (x: number) => Math.round(x * 100) / 100;

/** YYYY-MM-DD in Vietnam time (UTC+7, no daylight saving) of an ISO instant. */
export function vnDate(iso: string): string {
  return new Date(Date.parse(iso) + 7 * 3600_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const validDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

export const REVIEW_SETTINGS_NOTE =
  'Thời hạn nhận đơn phúc khảo và điểm được công nhận sau phúc khảo chưa tìm thấy trong văn bản (NĐ 138/2020, TT 06/2020: NOT FOUND); Hội đồng thi quyết định cho từng kỳ thi.';

/** Why computer parts are not reviewed, under the exam's profile. */
export function computerPartsNote(profileId: string): string {
  if (profileId.startsWith('kiem-dinh'))
    return 'Bài thi trên máy tính không được phúc khảo: kết quả kiểm định được thông báo ngay sau buổi thi và không phúc khảo (NĐ 06/2023 Điều 9 k2).';
  if (profileId === 'nd138-2020' || profileId === 'nd116-2024')
    return 'Bài thi trên máy tính không được phúc khảo: kết quả vòng 1 thi trên máy được thông báo ngay sau khi thi và không phúc khảo (NĐ 138/2020 Điều 14–15).';
  return 'Bài thi trên máy tính được chấm tự động từ các câu trả lời đã lưu nên không chấm lại; văn bản áp dụng cho loại kỳ thi này không quy định phúc khảo bài thi trên máy (NOT FOUND). Sai sót đáp án được xử lý bằng điều chỉnh đáp án.';
}

interface RequestRow {
  id: number;
  candidateId: number;
  number: string;
  fullName: string;
  partId: number;
  partName: string;
  requestedOn: string;
  note: string | null;
  status: ReviewStatus;
  reviewer1: number | null;
  reviewer2: number | null;
  r1Name: string | null;
  r2Name: string | null;
  original: number | null;
  review: number | null;
  final: number | null;
  republishedVersion: number | null;
}

/**
 * Phúc khảo (issue 13): requests recorded by the board within the exam's window, two reviewers who
 * did not enter the original marks, their marks typed twice, the mark that stands under the exam's
 * rule, and the results republished as a new version with a before/after report and both SHA-256s.
 * Every step is audited. Publication itself stays in ResultsService; this republishes from its
 * compute().
 */
export class ReviewService {
  private readonly sqlite;
  private readonly exams: ExamService;

  constructor(
    private readonly db: Db,
    private readonly results: ResultsService,
  ) {
    this.sqlite = db.$client;
    this.exams = new ExamService(db);
  }

  private activePublication(examId: number) {
    return this.sqlite
      .prepare(
        `SELECT id, snapshot, sha256, version, published_at AS publishedAt FROM result_publications
          WHERE exam_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`,
      )
      .get(examId) as { id: number; snapshot: string; sha256: string; version: number; publishedAt: string } | undefined;
  }

  /** The first publication of the current results (the window runs from it). */
  private firstPublication(examId: number) {
    return this.sqlite
      .prepare(
        `SELECT published_at AS publishedAt FROM result_publications
          WHERE exam_id = ? AND version = 1 ORDER BY id DESC LIMIT 1`,
      )
      .get(examId) as { publishedAt: string } | undefined;
  }

  private settingsRow(examId: number): ReviewSettingsBody | null {
    const r = this.sqlite
      .prepare('SELECT window_days AS windowDays, mark_rule AS markRule FROM review_settings WHERE exam_id = ?')
      .get(examId) as { windowDays: number; markRule: string } | undefined;
    if (!r) return null;
    return { windowDays: r.windowDays, markRule: r.markRule === 'higher' ? 'higher' : 'review' };
  }

  settings(examId: number): ReviewSettingsDto {
    const e = this.exams.examRow(examId);
    const s = this.settingsRow(examId);
    const first = this.firstPublication(examId);
    const publishedOn = first ? vnDate(first.publishedAt) : null;
    return {
      settings: s,
      publishedOn,
      lastDay: s && publishedOn ? addDays(publishedOn, s.windowDays) : null,
      note: REVIEW_SETTINGS_NOTE,
      computerParts: computerPartsNote(e.profileId),
    };
  }

  setSettings(user: AuthUser, examId: number, body: ReviewSettingsBody): ReviewSettingsDto {
    this.exams.examRow(examId);
    const before = this.settingsRow(examId);
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare(
          `INSERT INTO review_settings (exam_id, window_days, mark_rule, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (exam_id) DO UPDATE SET window_days = excluded.window_days, mark_rule = excluded.mark_rule,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        )
        .run(examId, body.windowDays, body.markRule, user.id, new Date().toISOString());
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.review.settings',
        entity: 'exam',
        entityId: examId,
        before,
        after: body,
        detail: { ...body },
      });
    })();
    return this.settings(examId);
  }

  private rows(examId: number, id?: number): RequestRow[] {
    return this.sqlite
      .prepare(
        `SELECT q.id, q.candidate_id AS candidateId, c.number, c.full_name AS fullName, q.part_id AS partId, p.name AS partName,
                q.requested_on AS requestedOn, q.note, q.status, q.reviewer1, q.reviewer2,
                u1.full_name AS r1Name, u2.full_name AS r2Name, q.original, q.review, q.final,
                (SELECT version FROM result_publications WHERE id = q.republication_id) AS republishedVersion
           FROM review_requests q JOIN candidates c ON c.id = q.candidate_id JOIN exam_parts p ON p.id = q.part_id
           LEFT JOIN users u1 ON u1.id = q.reviewer1 LEFT JOIN users u2 ON u2.id = q.reviewer2
          WHERE q.exam_id = ? ${id === undefined ? '' : 'AND q.id = ?'} ORDER BY q.id`,
      )
      .all(...(id === undefined ? [examId] : [examId, id])) as RequestRow[];
  }

  private marksOf(requestId: number): { reviewer1: number | null; reviewer2: number | null } {
    const rows = this.sqlite.prepare('SELECT reviewer, score FROM review_marks WHERE request_id = ?').all(requestId) as {
      reviewer: number;
      score: number;
    }[];
    return {
      reviewer1: rows.find((r) => r.reviewer === 1)?.score ?? null,
      reviewer2: rows.find((r) => r.reviewer === 2)?.score ?? null,
    };
  }

  private dto(r: RequestRow): ReviewRequestDto {
    const reviewers: { id: number; name: string }[] = [];
    if (r.reviewer1 !== null) reviewers.push({ id: r.reviewer1, name: r.r1Name ?? '' });
    if (r.reviewer2 !== null) reviewers.push({ id: r.reviewer2, name: r.r2Name ?? '' });
    return {
      id: r.id,
      candidateId: r.candidateId,
      number: r.number,
      fullName: r.fullName,
      partId: r.partId,
      partName: r.partName,
      requestedOn: r.requestedOn,
      note: r.note,
      status: r.status,
      reviewers,
      marks: this.marksOf(r.id),
      original: r.original,
      review: r.review,
      final: r.final,
      republishedVersion: r.republishedVersion,
    };
  }

  list(examId: number): ReviewRequestDto[] {
    this.exams.examRow(examId);
    return this.rows(examId).map((r) => this.dto(r));
  }

  get(examId: number, id: number): ReviewRequestDto {
    const r = this.rows(examId, id)[0];
    if (!r) throw new AppError(404, 'REVIEW_NOT_FOUND', 'Không tìm thấy đơn phúc khảo', 'No such review request');
    return this.dto(r);
  }

  /** The board records a candidate's request, dated the day it was received. */
  request(user: AuthUser, examId: number, body: ReviewRequestBody): ReviewRequestDto {
    const e = this.exams.examRow(examId);
    const pub = this.activePublication(examId);
    if (!pub)
      throw new AppError(
        409,
        'NOT_PUBLISHED',
        'Kết quả chưa công bố nên chưa nhận đơn phúc khảo',
        'Results are not published: no review requests yet',
      );
    const s = this.settingsRow(examId);
    if (!s)
      throw new AppError(
        409,
        'REVIEW_SETTINGS_REQUIRED',
        'Hội đồng chưa quy định thời hạn nhận đơn và điểm được công nhận sau phúc khảo; hãy thiết lập trước khi nhận đơn',
        'Set the review window and mark rule first',
      );
    if (!validDate(body.requestedOn))
      throw new AppError(400, 'DATE_INVALID', 'Ngày nhận đơn không hợp lệ', 'The request date is not valid');
    const publishedOn = vnDate(this.firstPublication(examId)?.publishedAt ?? pub.publishedAt);
    const lastDay = addDays(publishedOn, s.windowDays);
    const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
    if (body.requestedOn < publishedOn)
      throw new AppError(
        400,
        'REVIEW_BEFORE_PUBLICATION',
        `Ngày nhận đơn ${dmy(body.requestedOn)} trước ngày công bố kết quả ${dmy(publishedOn)}`,
        'The request date is before the publication',
      );
    if (body.requestedOn > lastDay)
      throw new AppError(
        409,
        'REVIEW_LATE',
        `Đơn phúc khảo nhận ngày ${dmy(body.requestedOn)} đã quá thời hạn ${s.windowDays} ngày kể từ ngày công bố kết quả (${dmy(publishedOn)}); hạn cuối là ngày ${dmy(lastDay)}`,
        `The request is late: the window of ${s.windowDays} days ended on ${lastDay}`,
        { publishedOn, lastDay, windowDays: s.windowDays },
      );
    const c = this.sqlite
      .prepare('SELECT id, number FROM candidates WHERE exam_id = ? AND number = ?')
      .get(examId, body.number.trim().toUpperCase()) as { id: number; number: string } | undefined;
    if (!c)
      throw new AppError(
        404,
        'CANDIDATE_NOT_FOUND',
        `Không có thí sinh số báo danh ${body.number} trong kỳ thi`,
        'No such candidate',
      );
    const part = this.exams.parts(examId).find((p) => p.id === body.partId);
    if (!part) throw new AppError(404, 'PART_NOT_FOUND', 'Không tìm thấy phần thi', 'No such part');
    if (part.mode === 'computer_mc')
      throw new AppError(400, 'REVIEW_COMPUTER_PART', computerPartsNote(e.profileId), 'Computer parts are not reviewed');
    const snap = JSON.parse(pub.snapshot) as ExamResultsDto;
    const row = snap.positions.flatMap((p) => p.rows).find((r) => r.candidateId === c.id);
    const original = row?.parts.find((p) => p.partId === part.id)?.score ?? null;
    if (original === null)
      throw new AppError(
        409,
        'NOTHING_TO_REVIEW',
        'Thí sinh không có bài thi được chấm ở phần này (vắng thi hoặc không phải thi)',
        'No marked paper to review',
      );
    if (this.sqlite.prepare('SELECT 1 FROM review_requests WHERE candidate_id = ? AND part_id = ?').get(c.id, part.id))
      throw new AppError(409, 'REVIEW_EXISTS', 'Thí sinh đã có đơn phúc khảo phần thi này', 'A request exists for this part');
    const note = body.note?.trim() || null;
    const id = this.sqlite.transaction(() => {
      const newId = Number(
        this.sqlite
          .prepare(
            `INSERT INTO review_requests (exam_id, candidate_id, part_id, requested_on, note, publication_id, original, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(examId, c.id, part.id, body.requestedOn, note, pub.id, original, user.id).lastInsertRowid,
      );
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.review.request',
        entity: 'candidate',
        entityId: c.id,
        after: { requestId: newId, partId: part.id, requestedOn: body.requestedOn, original },
        detail: { requestId: newId, number: c.number, part: part.name, requestedOn: body.requestedOn, lastDay, note },
      });
      return newId;
    })();
    return this.get(examId, id);
  }

  /** The users who entered a mark of this request's paper. */
  private markersOf(r: ReviewRequestDto): Set<number> {
    return new Set(
      (
        this.sqlite
          .prepare(
            'SELECT DISTINCT entered_by AS id FROM part_marks WHERE part_id = ? AND candidate_id = ? AND entered_by IS NOT NULL',
          )
          .all(r.partId, r.candidateId) as { id: number }[]
      ).map((x) => x.id),
    );
  }

  /** Active board, chair and admin accounts, each saying whether it marked this paper (then it may not review it). */
  reviewerOptions(examId: number, id: number): ReviewerOptionDto[] {
    const r = this.get(examId, id);
    const markers = this.markersOf(r);
    const staff = new Set(['board', 'chair', 'admin']);
    const users = this.db
      .select({
        id: schema.users.id,
        username: schema.users.username,
        fullName: schema.users.fullName,
        roles: schema.users.roles,
      })
      .from(schema.users)
      .where(eq(schema.users.active, true))
      .orderBy(schema.users.fullName)
      .all();
    return users
      .filter((u) => {
        const roles: unknown = JSON.parse(u.roles);
        return Array.isArray(roles) && roles.some((x) => typeof x === 'string' && staff.has(x));
      })
      .map((u) => ({ id: u.id, username: u.username, fullName: u.fullName, markedPaper: markers.has(u.id) }));
  }

  /** Two reviewers, neither of whom entered the original marks of this paper. */
  assign(user: AuthUser, examId: number, id: number, body: ReviewAssignBody): ReviewRequestDto {
    const r = this.get(examId, id);
    if (r.status !== 'open' && r.status !== 'assigned')
      throw new AppError(409, 'REVIEW_MARKED', 'Đơn đã có điểm phúc khảo, không đổi người chấm được', 'Already marked');
    if (body.reviewer1 === body.reviewer2)
      throw new AppError(400, 'SAME_REVIEWER', 'Hai người chấm phúc khảo phải là hai người khác nhau', 'Two different reviewers');
    const markers = this.markersOf(r);
    for (const uid of [body.reviewer1, body.reviewer2]) {
      const u = this.sqlite.prepare('SELECT id, full_name AS name, active FROM users WHERE id = ?').get(uid) as
        | { id: number; name: string; active: number }
        | undefined;
      if (!u?.active)
        throw new AppError(400, 'REVIEWER_UNKNOWN', `Không có tài khoản đang hoạt động số ${uid}`, 'No such active user');
      if (markers.has(uid))
        throw new AppError(
          400,
          'REVIEWER_WAS_MARKER',
          `${u.name} đã chấm (nhập điểm) bài này nên không được chấm phúc khảo`,
          'A reviewer may not have marked the paper',
        );
    }
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare("UPDATE review_requests SET reviewer1 = ?, reviewer2 = ?, status = 'assigned' WHERE id = ?")
        .run(body.reviewer1, body.reviewer2, id);
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.review.assign',
        entity: 'candidate',
        entityId: r.candidateId,
        before: { reviewers: r.reviewers.map((x) => x.id) },
        after: { requestId: id, reviewers: [body.reviewer1, body.reviewer2] },
        detail: { requestId: id, reviewers: [body.reviewer1, body.reviewer2] },
      });
    })();
    return this.get(examId, id);
  }

  /** One reviewer's mark, typed twice; when both are in, the mark that stands follows the exam's rule. */
  enterMark(user: AuthUser, examId: number, id: number, body: ReviewMarkBody): ReviewRequestDto {
    const r = this.get(examId, id);
    if (r.status === 'open')
      throw new AppError(409, 'REVIEWERS_REQUIRED', 'Hãy phân công hai người chấm phúc khảo trước', 'Assign the reviewers first');
    if (r.status === 'republished')
      throw new AppError(409, 'REVIEW_CLOSED', 'Kết quả phúc khảo đã được công bố', 'The outcome is published');
    if (body.score !== body.scoreAgain)
      throw new AppError(
        400,
        'MISMATCH',
        `Hai lần nhập điểm không khớp (${body.score} và ${body.scoreAgain}); chưa lưu`,
        'The two entries differ',
      );
    const part = this.exams.parts(examId).find((p) => p.id === r.partId);
    const scale = part?.scoreScale ?? 0;
    if (!Number.isFinite(body.score) || body.score < 0 || body.score > scale)
      throw new AppError(400, 'OUT_OF_RANGE', `Điểm phải từ 0 đến ${scale}`, 'Score out of range');
    const s = this.settingsRow(examId);
    const score = round2(body.score);
    this.sqlite.transaction(() => {
      const before = this.marksOf(id);
      this.sqlite
        .prepare(
          `INSERT INTO review_marks (request_id, reviewer, score, entered_by, entered_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (request_id, reviewer) DO UPDATE SET score = excluded.score, entered_by = excluded.entered_by,
             entered_at = excluded.entered_at`,
        )
        .run(id, body.reviewer, score, user.id, new Date().toISOString());
      const m = this.marksOf(id);
      let review: number | null = null;
      let final: number | null = null;
      if (m.reviewer1 !== null && m.reviewer2 !== null && r.original !== null) {
        review = round2((m.reviewer1 + m.reviewer2) / 2);
        final = s?.markRule === 'higher' ? Math.max(r.original, review) : review;
      }
      this.sqlite
        .prepare('UPDATE review_requests SET review = ?, final = ?, status = ? WHERE id = ?')
        .run(review, final, final === null ? 'assigned' : 'marked', id);
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.review.mark',
        entity: 'candidate',
        entityId: r.candidateId,
        before: { score: body.reviewer === 1 ? before.reviewer1 : before.reviewer2 },
        after: { requestId: id, reviewer: body.reviewer, score, review, final },
        detail: { requestId: id, reviewer: body.reviewer, score, review, final, rule: s?.markRule ?? null },
      });
    })();
    return this.get(examId, id);
  }

  /**
   * Republishes the results with the marks that stand after the reviewed requests: a new version
   * with its own SHA-256, the previous one kept (revoked) with its SHA-256, and a before/after report.
   */
  republish(user: AuthUser, examId: number, reason: string): RepublicationReportDto {
    const why = reason.trim();
    if (!why) throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do (căn cứ) công bố lại', 'A reason is required');
    const pub = this.activePublication(examId);
    if (!pub) throw new AppError(409, 'NOT_PUBLISHED', 'Kết quả chưa công bố', 'Results are not published');
    const pending = this.sqlite
      .prepare("SELECT id FROM review_requests WHERE exam_id = ? AND status = 'marked' AND republication_id IS NULL")
      .all(examId) as { id: number }[];
    if (pending.length === 0)
      throw new AppError(
        409,
        'NOTHING_TO_REPUBLISH',
        'Chưa có đơn phúc khảo nào đã chấm xong để công bố lại',
        'No reviewed request to republish',
      );
    const after = this.results.compute(examId);
    if (after.blockers.length > 0)
      throw new AppError(
        409,
        'RESULTS_BLOCKED',
        `Chưa thể công bố lại: ${after.blockers.map((b) => b.message).join('; ')}`,
        'Results cannot be republished yet',
        { blockers: after.blockers },
      );
    const before = JSON.parse(pub.snapshot) as ExamResultsDto;
    const changes: ResultChangeDto[] = [];
    for (const pos of after.positions)
      for (const row of pos.rows) {
        const old = before.positions.flatMap((p) => p.rows).find((x) => x.candidateId === row.candidateId);
        const b = old
          ? { total: old.total, rank: old.rank, selected: old.selected, status: old.status }
          : { total: null, rank: null, selected: false, status: 'failed' as const };
        const a = { total: row.total, rank: row.rank, selected: row.selected, status: row.status };
        if (b.total !== a.total || b.rank !== a.rank || b.selected !== a.selected || b.status !== a.status)
          changes.push({
            candidateId: row.candidateId,
            number: row.number,
            fullName: row.fullName,
            positionCode: pos.code,
            before: b,
            after: a,
          });
      }
    changes.sort((x, y) => x.number.localeCompare(y.number, 'vi', { numeric: true }));
    const snapshot = canonicalJson(after);
    const sha256 = createHash('sha256').update(snapshot).digest('hex');
    const at = new Date().toISOString();
    const version = pub.version + 1;
    const report: RepublicationReportDto = {
      version,
      reason: why,
      previousSha256: pub.sha256,
      sha256,
      publishedAt: at,
      requestIds: pending.map((p) => p.id),
      changes,
    };
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare('UPDATE result_publications SET revoked_at = ?, revoked_reason = ? WHERE id = ?')
        .run(at, `Phúc khảo: công bố lại thành phiên bản ${version} (${why})`, pub.id);
      const newId = Number(
        this.sqlite
          .prepare(
            `INSERT INTO result_publications (exam_id, snapshot, sha256, published_by, published_by_name, published_at, version, previous_sha256, report)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(examId, snapshot, sha256, user.id, user.username, at, version, pub.sha256, JSON.stringify(report)).lastInsertRowid,
      );
      const mark = this.sqlite.prepare("UPDATE review_requests SET status = 'republished', republication_id = ? WHERE id = ?");
      for (const p of pending) mark.run(newId, p.id);
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.review.republish',
        entity: 'exam',
        entityId: examId,
        before: { sha256: pub.sha256, version: pub.version },
        after: { sha256, version },
        detail: {
          reason: why,
          previousSha256: pub.sha256,
          sha256,
          version,
          requests: report.requestIds,
          changed: changes.length,
        },
      });
    })();
    return report;
  }

  /** Every publication of the exam, newest first, with the SHA-256s and the republication reports. */
  publications(examId: number): PublicationVersionDto[] {
    this.exams.examRow(examId);
    return (
      this.sqlite
        .prepare(
          `SELECT version, sha256, previous_sha256 AS previousSha256, published_at AS publishedAt, published_by_name AS byName,
                  revoked_at AS revokedAt, revoked_reason AS revokedReason, report
             FROM result_publications WHERE exam_id = ? ORDER BY id DESC`,
        )
        .all(examId) as {
        version: number;
        sha256: string;
        previousSha256: string | null;
        publishedAt: string;
        byName: string;
        revokedAt: string | null;
        revokedReason: string | null;
        report: string | null;
      }[]
    ).map((p) => ({
      version: p.version,
      sha256: p.sha256,
      previousSha256: p.previousSha256,
      publishedAt: p.publishedAt,
      by: p.byName,
      revokedAt: p.revokedAt,
      revokedReason: p.revokedReason,
      report: p.report ? (JSON.parse(p.report) as RepublicationReportDto) : null,
    }));
  }

  /** What the notice of one request's outcome needs. */
  noticeData(examId: number, id: number) {
    const request = this.get(examId, id);
    if (request.status !== 'republished')
      throw new AppError(
        409,
        'REVIEW_NOT_PUBLISHED',
        'Kết quả phúc khảo chưa được công bố lại nên chưa có thông báo',
        'The outcome is not republished yet',
      );
    const pubs = this.publications(examId);
    const version = pubs.find((p) => p.version === request.republishedVersion);
    const e = this.exams.examRow(examId);
    const change = version?.report?.changes.find((c) => c.candidateId === request.candidateId) ?? null;
    const current = JSON.parse(
      (
        this.sqlite
          .prepare('SELECT snapshot FROM result_publications WHERE exam_id = ? AND version = ? ORDER BY id DESC LIMIT 1')
          .get(examId, request.republishedVersion ?? 0) as { snapshot: string } | undefined
      )?.snapshot ?? '{"positions":[]}',
    ) as Pick<ExamResultsDto, 'positions'>;
    const row = current.positions.flatMap((p) => p.rows).find((r) => r.candidateId === request.candidateId) ?? null;
    return {
      request,
      rule: this.settingsRow(examId)?.markRule ?? 'review',
      exam: { name: e.name, code: e.code, organisingBody: e.organisingBody },
      version: version ?? null,
      change,
      row,
    };
  }
}
