import { createHash } from 'node:crypto';
import {
  type CandidateMarksDto,
  DEFAULT_MARKING_RULE,
  EXAM_PHASE_OF,
  type ExamLifecycleDto,
  type ExamPartDto,
  type ExamResultsDto,
  type KeyCorrectionBody,
  type KeyCorrectionDto,
  type KeyCorrectionReport,
  type MarkingRuleBody,
  type MarkingRuleDto,
  type ResultLookupDto,
  type ScoreEntryBody,
  type ScoreEntryIssue,
  type ScoreEntryReport,
  type StepDto,
  type TieDecisionBody,
} from '@exam/shared';
import { type Actor, appendAudit, canonicalJson } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import type { AuthUser } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import { SignInLockout } from '../delivery/signinLock.js';
import { pinMatches } from '../exams/candidates.js';
import type { EligibilityService } from '../exams/eligibility.js';
import type { ExamService } from '../exams/service.js';
import { sittingRooms, sittingStateOf } from '../lifecycle/state.js';
import { computeResults } from './compute.js';
import { headDecisionRef } from './headDecision.js';
import { correctKey, listCorrections } from './keyCorrection.js';
import { groupMarks, markDto } from './marks.js';
import { ResultsRepo } from './repo.js';

export { combineMarks } from './marks.js';

const actorOf = (u: AuthUser): Actor => ({ id: u.id, name: u.username });
const round2 = (x: number) => Math.round(x * 100) / 100;

const published = () =>
  new AppError(
    409,
    'RESULTS_PUBLISHED',
    'Kết quả đã công bố nên không thể thay đổi (chỉ điều chỉnh đáp án mới mở lại kết quả)',
    'Results are published and frozen',
  );

/**
 * Scores, ranking and results of an exam: marks of the parts not sat on computer, key corrections
 * with re-scoring (keyCorrection.ts), the ranking per position under the profile (compute.ts), tie
 * decisions, publication (a frozen snapshot) and the candidate's lookup. Registered once as
 * `app.results` (plugin.ts); its SQL is in repo.ts and publicationsRepo.ts.
 */
export class ResultsService {
  readonly repo: ResultsRepo;

  constructor(
    private readonly db: Db,
    private readonly exams: ExamService,
    private readonly eligibility: EligibilityService,
  ) {
    this.repo = new ResultsRepo(db);
  }

  // ---------- publication state ----------

  private async assertOpen(examId: number): Promise<void> {
    if (await this.repo.publications.active(examId)) throw published();
  }

  /** Marks and publication need an exam that is past its set-up (ready, running or marking). */
  private assertMarking(examId: number): void {
    const status = this.exams.examRow(examId).status;
    if (status === 'draft')
      throw new AppError(
        409,
        'EXAM_NOT_READY',
        'Kỳ thi đang ở bước thiết lập; chưa thể nhập điểm hay công bố kết quả',
        'The exam is still being set up',
      );
  }

