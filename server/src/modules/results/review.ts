import { createHash } from 'node:crypto';
import type {
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
} from '@exam/shared';
import { type Actor, appendAudit, canonicalJson } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import type { AuthUser } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import type { ExamService } from '../exams/service.js';
import type { PublicationsRepo } from './publicationsRepo.js';
import { ReviewRepo } from './reviewRepo.js';
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

type RequestRow = Awaited<ReturnType<ReviewRepo['requests']>>[number];

/**
 * Phúc khảo (issue 13): requests recorded by the board within the exam's window, two reviewers who
 * did not enter the original marks, their marks typed twice, the mark that stands under the exam's
 * rule, and the results republished as a new version with a before/after report and both SHA-256s.
 * Every step is audited. Publication itself stays in ResultsService; this republishes from its
 * compute().
 */
export class ReviewService {
  private readonly repo: ReviewRepo;
  private readonly publications: PublicationsRepo;

  constructor(
    private readonly db: Db,
    private readonly results: ResultsService,
    private readonly exams: ExamService,
  ) {
    this.repo = new ReviewRepo(db);
    this.publications = results.repo.publications;
  }

  async settings(examId: number): Promise<ReviewSettingsDto> {
    const e = this.exams.examRow(examId);
    const s = await this.repo.settings(examId);
    const first = await this.publications.first(examId);
    const publishedOn = first ? vnDate(first.publishedAt) : null;
    return {
      settings: s,
      publishedOn,
      lastDay: s && publishedOn ? addDays(publishedOn, s.windowDays) : null,
      note: REVIEW_SETTINGS_NOTE,
      computerParts: computerPartsNote(e.profileId),
    };
  }