  /**
   * Candidates who may not be marked in `round`: they did not sit, or did not pass, a part of an
   * earlier round that the profile makes a condition (a condition part, or a counted part with a
   * pass rule). Keyed by candidate id, with the reason.
   */
  private async earlierRoundFailures(examId: number, round: number): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (round <= 1) return out;
    for (const pos of (await this.compute(examId)).positions) {
      for (const row of pos.rows) {
        const bad = row.parts.find(
          (p) =>
            p.round < round &&
            (p.status === 'absent' || p.status === 'failed' || p.status === 'barred' || p.status === 'cancelled'),
        );
        if (!bad) continue;
        out.set(
          row.candidateId,
          bad.status === 'absent'
            ? `Thí sinh không dự thi phần "${bad.name}" (vòng ${bad.round})`
            : `Thí sinh không đạt phần "${bad.name}" (vòng ${bad.round})`,
        );
      }
    }
    return out;
  }

  // ---------- marking ----------

  private manualParts(examId: number): ExamPartDto[] {
    return this.exams.parts(examId).filter((p) => p.mode !== 'computer_mc');
  }

  private async rule(partId: number): Promise<MarkingRuleBody> {
    return (await this.repo.markingRule(partId)) ?? DEFAULT_MARKING_RULE;
  }

  async markingRules(examId: number): Promise<MarkingRuleDto[]> {
    const out: MarkingRuleDto[] = [];
    for (const p of this.manualParts(examId)) out.push({ partId: p.id, ...(await this.rule(p.id)) });
    return out;
  }

  async setMarkingRule(user: AuthUser, examId: number, partId: number, body: MarkingRuleBody): Promise<MarkingRuleDto> {
    await this.assertOpen(examId);
    const part = this.manualParts(examId).find((p) => p.id === partId);
    if (!part)
      throw new AppError(400, 'PART_NOT_MANUAL', 'Phần thi này chấm tự động trên máy tính', 'The part is scored on computer');
    await transaction(this.db, async () => {
      await this.assertOpen(examId);
      const before = await this.rule(partId);
      await this.repo.saveMarkingRule(partId, body);
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.marking_rule',
        entity: 'exam_part',
        entityId: partId,
        before,
        after: body,
      });
    });
    return { partId, ...body };
  }

  /** A part's marks for every candidate of the exam, for the entry screens. */
  async marks(examId: number, partId: number): Promise<CandidateMarksDto[]> {
    const part = this.manualParts(examId).find((p) => p.id === partId);
    if (!part) throw new AppError(404, 'PART_NOT_FOUND', 'Không tìm thấy phần thi chấm tay', 'No such manually marked part');
    const rule = await this.rule(partId);
    const marks = groupMarks(await this.repo.marks(examId));
    return (await this.repo.candidatesForMarking(examId)).map((c) => ({
      ...c,
      marks: markDto(rule, marks.get(`${partId}:${c.candidateId}`)),
    }));
  }

  /** One marker's batch of scores, typed twice; all-or-nothing with a row-level report. */
  async enterScores(user: AuthUser, examId: number, body: ScoreEntryBody): Promise<ScoreEntryReport> {
    await this.assertOpen(examId);
    this.assertMarking(examId);
    const part = this.manualParts(examId).find((p) => p.id === body.partId);
    if (!part)
      throw new AppError(400, 'PART_NOT_MANUAL', 'Phần thi này chấm tự động trên máy tính', 'The part is scored on computer');
    if (body.overridePreviousRound && !body.reason?.trim())
      throw new AppError(
        400,
        'REASON_REQUIRED',
        'Phải ghi lý do khi hội đồng cho nhập điểm thí sinh không đủ điều kiện vòng trước',
        'A reason is required to override the earlier round',
      );
    const earlier = await this.earlierRoundFailures(examId, part.round);
    const overridden: number[] = [];
    const rule = await this.rule(part.id);
    if (body.marker === 2 && rule.markers === 1)
      throw new AppError(400, 'ONE_MARKER', 'Phần thi này chỉ có một người chấm', 'This part has one marker');
    const reason = body.reason?.trim() ?? '';
    if (body.marker === 0 && !reason)
      throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do khi hội đồng quyết định điểm', 'A reason is required');
    const ids = new Map((await this.repo.candidateNumbers(examId)).map((r) => [r.number.toUpperCase(), r.id]));
    const current = groupMarks(await this.repo.marks(examId));
    const issues: ScoreEntryIssue[] = [];
    const seen = new Set<string>();
    const valid: { candidateId: number; score: number | null; number: string }[] = [];
    /** false when the row has an issue (recorded) */
    const check = (r: ScoreEntryBody['rows'][number], i: number): boolean => {
      const row = i + 1;
      const number = r.number.trim().toUpperCase();
      const issue = (code: ScoreEntryIssue['code'], message: string): boolean => {
        issues.push({ row, number: r.number, code, message });
        return false;
      };
      const id = ids.get(number);
      if (id === undefined) return issue('UNKNOWN_CANDIDATE', `Không có thí sinh số báo danh ${r.number} trong kỳ thi`);
      if (seen.has(number)) return issue('DUPLICATE', `Số báo danh ${r.number} xuất hiện hai lần trong bảng nhập`);
      seen.add(number);
      if (r.score !== r.scoreAgain)
        return issue('MISMATCH', `Hai lần nhập điểm không khớp (${r.score ?? 'vắng'} và ${r.scoreAgain ?? 'vắng'})`);
      if (r.score !== null && !Number.isFinite(r.score)) return issue('NOT_A_NUMBER', 'Điểm phải là một số');
      if (r.score !== null && (r.score < 0 || r.score > part.scoreScale))
        return issue('OUT_OF_RANGE', `Điểm phải từ 0 đến ${part.scoreScale}`);
      if (body.marker === 0 && markDto(rule, current.get(`${part.id}:${id}`)).state !== 'needs_resolution')
        return issue('NOT_NEEDED', 'Điểm của thí sinh này không cần hội đồng quyết định');
      const notEligible = r.score !== null ? earlier.get(id) : undefined;
      if (notEligible !== undefined) {
        if (!body.overridePreviousRound)
          return issue(
            'PREVIOUS_ROUND',
            `${notEligible}, nên không được dự vòng ${part.round}; điểm chỉ nhập được khi Hội đồng thi quyết định (ghi lý do)`,
          );
        overridden.push(id);
      }
      valid.push({ candidateId: id, score: r.score === null ? null : round2(r.score), number });
      return true;
    };
    body.rows.forEach(check);
    if (issues.length > 0)
      throw new AppError(
        400,
        'SCORES_INVALID',
        `Bảng điểm có ${issues.length} dòng không hợp lệ; chưa lưu dòng nào`,
        'Some rows are invalid; nothing was saved',
        { issues },
      );
    const actor = actorOf(user);
    await transaction(this.db, async () => {
      await this.assertOpen(examId);
      const at = new Date().toISOString();
      for (const v of valid) {
        const before = await this.repo.markScore(part.id, v.candidateId, body.marker);
        await this.repo.saveMark({
          partId: part.id,
          candidateId: v.candidateId,
          marker: body.marker,
          score: v.score,
          reason: reason || null,
          enteredBy: user.id,
          enteredAt: at,
        });
        appendAudit(this.db, {
          actor,
          action: body.marker === 0 ? 'results.score.resolve' : 'results.score.enter',
          entity: 'candidate',
          entityId: v.candidateId,
          before: before ? { score: before.score } : null,
          after: { partId: part.id, marker: body.marker, score: v.score },
          detail: reason
            ? { reason, ...(overridden.includes(v.candidateId) ? { overridePreviousRound: earlier.get(v.candidateId) } : {}) }
            : undefined,
        });
      }
    });
    return { saved: valid.length };
  }

  // ---------- computing the results ----------

  /** Where the exam is in its lifecycle, each sitting's and room's state, and what may happen next (and why not). */
  async lifecycle(examId: number): Promise<ExamLifecycleDto> {
    const e = this.exams.examRow(examId);
    const now = Date.now();
    const codes = await this.repo.roomCodes(examId);
    const sittings = (await this.repo.sittings(examId)).map((st) => {
      const rooms = sittingRooms(this.db, st.id, now);
      return {
        sittingId: st.id,
        name: st.name,
        startsAt: st.startsAt,
        state: sittingStateOf(this.db, st.id, now),
        rooms: rooms.map((r) => ({ roomId: r.roomId, roomCode: codes.get(r.roomId) ?? String(r.roomId), state: r.state })),
      };
    });
    const next: StepDto[] = [];
    const why = (vi: string, en: string) => ({ vi, en });
    if (e.status === 'draft') next.push({ action: 'mark_ready', allowed: true, reason: null });
    for (const st of sittings) {
      if (st.state === 'sealed') continue;
      const open = st.rooms.filter((r) => r.state === 'open' || r.state === 'scheduled').map((r) => r.roomCode);
      next.push({
        action: `seal:${st.sittingId}`,
        allowed: e.status !== 'draft' && open.length === 0 && st.rooms.length > 0,
        reason:
          e.status === 'draft'
            ? why('Kỳ thi chưa sẵn sàng', 'The exam is not ready')
            : open.length > 0
              ? why(
                  `${st.name}: còn phòng thi chưa đóng (${open.join(', ')})`,
                  `${st.name}: rooms not closed (${open.join(', ')})`,
                )
              : st.rooms.length === 0
                ? why(`${st.name}: chưa xếp thí sinh`, `${st.name}: nobody seated`)
                : null,
      });
    }
    if (e.status === 'published')
      next.push({ action: 'publish', allowed: false, reason: why('Kết quả đã công bố', 'Published') });
    else if (e.status === 'draft')
      next.push({ action: 'publish', allowed: false, reason: why('Kỳ thi chưa sẵn sàng', 'Not ready') });
    else {
      const blockers = (await this.compute(examId)).blockers;
      next.push({
        action: 'publish',
        allowed: blockers.length === 0,
        reason:
          blockers.length === 0
            ? null
            : why(blockers.map((b) => b.message).join('; '), blockers.map((b) => `${b.code} (${b.count})`).join('; ')),
      });
    }
    return { status: e.status, phase: EXAM_PHASE_OF[e.status], timeZone: e.timeZone, sittings, next };
  }

  /** Computes the results now (ignoring any publication). */
  compute(examId: number): Promise<ExamResultsDto> {
    return computeResults({ repo: this.repo, exams: this.exams, eligibility: this.eligibility }, examId);
  }

  /** The published snapshot when there is one, otherwise the results computed now. */
  async results(examId: number): Promise<ExamResultsDto> {
    const pub = await this.repo.publications.active(examId);
    if (pub) {
      const snap = await this.repo.publications.snapshot(pub.id);
      return { ...snap, published: { publishedAt: pub.publishedAt, by: pub.byName, sha256: pub.sha256 } };
    }
    return this.compute(examId);
  }

  // ---------- ties and publication ----------

  async decideTie(user: AuthUser, examId: number, body: TieDecisionBody): Promise<ExamResultsDto> {
    await this.assertOpen(examId);
    const reason = body.reason.trim();
    if (!reason) throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do quyết định', 'A reason is required');
    const ref = headDecisionRef(body, this.exams.examRow(examId).timeZone);
    const now = await this.compute(examId);
    const pos = now.positions.find((p) => p.positionId === body.positionId);
    const group = pos?.tiedGroups.find(
      (g) => g.candidateIds.length === body.candidateIds.length && g.candidateIds.every((id) => body.candidateIds.includes(id)),
    );
    if (!pos || !group)
      throw new AppError(
        400,
        'NOT_A_TIE',
        'Danh sách không trùng với một nhóm bằng điểm của vị trí này',
        'The candidates are not a tied group of this position',
      );
    await transaction(this.db, async () => {
      await this.assertOpen(examId);
      await this.repo.insertTieDecision({
        examId,
        positionId: body.positionId,
        candidateIds: body.candidateIds,
        reason,
        createdBy: user.id,
        ...ref,
      });
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.tie_decision',
        entity: 'exam',
        entityId: examId,
        after: { positionId: body.positionId, order: body.candidateIds, ...ref },
        detail: { reason, ...ref },
      });
    });
    return this.compute(examId);
  }

  /**
   * Hủy kết quả thi: a sanction only the board records (invigilators record the others in the room).
   * The profile's rule for it applies (the whole result is cancelled).
   */
  async cancelResult(user: AuthUser, examId: number, candidateId: number, reason: string): Promise<ExamResultsDto> {
    await this.assertOpen(examId);
    const why = reason.trim();
    if (!why) throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do hủy kết quả', 'A reason is required');
    if (!(await this.repo.candidateInExam(candidateId, examId)))
      throw new AppError(404, 'CANDIDATE_NOT_FOUND', 'Thí sinh không thuộc kỳ thi này', 'Candidate not in this exam');
    await transaction(this.db, async () => {
      await this.assertOpen(examId);
      if (await this.repo.resultCancelled(candidateId))
        throw new AppError(409, 'ALREADY_CANCELLED', 'Kết quả của thí sinh đã bị hủy', 'Already cancelled');
      await this.repo.insertCancellation(examId, candidateId, why, user.id);
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.cancel_result',
        entity: 'candidate',
        entityId: candidateId,
        after: { code: 'huy_ket_qua' },
        detail: { reason: why },
      });
    });
    return this.compute(examId);
  }

  async publish(user: AuthUser, examId: number, reason: string): Promise<ExamResultsDto> {
    await this.assertOpen(examId);
    this.assertMarking(examId);
    const r = await this.compute(examId);
    if (r.blockers.length > 0)
      throw new AppError(
        409,
        'RESULTS_BLOCKED',
        `Chưa thể công bố: ${r.blockers.map((b) => b.message).join('; ')}`,
        'Results cannot be published yet',
        { blockers: r.blockers },
      );
    const snapshot = canonicalJson(r);
    const sha256 = createHash('sha256').update(snapshot).digest('hex');
    const at = new Date().toISOString();
    await transaction(this.db, async () => {
      // another request may have published while this one computed
      await this.assertOpen(examId);
      await this.repo.publications.insert({
        examId,
        snapshot,
        sha256,
        publishedBy: user.id,
        publishedByName: user.username,
        publishedAt: at,
      });
      // marking → published (an exam with no sitting, every part marked by hand, moves from where it is)
      const from = this.exams.examRow(examId).status;
      await this.repo.setExamStatus(examId, 'published');
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'exam.status',
        entity: 'exam',
        entityId: examId,
        before: { status: from },
        after: { status: 'published' },
      });
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.publish',
        entity: 'exam',
        entityId: examId,
        after: { sha256 },
        detail: reason.trim() ? { reason: reason.trim() } : undefined,
      });
    });
    return this.results(examId);
  }

  // ---------- key corrections ----------

  corrections(examId: number): Promise<KeyCorrectionDto[]> {
    return listCorrections(this.repo, examId);
  }

  /** See keyCorrection.ts. */
  correctKey(user: AuthUser, examId: number, body: KeyCorrectionBody): Promise<KeyCorrectionReport> {
    return correctKey({ db: this.db, repo: this.repo, exams: this.exams }, user, examId, body);
  }

  // ---------- candidate lookup ----------

  async lookup(number: string, pin: string): Promise<ResultLookupDto> {
    const bad = () => new AppError(401, 'BAD_CREDENTIALS', 'Sai số báo danh hoặc mã PIN', 'Wrong candidate number or PIN');
    const rows = await this.repo.candidatesByNumber(number.trim().toUpperCase());
    // the same per-number lock-out as the sign-in (issue 14), on the number's latest exam
    const lock = new SignInLockout(this.db);
    const latest = rows[0];
    if (latest) lock.check(latest.id);
    const c = rows.find((r) => pinMatches(r.secret, r.id, pin.trim(), r.pinHash));
    if (!c) {
      if (latest) await lock.failed(latest.id);
      throw bad();
    }
    if (latest) await lock.clear(latest.id);
    const pub = await this.repo.publications.active(c.examId);
    if (!pub)
      throw new AppError(404, 'NOT_PUBLISHED', 'Kết quả thi chưa được công bố', 'The results have not been published yet');
    const snap = await this.repo.publications.snapshot(pub.id);
    for (const pos of snap.positions) {
      const row = pos.rows.find((r) => r.candidateId === c.id);
      if (!row) continue;
      return {
        examName: snap.examName,
        number: row.number,
        fullName: row.fullName,
        positionName: pos.name,
        parts: row.parts.map((p) => ({ name: p.name, status: p.status, score: p.score, scoreScale: p.scoreScale })),
        total: row.total,
        priorityPoints: row.priorityPoints,
        rank: row.rank,
        selected: row.selected,
        reason: row.reason,
        // a snapshot published before the English twin existed has none
        reasonEn: row.reasonEn ?? null,
        explanation: row.explanation,
        publishedAt: pub.publishedAt,
      };
    }
    throw new AppError(404, 'NOT_PUBLISHED', 'Không có kết quả của thí sinh trong bản công bố', 'No published result');
  }
}