  async setSettings(user: AuthUser, examId: number, body: ReviewSettingsBody): Promise<ReviewSettingsDto> {
    this.exams.examRow(examId);
    await transaction(this.db, async () => {
      const before = await this.repo.settings(examId);
      await this.repo.saveSettings(examId, body, user.id);
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.review.settings',
        entity: 'exam',
        entityId: examId,
        before,
        after: body,
        detail: { ...body },
      });
    });
    return this.settings(examId);
  }

  private async dto(r: RequestRow): Promise<ReviewRequestDto> {
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
      marks: await this.repo.marks(r.id),
      original: r.original,
      review: r.review,
      final: r.final,
      republishedVersion: r.republishedVersion,
    };
  }

  async list(examId: number): Promise<ReviewRequestDto[]> {
    this.exams.examRow(examId);
    const out: ReviewRequestDto[] = [];
    for (const r of await this.repo.requests(examId)) out.push(await this.dto(r));
    return out;
  }

  async get(examId: number, id: number): Promise<ReviewRequestDto> {
    const r = (await this.repo.requests(examId, id))[0];
    if (!r) throw new AppError(404, 'REVIEW_NOT_FOUND', 'Không tìm thấy đơn phúc khảo', 'No such review request');
    return this.dto(r);
  }

  /** The board records a candidate's request, dated the day it was received. */
  async request(user: AuthUser, examId: number, body: ReviewRequestBody): Promise<ReviewRequestDto> {
    const e = this.exams.examRow(examId);
    const pub = await this.publications.active(examId);
    if (!pub)
      throw new AppError(
        409,
        'NOT_PUBLISHED',
        'Kết quả chưa công bố nên chưa nhận đơn phúc khảo',
        'Results are not published: no review requests yet',
      );
    const s = await this.repo.settings(examId);
    if (!s)
      throw new AppError(
        409,
        'REVIEW_SETTINGS_REQUIRED',
        'Hội đồng chưa quy định thời hạn nhận đơn và điểm được công nhận sau phúc khảo; hãy thiết lập trước khi nhận đơn',
        'Set the review window and mark rule first',
      );
    if (!validDate(body.requestedOn))
      throw new AppError(400, 'DATE_INVALID', 'Ngày nhận đơn không hợp lệ', 'The request date is not valid');
    const publishedOn = vnDate((await this.publications.first(examId))?.publishedAt ?? pub.publishedAt);
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
    const c = await this.repo.candidateByNumber(examId, body.number.trim().toUpperCase());
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
    const snap = await this.publications.snapshot(pub.id);
    const row = snap.positions.flatMap((p) => p.rows).find((r) => r.candidateId === c.id);
    const original = row?.parts.find((p) => p.partId === part.id)?.score ?? null;
    if (original === null)
      throw new AppError(
        409,
        'NOTHING_TO_REVIEW',
        'Thí sinh không có bài thi được chấm ở phần này (vắng thi hoặc không phải thi)',
        'No marked paper to review',
      );
    const note = body.note?.trim() || null;
    const id = await transaction(this.db, async () => {
      if (await this.repo.requestExists(c.id, part.id))
        throw new AppError(409, 'REVIEW_EXISTS', 'Thí sinh đã có đơn phúc khảo phần thi này', 'A request exists for this part');
      const newId = await this.repo.insertRequest({
        examId,
        candidateId: c.id,
        partId: part.id,
        requestedOn: body.requestedOn,
        note,
        publicationId: pub.id,
        original,
        createdBy: user.id,
      });
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.review.request',
        entity: 'candidate',
        entityId: c.id,
        after: { requestId: newId, partId: part.id, requestedOn: body.requestedOn, original },
        detail: { requestId: newId, number: c.number, part: part.name, requestedOn: body.requestedOn, lastDay, note },
      });
      return newId;
    });
    return this.get(examId, id);
  }

  /** Active board, chair and admin accounts, each saying whether it marked this paper (then it may not review it). */
  async reviewerOptions(examId: number, id: number): Promise<ReviewerOptionDto[]> {
    const r = await this.get(examId, id);
    const markers = await this.repo.markersOf(r.partId, r.candidateId);
    const staff = await this.repo.activeStaff(new Set(['board', 'chair', 'admin']));
    return staff.map((u) => ({ ...u, markedPaper: markers.has(u.id) }));
  }

  /** Two reviewers, neither of whom entered the original marks of this paper. */
  async assign(user: AuthUser, examId: number, id: number, body: ReviewAssignBody): Promise<ReviewRequestDto> {
    const r = await this.get(examId, id);
    if (r.status !== 'open' && r.status !== 'assigned')
      throw new AppError(409, 'REVIEW_MARKED', 'Đơn đã có điểm phúc khảo, không đổi người chấm được', 'Already marked');
    if (body.reviewer1 === body.reviewer2)
      throw new AppError(400, 'SAME_REVIEWER', 'Hai người chấm phúc khảo phải là hai người khác nhau', 'Two different reviewers');
    const markers = await this.repo.markersOf(r.partId, r.candidateId);
    for (const uid of [body.reviewer1, body.reviewer2]) {
      const u = await this.repo.user(uid);
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
    await transaction(this.db, async () => {
      await this.repo.assign(id, body.reviewer1, body.reviewer2);
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.review.assign',
        entity: 'candidate',
        entityId: r.candidateId,
        before: { reviewers: r.reviewers.map((x) => x.id) },
        after: { requestId: id, reviewers: [body.reviewer1, body.reviewer2] },
        detail: { requestId: id, reviewers: [body.reviewer1, body.reviewer2] },
      });
    });
    return this.get(examId, id);
  }

  /** One reviewer's mark, typed twice; when both are in, the mark that stands follows the exam's rule. */
  async enterMark(user: AuthUser, examId: number, id: number, body: ReviewMarkBody): Promise<ReviewRequestDto> {
    const r = await this.get(examId, id);
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
    const s = await this.repo.settings(examId);
    const score = round2(body.score);
    await transaction(this.db, async () => {
      const before = await this.repo.marks(id);
      await this.repo.saveMark(id, body.reviewer, score, user.id);
      const m = await this.repo.marks(id);
      let review: number | null = null;
      let final: number | null = null;
      if (m.reviewer1 !== null && m.reviewer2 !== null && r.original !== null) {
        review = round2((m.reviewer1 + m.reviewer2) / 2);
        final = s?.markRule === 'higher' ? Math.max(r.original, review) : review;
      }
      await this.repo.setOutcome(id, review, final);
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.review.mark',
        entity: 'candidate',
        entityId: r.candidateId,
        before: { score: body.reviewer === 1 ? before.reviewer1 : before.reviewer2 },
        after: { requestId: id, reviewer: body.reviewer, score, review, final },
        detail: { requestId: id, reviewer: body.reviewer, score, review, final, rule: s?.markRule ?? null },
      });
    });
    return this.get(examId, id);
  }

  /**
   * Republishes the results with the marks that stand after the reviewed requests: a new version
   * with its own SHA-256, the previous one kept (revoked) with its SHA-256, and a before/after report.
   */
  async republish(user: AuthUser, examId: number, reason: string): Promise<RepublicationReportDto> {
    const why = reason.trim();
    if (!why) throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do (căn cứ) công bố lại', 'A reason is required');
    const pub = await this.publications.active(examId);
    if (!pub) throw new AppError(409, 'NOT_PUBLISHED', 'Kết quả chưa công bố', 'Results are not published');
    const pending = await this.repo.pending(examId);
    if (pending.length === 0)
      throw new AppError(
        409,
        'NOTHING_TO_REPUBLISH',
        'Chưa có đơn phúc khảo nào đã chấm xong để công bố lại',
        'No reviewed request to republish',
      );
    const after = await this.results.compute(examId);
    if (after.blockers.length > 0)
      throw new AppError(
        409,
        'RESULTS_BLOCKED',
        `Chưa thể công bố lại: ${after.blockers.map((b) => b.message).join('; ')}`,
        'Results cannot be republished yet',
        { blockers: after.blockers },
      );
    const before = await this.publications.snapshot(pub.id);
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
      requestIds: pending,
      changes,
    };
    await transaction(this.db, async () => {
      // another request may have republished while this one computed
      if ((await this.publications.active(examId))?.id !== pub.id)
        throw new AppError(
          409,
          'RESULTS_PUBLISHED',
          'Kết quả vừa được công bố lại; hãy tải lại',
          'The results were just republished',
        );
      await this.publications.revoke(pub.id, at, `Phúc khảo: công bố lại thành phiên bản ${version} (${why})`);
      const newId = await this.publications.insert({
        examId,
        snapshot,
        sha256,
        publishedBy: user.id,
        publishedByName: user.username,
        publishedAt: at,
        republication: { version, previousSha256: pub.sha256, report },
      });
      await this.repo.markRepublished(pending, newId);
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
    });
    return report;
  }

  /** Every publication of the exam, newest first, with the SHA-256s and the republication reports. */
  async publicationList(examId: number): Promise<PublicationVersionDto[]> {
    this.exams.examRow(examId);
    return (await this.publications.list(examId)).map((p) => ({
      version: p.version,
      sha256: p.sha256,
      previousSha256: p.previousSha256,
      publishedAt: p.publishedAt,
      by: p.byName,
      revokedAt: p.revokedAt,
      revokedReason: p.revokedReason,
      report: p.report,
    }));
  }

  /** What the notice of one request's outcome needs. */
  async noticeData(examId: number, id: number) {
    const request = await this.get(examId, id);
    if (request.status !== 'republished')
      throw new AppError(
        409,
        'REVIEW_NOT_PUBLISHED',
        'Kết quả phúc khảo chưa được công bố lại nên chưa có thông báo',
        'The outcome is not republished yet',
      );
    const pubs = await this.publicationList(examId);
    const version = pubs.find((p) => p.version === request.republishedVersion);
    const e = this.exams.examRow(examId);
    const change = version?.report?.changes.find((c) => c.candidateId === request.candidateId) ?? null;
    const current = await this.publications.snapshotOfVersion(examId, request.republishedVersion ?? 0);
    const row = (current?.positions ?? []).flatMap((p) => p.rows).find((r) => r.candidateId === request.candidateId) ?? null;
    return {
      request,
      rule: (await this.repo.settings(examId))?.markRule ?? 'review',
      exam: { name: e.name, code: e.code, organisingBody: e.organisingBody },
      version: version ?? null,
      change,
      row,
    };
  }
}
