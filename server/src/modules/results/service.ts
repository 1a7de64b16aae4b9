import { createHash } from 'node:crypto';
import {
  type AttemptScoreChange,
  type CandidateResult,
  type ChoiceOption,
  computeCandidateResult,
  correctionIssues,
  DEFAULT_MARKING_RULE,
  EXAM_PHASE_OF,
  type ExamLifecycleDto,
  type ExamPartDto,
  type ExamResultsDto,
  isEthnicMinority,
  type KeyCorrection,
  type KeyCorrectionBody,
  type KeyCorrectionDto,
  type KeyCorrectionReport,
  type KiemDinhRecord,
  type MarkDto,
  type MarkingRuleBody,
  type MarkingRuleDto,
  type PartScoreInput,
  type PassRule,
  type PositionResultDto,
  type ProfileCandidate,
  type QuestionTypeId,
  type RegulationProfile,
  type ResultLookupDto,
  type ResultPartDto,
  type ResultRowDto,
  rankCandidates,
  type SanctionCode,
  type SanctionRecord,
  type ScoreEntryBody,
  type ScoreEntryIssue,
  type ScoreEntryReport,
  type ScoringQuestion,
  type StepDto,
  scoreAttempt,
  type TieDecisionBody,
  type TieDecisionDto,
} from '@exam/shared';
import { type Actor, appendAudit, canonicalJson } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { StatementCache } from '../../db/statements.js';
import type { AuthUser } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import { SignInLockout } from '../delivery/signinLock.js';
import { pinMatches } from '../exams/candidates.js';
import { EligibilityService } from '../exams/eligibility.js';
import { decodePaper } from '../exams/papers.js';
import { ExamService } from '../exams/service.js';
import { sittingRooms, sittingStateOf } from '../lifecycle/state.js';
import { examCorrections } from './corrections.js';
import { explainPosition, type PositionDecision } from './explain.js';
import { headDecisionRef } from './headDecision.js';
import { reviewedMarks } from './reviewMarks.js';

interface CandidateRow {
  id: number;
  number: string;
  fullName: string;
  dateOfBirth: string;
  gender: string;
  ethnicity: string;
  priorityCategory: string | null;
  exemptions: string;
  kiemDinh: string | null;
  extra: string;
  positionId: number;
  positionCode: string;
  positionName: string;
  quota: number;
  grade: string | null;
  requiresForeignLanguage: number;
}

interface MarkRow {
  partId: number;
  candidateId: number;
  marker: number;
  score: number | null;
}

const actorOf = (u: AuthUser): Actor => ({ id: u.id, name: u.username });
const round2 = (x: number) => Math.round(x * 100) / 100;

const published = () =>
  new AppError(
    409,
    'RESULTS_PUBLISHED',
    'Kết quả đã công bố nên không thể thay đổi (chỉ điều chỉnh đáp án mới mở lại kết quả)',
    'Results are published and frozen',
  );

/** Combines a part's marks under its marking rule. */
export function combineMarks(
  rule: MarkingRuleBody,
  m1: number | null | undefined,
  m2: number | null | undefined,
  resolved: number | null | undefined,
  absentMarks: boolean,
): MarkDto {
  const base = { marker1: m1 ?? null, marker2: m2 ?? null, resolved: resolved ?? null };
  if (resolved !== undefined && resolved !== null) return { ...base, absent: false, final: resolved, state: 'done' };
  if (absentMarks) return { ...base, absent: true, final: null, state: 'absent' };
  if (m1 === undefined || m1 === null) {
    return { ...base, absent: false, final: null, state: m2 === undefined || m2 === null ? 'missing' : 'partial' };
  }
  if (rule.markers === 1) return { ...base, absent: false, final: m1, state: 'done' };
  if (m2 === undefined || m2 === null) return { ...base, absent: false, final: null, state: 'partial' };
  if (Math.abs(m1 - m2) > rule.maxDifference + 1e-9) return { ...base, absent: false, final: null, state: 'needs_resolution' };
  return { ...base, absent: false, final: round2((m1 + m2) / 2), state: 'done' };
}

/**
 * Scores, ranking and results of an exam: marks of the parts not sat on computer, key corrections
 * with re-scoring, the ranking per position under the profile, tie decisions, publication (a frozen
 * snapshot) and the candidate's lookup.
 */
export class ResultsService {
  private readonly sqlite;
  private readonly stmts: StatementCache;
  private readonly exams: ExamService;

  constructor(private readonly db: Db) {
    this.sqlite = db.$client;
    this.stmts = new StatementCache(db.$client);
    this.exams = new ExamService(db);
  }

  // ---------- publication state ----------

  private activePublication(examId: number) {
    return this.stmts
      .get(
        `SELECT id, snapshot, sha256, published_by_name AS byName, published_at AS publishedAt FROM result_publications
          WHERE exam_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`,
      )
      .get(examId) as { id: number; snapshot: string; sha256: string; byName: string; publishedAt: string } | undefined;
  }

  private assertOpen(examId: number): void {
    if (this.activePublication(examId)) throw published();
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
  private earlierRoundFailures(examId: number, round: number): Map<number, string> {
    const out = new Map<number, string>();
    if (round <= 1) return out;
    for (const pos of this.compute(examId).positions) {
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

  private rule(partId: number): MarkingRuleBody {
    const r = this.stmts
      .get('SELECT markers, max_difference AS maxDifference, combine FROM marking_rules WHERE part_id = ?')
      .get(partId) as MarkingRuleBody | undefined;
    return r ?? DEFAULT_MARKING_RULE;
  }

  markingRules(examId: number): MarkingRuleDto[] {
    return this.manualParts(examId).map((p) => ({ partId: p.id, ...this.rule(p.id) }));
  }

  setMarkingRule(user: AuthUser, examId: number, partId: number, body: MarkingRuleBody): MarkingRuleDto {
    this.assertOpen(examId);
    const part = this.manualParts(examId).find((p) => p.id === partId);
    if (!part)
      throw new AppError(400, 'PART_NOT_MANUAL', 'Phần thi này chấm tự động trên máy tính', 'The part is scored on computer');
    const before = this.rule(partId);
    this.sqlite.transaction(() => {
      this.stmts
        .get(
          `INSERT INTO marking_rules (part_id, markers, max_difference, combine) VALUES (?, ?, ?, ?)
           ON CONFLICT (part_id) DO UPDATE SET markers = excluded.markers, max_difference = excluded.max_difference, combine = excluded.combine`,
        )
        .run(partId, body.markers, body.maxDifference, body.combine);
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.marking_rule',
        entity: 'exam_part',
        entityId: partId,
        before,
        after: body,
      });
    })();
    return { partId, ...body };
  }

  private marksOf(examId: number): Map<string, MarkRow[]> {
    const rows = this.stmts
      .get(
        `SELECT m.part_id AS partId, m.candidate_id AS candidateId, m.marker, m.score FROM part_marks m
           JOIN exam_parts p ON p.id = m.part_id WHERE p.exam_id = ?`,
      )
      .all(examId) as MarkRow[];
    const map = new Map<string, MarkRow[]>();
    for (const r of rows) {
      const k = `${r.partId}:${r.candidateId}`;
      const list = map.get(k) ?? [];
      list.push(r);
      map.set(k, list);
    }
    return map;
  }

  private markDto(rule: MarkingRuleBody, rows: MarkRow[] | undefined): MarkDto {
    const by = (m: number) => rows?.find((r) => r.marker === m);
    const m1 = by(1);
    const m2 = by(2);
    const r0 = by(0);
    const absent = !!m1 && m1.score === null && (rule.markers === 1 || (!!m2 && m2.score === null));
    return combineMarks(rule, m1?.score, m2?.score, r0?.score, absent);
  }

  /** A part's marks for every candidate of the exam, for the entry screens. */
  marks(examId: number, partId: number) {
    const part = this.manualParts(examId).find((p) => p.id === partId);
    if (!part) throw new AppError(404, 'PART_NOT_FOUND', 'Không tìm thấy phần thi chấm tay', 'No such manually marked part');
    const rule = this.rule(partId);
    const marks = this.marksOf(examId);
    return (
      this.stmts
        .get(
          `SELECT c.id AS candidateId, c.number, c.full_name AS fullName,
                  (SELECT r.code FROM seat_assignments a JOIN rooms r ON r.id = a.room_id WHERE a.candidate_id = c.id LIMIT 1) AS roomCode
             FROM candidates c WHERE c.exam_id = ? ORDER BY c.number`,
        )
        .all(examId) as { candidateId: number; number: string; fullName: string; roomCode: string | null }[]
    ).map((c) => ({ ...c, marks: this.markDto(rule, marks.get(`${partId}:${c.candidateId}`)) }));
  }

  /** One marker's batch of scores, typed twice; all-or-nothing with a row-level report. */
  enterScores(user: AuthUser, examId: number, body: ScoreEntryBody): ScoreEntryReport {
    this.assertOpen(examId);
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
    const earlier = this.earlierRoundFailures(examId, part.round);
    const overridden: number[] = [];
    const rule = this.rule(part.id);
    if (body.marker === 2 && rule.markers === 1)
      throw new AppError(400, 'ONE_MARKER', 'Phần thi này chỉ có một người chấm', 'This part has one marker');
    const reason = body.reason?.trim() ?? '';
    if (body.marker === 0 && !reason)
      throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do khi hội đồng quyết định điểm', 'A reason is required');
    const ids = new Map(
      (this.stmts.get('SELECT number, id FROM candidates WHERE exam_id = ?').all(examId) as { number: string; id: number }[]).map(
        (r) => [r.number.toUpperCase(), r.id],
      ),
    );
    const current = this.marksOf(examId);
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
      if (body.marker === 0 && this.markDto(rule, current.get(`${part.id}:${id}`)).state !== 'needs_resolution')
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
    this.sqlite.transaction(() => {
      const prev = this.stmts.get('SELECT score FROM part_marks WHERE part_id = ? AND candidate_id = ? AND marker = ?');
      const upsert = this.stmts.get(
        `INSERT INTO part_marks (part_id, candidate_id, marker, score, reason, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (part_id, candidate_id, marker) DO UPDATE SET score = excluded.score, reason = excluded.reason,
           entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
      );
      const at = new Date().toISOString();
      for (const v of valid) {
        const before = prev.get(part.id, v.candidateId, body.marker) as { score: number | null } | undefined;
        upsert.run(part.id, v.candidateId, body.marker, v.score, reason || null, user.id, at);
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
    })();
    return { saved: valid.length };
  }

  // ---------- computing the results ----------

  private candidates(examId: number): CandidateRow[] {
    return this.stmts
      .get(
        `SELECT c.id, c.number, c.full_name AS fullName, c.date_of_birth AS dateOfBirth, c.gender, c.ethnicity,
                c.priority_category AS priorityCategory, c.exemptions, c.kiem_dinh AS kiemDinh, c.extra,
                p.id AS positionId, p.code AS positionCode, p.name AS positionName, p.quota, p.grade,
                p.requires_foreign_language AS requiresForeignLanguage
           FROM candidates c JOIN exam_positions p ON p.id = c.position_id WHERE c.exam_id = ? ORDER BY c.number`,
      )
      .all(examId) as CandidateRow[];
  }

  /**
   * What the sittings say about the computer parts: which parts are scheduled in a sitting, the
   * absences confirmed when rooms closed (part:candidate), and the sittings not yet sealed.
   */
  private sittingCoverage(examId: number): { scheduled: Set<number>; absent: Set<string>; unsealed: string[] } {
    const sittings = this.stmts
      .get(
        `SELECT s.id, s.name, s.part_ids AS partIds, EXISTS (SELECT 1 FROM sitting_exports x WHERE x.sitting_id = s.id) AS sealed
           FROM sittings s WHERE s.exam_id = ? ORDER BY s.starts_at, s.id`,
      )
      .all(examId) as { id: number; name: string; partIds: string; sealed: number }[];
    const scheduled = new Set<number>();
    for (const st of sittings) {
      const ids: unknown = JSON.parse(st.partIds);
      if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'number') scheduled.add(id);
    }
    const absent = new Set(
      (
        this.stmts
          .get(
            'SELECT part_id AS partId, candidate_id AS candidateId FROM absences WHERE candidate_id IN (SELECT id FROM candidates WHERE exam_id = ?)',
          )
          .all(examId) as { partId: number; candidateId: number }[]
      ).map((a) => `${a.partId}:${a.candidateId}`),
    );
    return { scheduled, absent, unsealed: sittings.filter((x) => x.sealed !== 1).map((x) => x.name) };
  }

  /** Where the exam is in its lifecycle, each sitting's and room's state, and what may happen next (and why not). */
  lifecycle(examId: number): ExamLifecycleDto {
    const e = this.exams.examRow(examId);
    const now = Date.now();
    const sittings = (
      this.stmts
        .get('SELECT id, name, starts_at AS startsAt FROM sittings WHERE exam_id = ? ORDER BY starts_at, id')
        .all(examId) as {
        id: number;
        name: string;
        startsAt: string;
      }[]
    ).map((st) => {
      const rooms = sittingRooms(this.db, st.id, now);
      const codes = new Map(
        (this.stmts.get('SELECT id, code FROM rooms WHERE exam_id = ?').all(examId) as { id: number; code: string }[]).map(
          (r) => [r.id, r.code],
        ),
      );
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
      const blockers = this.compute(examId).blockers;
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
  compute(examId: number): ExamResultsDto {
    const e = this.exams.examRow(examId);
    const profile: RegulationProfile = this.exams.effectiveProfile(e);
    const parts = this.exams.parts(examId);
    const byCode = new Map(parts.map((p) => [p.code, p]));
    const firstPart = [...parts].sort((a, b) => a.round - b.round || a.sortOrder - b.sortOrder)[0];
    const rules = new Map(parts.map((p) => [p.id, this.rule(p.id)]));
    const marks = this.marksOf(examId);
    const sat = this.sittingCoverage(examId);
    const reviewed = reviewedMarks(this.sqlite, examId);
    const ineligible = new EligibilityService(this.db).notEligible(examId);
    const attempts = new Map<string, { status: string; correct: number | null; total: number | null; score: number | null }>();
    for (const a of this.stmts
      .get(
        `SELECT a.candidate_id AS candidateId, a.part_id AS partId, a.status, a.correct, a.total, a.score FROM attempts a
           JOIN candidates c ON c.id = a.candidate_id WHERE c.exam_id = ?`,
      )
      .all(examId) as {
      candidateId: number;
      partId: number;
      status: string;
      correct: number | null;
      total: number | null;
      score: number | null;
    }[])
      attempts.set(`${a.partId}:${a.candidateId}`, a);
    const sanctions = new Map<number, SanctionRecord[]>();
    for (const s of this.stmts
      .get('SELECT candidate_id AS candidateId, part_id AS partId, code FROM sanctions WHERE exam_id = ? ORDER BY id')
      .all(examId) as { candidateId: number; partId: number | null; code: SanctionCode }[]) {
      const code = (s.partId !== null ? parts.find((p) => p.id === s.partId)?.code : undefined) ?? firstPart?.code ?? '';
      const list = sanctions.get(s.candidateId) ?? [];
      list.push({ partId: code, code: s.code });
      sanctions.set(s.candidateId, list);
    }
    const rooms = new Map(
      (
        this.stmts
          .get(
            `SELECT a.candidate_id AS id, r.code FROM seat_assignments a JOIN rooms r ON r.id = a.room_id JOIN sittings s ON s.id = a.sitting_id
              WHERE s.exam_id = ? ORDER BY s.starts_at DESC`,
          )
          .all(examId) as { id: number; code: string }[]
      ).map((r) => [r.id, r.code]),
    );
    const decisions = this.stmts
      .get(
        `SELECT t.position_id AS positionId, t.candidate_ids AS ids, t.reason, u.username AS byName, t.created_at AS at,
                t.decision_number AS decisionNumber, t.decision_date AS decisionDate, t.signer
           FROM tie_decisions t LEFT JOIN users u ON u.id = t.created_by WHERE t.exam_id = ? ORDER BY t.id`,
      )
      .all(examId) as {
      positionId: number;
      ids: string;
      reason: string;
      byName: string | null;
      at: string;
      decisionNumber: string | null;
      decisionDate: string | null;
      signer: string | null;
    }[];
    const decisionDto = (d: (typeof decisions)[number]): TieDecisionDto => ({
      candidateIds: JSON.parse(d.ids) as number[],
      reason: d.reason,
      by: d.byName ?? '',
      at: d.at,
      ref:
        d.decisionNumber && d.decisionDate && d.signer
          ? { decisionNumber: d.decisionNumber, decisionDate: d.decisionDate, signer: d.signer }
          : null,
    });
    const headOrder = new Map<number, number>();
    for (const d of decisions) {
      const ids = JSON.parse(d.ids) as number[];
      for (let i = 0; i < ids.length; i++) headOrder.set(ids[i] as number, i + 1);
    }

    const all = this.candidates(examId);
    const positions = new Map<number, CandidateRow[]>();
    for (const c of all) {
      const list = positions.get(c.positionId) ?? [];
      list.push(c);
      positions.set(c.positionId, list);
    }
    const posRows = this.stmts
      .get('SELECT id, code, name, quota FROM exam_positions WHERE exam_id = ? ORDER BY code')
      .all(examId) as { id: number; code: string; name: string; quota: number }[];
    let missing = 0;
    /** computer parts not sat yet, by part id: candidates who must sit them */
    const unsat = new Map<number, number>();
    let unresolved = 0;
    let tiesPending = 0;

    const out: PositionResultDto[] = posRows.map((pos) => {
      const members = positions.get(pos.id) ?? [];
      const results = new Map<string, CandidateResult>();
      const marksOf = new Map<string, MarkDto>();
      for (const c of members) {
        const inputs: PartScoreInput[] = [];
        for (const p of parts) {
          if (p.mode === 'computer_mc') {
            const a = attempts.get(`${p.id}:${c.id}`);
            if (a?.status === 'submitted')
              inputs.push({ partId: p.code, correct: a.correct ?? 0, total: a.total ?? 0, score: a.score ?? 0 });
            // absent (vắng) only when the invigilator confirmed it at the room's closing; otherwise the
            // part has not been sat yet and its score is missing
            else if (sat.absent.has(`${p.id}:${c.id}`)) inputs.push({ partId: p.code, absent: true });
          } else {
            const m = this.markDto(rules.get(p.id) ?? DEFAULT_MARKING_RULE, marks.get(`${p.id}:${c.id}`));
            marksOf.set(`${p.id}:${c.id}`, m);
            // after phúc khảo the mark that stands replaces the original (issue 13)
            const stands = reviewed.get(`${p.id}:${c.id}`);
            if (stands !== undefined) inputs.push({ partId: p.code, score: stands });
            else if (m.state === 'absent') inputs.push({ partId: p.code, absent: true });
            else if (m.final !== null) inputs.push({ partId: p.code, score: m.final });
          }
        }
        const extra = JSON.parse(c.extra) as {
          yearsOfService?: number | null;
          serviceMonths?: number | null;
          achievementLevel?: number | null;
          choices?: Record<string, string>;
        };
        const candidate: ProfileCandidate = {
          id: String(c.id),
          gender: c.gender === 'female' ? 'female' : 'male',
          // from the list of the 54 groups: "Việt (Kinh)" is not a minority (issue 13)
          ethnicMinority: isEthnicMinority(c.ethnicity) === true,
          birthDate: c.dateOfBirth,
          serviceMonths:
            typeof extra.serviceMonths === 'number'
              ? extra.serviceMonths
              : typeof extra.yearsOfService === 'number'
                ? Math.round(extra.yearsOfService * 12)
                : null,
          grade: (c.grade ?? null) as ProfileCandidate['grade'],
          priorityCodes: c.priorityCategory ? [c.priorityCategory] : [],
          exemptions: JSON.parse(c.exemptions) as ProfileCandidate['exemptions'],
          kiemDinh: c.kiemDinh ? (JSON.parse(c.kiemDinh) as KiemDinhRecord) : null,
          foreignLanguageRequired: !!c.requiresForeignLanguage,
          choices: extra.choices,
          sanctions: sanctions.get(c.id) ?? [],
          headDecisionOrder: headOrder.get(c.id) ?? null,
          achievementLevel: typeof extra.achievementLevel === 'number' ? extra.achievementLevel : null,
        };
        const res = computeCandidateResult(profile, candidate, inputs, {
          examDate: e.examDate ?? undefined,
          applicationDeadline: e.applicationDeadline ?? undefined,
        });
        // a candidate kept on record as not eligible is not ranked (issue 13)
        const notEligible = ineligible.get(c.id);
        results.set(
          String(c.id),
          notEligible === undefined
            ? res
            : {
                ...res,
                passed: false,
                reasons: [
                  {
                    code: 'not_eligible',
                    message: `Không đủ điều kiện dự thi: ${notEligible}`,
                    messageEn: `Not eligible to sit the exam: ${notEligible}`,
                  },
                  ...res.reasons,
                ],
              },
        );
      }
      const ranking = rankCandidates(profile, [...results.values()], pos.quota);
      const byId = new Map(members.map((c) => [String(c.id), c]));
      const bare: Omit<ResultRowDto, 'explanation'>[] = ranking.rows.map((rr) => {
        const c = byId.get(rr.candidateId) as CandidateRow;
        const res = results.get(rr.candidateId) as CandidateResult;
        const partDtos: ResultPartDto[] = res.parts.map((o) => {
          const p = byCode.get(o.partId);
          const m = p ? (marksOf.get(`${p.id}:${c.id}`) ?? null) : null;
          // a candidate kept on record as not eligible sits nothing and needs no marks (issue 13)
          if (o.status === 'missing' && !ineligible.has(c.id)) {
            if (p?.mode === 'computer_mc') unsat.set(p.id, (unsat.get(p.id) ?? 0) + 1);
            else missing++;
          }
          if (m?.state === 'needs_resolution') unresolved++;
          return {
            partId: p?.id ?? 0,
            code: o.partId,
            name: p?.name ?? o.name.vi,
            round: o.round,
            mode: p?.mode ?? '',
            role: o.role,
            status: o.status,
            score: o.score,
            scoreScale: o.scoreScale,
            // computer parts: the correct answers counted at grading (the outcome keeps only the score)
            correct: p?.mode === 'computer_mc' ? (attempts.get(`${p.id}:${c.id}`)?.correct ?? o.correct) : o.correct,
            total: p?.mode === 'computer_mc' ? (attempts.get(`${p.id}:${c.id}`)?.total ?? null) : null,
            marks: m,
          };
        });
        if (rr.status === 'tie_pending') tiesPending++;
        return {
          candidateId: c.id,
          number: c.number,
          fullName: c.fullName,
          dateOfBirth: c.dateOfBirth,
          roomCode: rooms.get(c.id) ?? null,
          parts: partDtos,
          conditionsMet: res.conditionsMet,
          baseScore: res.baseScore,
          priorityPoints: res.priorityPoints,
          priorityCode: res.priorityCode,
          total: rr.total,
          rank: rr.rank,
          selected: rr.selected,
          status: rr.status,
          reason: rr.reason ?? (rr.selected ? null : (res.reasons[0]?.message ?? null)),
          reasonEn: rr.reasonEn ?? (rr.selected ? null : (res.reasons[0]?.messageEn ?? null)),
          reasons: res.reasons.map((x) => x.message),
          reasonsEn: res.reasons.map((x) => x.messageEn),
          warnings: res.warnings.map((x) => x.message),
          warningsEn: res.warnings.map((x) => x.messageEn),
          tieGroup: rr.tieGroup,
          sanctions: (sanctions.get(c.id) ?? []).map((s) => s.code),
        };
      });
      const posDecisions = decisions.filter((d) => d.positionId === pos.id);
      const explanations = explainPosition({
        profile,
        quota: pos.quota,
        rows: bare,
        results: new Map([...results].map(([id, res]) => [Number(id), res])),
        ethnicity: new Map(members.map((c) => [c.id, c.ethnicity])),
        decisions: posDecisions.flatMap((d): PositionDecision[] => {
          const ref = decisionDto(d).ref;
          return ref ? [{ ...ref, candidateIds: JSON.parse(d.ids) as number[] }] : [];
        }),
        priorityLabel: (code) => profile.priority.categories.find((x) => x.code === code)?.label ?? { vi: code, en: code },
      });
      const rows: ResultRowDto[] = bare.map((r) => ({
        ...r,
        explanation: explanations.get(r.candidateId) ?? { lines: [], tie: null },
      }));
      return {
        positionId: pos.id,
        code: pos.code,
        name: pos.name,
        quota: pos.quota,
        rows,
        selected: ranking.selectedCount,
        tiedGroups: [
          // ties the head has decided (the chain now resolves them at its head_decides step)
          ...posDecisions.flatMap((d) => {
            const ids = JSON.parse(d.ids) as number[];
            const decidedRows = ranking.rows.filter((x) => ids.includes(Number(x.candidateId)));
            if (!decidedRows.some((x) => x.decidedBy === 'head_decides')) return [];
            return [
              {
                rank: Math.min(...decidedRows.map((x) => x.rank ?? Number.POSITIVE_INFINITY)),
                candidateIds: ids,
                seats: decidedRows.filter((x) => x.selected).length,
                decision: decisionDto(d),
              },
            ];
          }),
          ...ranking.tiedGroups.map((g) => {
            const ids = g.candidateIds.map(Number);
            const d = [...posDecisions].reverse().find((x) => {
              const decided = JSON.parse(x.ids) as number[];
              return ids.every((id) => decided.includes(id));
            });
            return {
              rank: g.rank,
              candidateIds: ids,
              seats: g.seats,
              decision: d ? decisionDto(d) : null,
            };
          }),
        ],
      };
    });
    const blockers: ExamResultsDto['blockers'] = [];
    for (const p of parts) {
      if (p.mode !== 'computer_mc' || sat.scheduled.has(p.id)) continue;
      blockers.push({
        code: 'PART_NOT_SCHEDULED',
        count: 1,
        message: `Phần thi "${p.name}" chưa được xếp vào ca thi nào`,
      });
    }
    for (const [partId, n] of unsat) {
      const p = parts.find((x) => x.id === partId);
      blockers.push({
        code: 'PARTS_UNSAT',
        count: n,
        message: `Phần thi "${p?.name ?? partId}": ${n} thí sinh chưa thi (phòng thi chưa đóng, thí sinh vắng chưa được xác nhận)`,
      });
    }
    if (sat.unsealed.length > 0)
      blockers.push({
        code: 'SITTINGS_NOT_SEALED',
        count: sat.unsealed.length,
        message: `Ca thi chưa niêm phong dữ liệu: ${sat.unsealed.join(', ')}`,
      });
    if (missing > 0)
      blockers.push({ code: 'SCORES_MISSING', count: missing, message: `Còn ${missing} điểm thành phần chưa nhập` });
    if (unresolved > 0)
      blockers.push({
        code: 'NEEDS_RESOLUTION',
        count: unresolved,
        message: `${unresolved} bài có điểm hai người chấm chênh lệch quá mức, chờ hội đồng quyết định`,
      });
    if (tiesPending > 0)
      blockers.push({
        code: 'TIES_PENDING',
        count: tiesPending,
        // a chain without the head's step (xét thăng hạng viên chức: nothing found after Điều 40 k2 đ) leaves it to the council
        message: `${tiesPending} thí sinh bằng điểm ở ngưỡng trúng tuyển, ${
          profile.tieBreak.chain.includes('head_decides')
            ? 'chờ người đứng đầu quyết định'
            : 'chờ Hội đồng xác định cách phân định'
        }`,
      });
    return {
      examId,
      examName: e.name,
      examCode: e.code,
      profileId: e.profileId,
      published: null,
      positions: out,
      blockers,
      computedAt: new Date().toISOString(),
    };
  }

  /** The published snapshot when there is one, otherwise the results computed now. */
  results(examId: number): ExamResultsDto {
    const pub = this.activePublication(examId);
    if (pub) {
      const snap = JSON.parse(pub.snapshot) as ExamResultsDto;
      return { ...snap, published: { publishedAt: pub.publishedAt, by: pub.byName, sha256: pub.sha256 } };
    }
    return this.compute(examId);
  }

  // ---------- ties and publication ----------

  decideTie(user: AuthUser, examId: number, body: TieDecisionBody): ExamResultsDto {
    this.assertOpen(examId);
    const reason = body.reason.trim();
    if (!reason) throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do quyết định', 'A reason is required');
    const ref = headDecisionRef(body, this.exams.examRow(examId).timeZone);
    const now = this.compute(examId);
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
    this.sqlite.transaction(() => {
      this.stmts
        .get(
          `INSERT INTO tie_decisions (exam_id, position_id, candidate_ids, reason, created_by, decision_number, decision_date, signer)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          examId,
          body.positionId,
          JSON.stringify(body.candidateIds),
          reason,
          user.id,
          ref.decisionNumber,
          ref.decisionDate,
          ref.signer,
        );
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.tie_decision',
        entity: 'exam',
        entityId: examId,
        after: { positionId: body.positionId, order: body.candidateIds, ...ref },
        detail: { reason, ...ref },
      });
    })();
    return this.compute(examId);
  }

  /**
   * Hủy kết quả thi: a sanction only the board records (invigilators record the others in the room).
   * The profile's rule for it applies (the whole result is cancelled).
   */
  cancelResult(user: AuthUser, examId: number, candidateId: number, reason: string): ExamResultsDto {
    this.assertOpen(examId);
    const why = reason.trim();
    if (!why) throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do hủy kết quả', 'A reason is required');
    const c = this.stmts.get('SELECT id FROM candidates WHERE id = ? AND exam_id = ?').get(candidateId, examId);
    if (!c) throw new AppError(404, 'CANDIDATE_NOT_FOUND', 'Thí sinh không thuộc kỳ thi này', 'Candidate not in this exam');
    if (this.stmts.get("SELECT 1 FROM sanctions WHERE candidate_id = ? AND code = 'huy_ket_qua'").get(candidateId))
      throw new AppError(409, 'ALREADY_CANCELLED', 'Kết quả của thí sinh đã bị hủy', 'Already cancelled');
    this.sqlite.transaction(() => {
      this.stmts
        .get(
          "INSERT INTO sanctions (exam_id, candidate_id, part_id, attempt_id, code, reason, user_id, at) VALUES (?, ?, NULL, NULL, 'huy_ket_qua', ?, ?, ?)",
        )
        .run(examId, candidateId, why, user.id, Date.now());
      appendAudit(this.db, {
        actor: actorOf(user),
        action: 'results.cancel_result',
        entity: 'candidate',
        entityId: candidateId,
        after: { code: 'huy_ket_qua' },
        detail: { reason: why },
      });
    })();
    return this.compute(examId);
  }

  publish(user: AuthUser, examId: number, reason: string): ExamResultsDto {
    this.assertOpen(examId);
    this.assertMarking(examId);
    const r = this.compute(examId);
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
    this.sqlite.transaction(() => {
      this.stmts
        .get(
          'INSERT INTO result_publications (exam_id, snapshot, sha256, published_by, published_by_name, published_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(examId, snapshot, sha256, user.id, user.username, at);
      // marking → published (an exam with no sitting, every part marked by hand, moves from where it is)
      const from = this.exams.examRow(examId).status;
      this.stmts.get("UPDATE exams SET status = 'published' WHERE id = ?").run(examId);
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
    })();
    return this.results(examId);
  }

  // ---------- key corrections ----------

  corrections(examId: number): KeyCorrectionDto[] {
    return (
      this.stmts
        .get(
          `SELECT k.id, k.version_id AS versionId, v.question_id AS questionId, k.kind, k.correct, k.mode, k.reason, k.report,
                  u.username AS byName, k.created_at AS at
             FROM key_corrections k JOIN question_versions v ON v.id = k.version_id LEFT JOIN users u ON u.id = k.created_by
            WHERE k.exam_id = ? ORDER BY k.id`,
        )
        .all(examId) as {
        id: number;
        versionId: number;
        questionId: number;
        kind: 'rekey' | 'void';
        correct: string | null;
        mode: 'full_marks' | 'drop' | null;
        reason: string;
        report: string;
        byName: string | null;
        at: string;
      }[]
    ).map((k) => {
      const rep = JSON.parse(k.report) as KeyCorrectionReport;
      return {
        id: k.id,
        versionId: k.versionId,
        questionId: k.questionId,
        kind: k.kind,
        correct: k.correct ? (JSON.parse(k.correct) as string[]) : null,
        mode: k.mode,
        reason: k.reason,
        by: k.byName ?? '',
        at: k.at,
        affected: rep.affected,
        changed: rep.changed.length,
      };
    });
  }

  /**
   * Fixes a question's key (or voids the question) and re-scores, in one transaction, exactly the
   * submitted attempts whose paper holds it; returns a before/after report. Published results are
   * reopened with the correction's reason.
   */
  correctKey(user: AuthUser, examId: number, body: KeyCorrectionBody): KeyCorrectionReport {
    const reason = body.reason.trim();
    if (!reason) throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do điều chỉnh đáp án', 'A reason is required');
    const correction: KeyCorrection =
      body.kind === 'rekey' ? { kind: 'rekey', correct: body.correct ?? [] } : { kind: 'void', mode: body.mode ?? 'full_marks' };
    if (body.kind === 'void' && !body.mode)
      throw new AppError(400, 'MODE_REQUIRED', 'Hãy chọn: cho điểm tất cả hoặc bỏ câu hỏi', 'Choose full marks or drop');
    const version = this.stmts
      .get('SELECT type, stem, options, partial_credit AS partialCredit FROM question_versions WHERE id = ?')
      .get(body.versionId) as { type: QuestionTypeId; stem: string; options: string; partialCredit: number } | undefined;
    if (!version) throw new AppError(404, 'VERSION_NOT_FOUND', 'Không tìm thấy phiên bản câu hỏi', 'No such question version');
    const problems = correctionIssues({ options: JSON.parse(version.options) as ChoiceOption[] }, correction);
    if (problems.length > 0)
      throw new AppError(400, 'CORRECTION_INVALID', problems.join('; '), 'The correction is not valid for this question', {
        problems,
      });
    const parts = new Map(this.exams.parts(examId).map((p) => [p.id, p]));
    const partialCredit = this.exams.effectiveProfile(this.exams.examRow(examId)).partialCredit === true;
    const attempts = this.stmts
      .get(
        `SELECT a.id, a.status, a.part_id AS partId, a.correct, a.total, a.score, a.passed, p.items, c.number, c.full_name AS fullName
           FROM attempts a JOIN papers p ON p.id = a.paper_id JOIN candidates c ON c.id = a.candidate_id WHERE c.exam_id = ?`,
      )
      .all(examId) as {
      id: number;
      status: string;
      partId: number;
      correct: number | null;
      total: number | null;
      score: number | null;
      passed: number | null;
      items: string;
      number: string;
      fullName: string;
    }[];
    const holding = attempts
      .map((a) => ({ ...a, paper: decodePaper(a.items).items }))
      .filter((a) => a.paper.some((it) => Number(it.versionId) === body.versionId));
    if (holding.length === 0)
      throw new AppError(
        404,
        'VERSION_NOT_IN_EXAM',
        'Câu hỏi này không có trong đề thi của kỳ thi',
        'No paper of this exam holds it',
      );
    // papers still being sat are graded with the correction when they are submitted
    const submittedHolders = holding.filter((a) => a.status === 'submitted');
    const corrections = examCorrections(this.sqlite, examId);
    corrections.set(body.versionId, correction);
    const versionStmt = this.stmts.get(
      'SELECT type, stem, options, partial_credit AS partialCredit FROM question_versions WHERE id = ?',
    );
    const contentCache = new Map<number, ScoringQuestion>();
    const question = (versionId: number): ScoringQuestion => {
      let q = contentCache.get(versionId);
      if (!q) {
        const v = versionStmt.get(versionId) as { type: QuestionTypeId; stem: string; options: string; partialCredit: number };
        q = {
          versionId,
          type: v.type,
          stem: v.stem,
          options: JSON.parse(v.options) as ChoiceOption[],
          partialCredit: !!v.partialCredit,
        };
        contentCache.set(versionId, q);
      }
      return q;
    };
    const answerStmt = this.stmts.get('SELECT question_no AS no, choice FROM answers WHERE attempt_id = ?');
    const changed: AttemptScoreChange[] = [];
    const updates: { id: number; correct: number; total: number; score: number; passed: boolean }[] = [];
    for (const a of submittedHolders) {
      const part = parts.get(a.partId);
      if (!part) continue;
      const answers = new Map(
        (answerStmt.all(a.id) as { no: number; choice: string }[]).map((r) => [r.no, JSON.parse(r.choice) as string[]]),
      );
      const after = scoreAttempt(
        a.paper.map((it) => question(Number(it.versionId))),
        answers,
        { scoreScale: part.scoreScale, passRule: part.passRule as PassRule, partialCredit },
        corrections,
      );
      const before = { correct: a.correct ?? 0, total: a.total ?? 0, score: a.score ?? 0, passed: !!a.passed };
      if (
        before.correct !== after.correct ||
        before.total !== after.total ||
        before.score !== after.score ||
        before.passed !== after.passed
      ) {
        changed.push({ attemptId: a.id, number: a.number, fullName: a.fullName, partName: part.name, before, after });
        updates.push({ id: a.id, ...after });
      }
    }
    const pub = this.activePublication(examId);
    const report: KeyCorrectionReport = {
      correctionId: 0,
      versionId: body.versionId,
      affected: holding.length,
      changed,
      unpublished: !!pub,
    };
    const actor = actorOf(user);
    this.sqlite.transaction(() => {
      const id = Number(
        this.stmts
          .get(
            'INSERT INTO key_corrections (exam_id, version_id, kind, correct, mode, reason, report, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            examId,
            body.versionId,
            body.kind,
            body.kind === 'rekey' ? JSON.stringify(body.correct ?? []) : null,
            body.kind === 'void' ? (body.mode ?? null) : null,
            reason,
            '{}',
            user.id,
          ).lastInsertRowid,
      );
      report.correctionId = id;
      // the report row is written once, complete (key_corrections has no update path besides this)
      this.stmts.get('UPDATE key_corrections SET report = ? WHERE id = ?').run(JSON.stringify(report), id);
      const upd = this.stmts.get('UPDATE attempts SET correct = ?, total = ?, score = ?, passed = ? WHERE id = ?');
      for (const u of updates) upd.run(u.correct, u.total, u.score, u.passed ? 1 : 0, u.id);
      if (pub) {
        this.stmts
          .get('UPDATE result_publications SET revoked_at = ?, revoked_reason = ? WHERE id = ?')
          .run(new Date().toISOString(), `Điều chỉnh đáp án: ${reason}`, pub.id);
        this.stmts.get("UPDATE exams SET status = 'finished' WHERE id = ?").run(examId);
      }
      appendAudit(this.db, {
        actor,
        action: 'results.key_correction',
        entity: 'question_version',
        entityId: body.versionId,
        after: {
          examId,
          kind: body.kind,
          correct: body.correct ?? null,
          mode: body.mode ?? null,
          affected: holding.length,
          changed: changed.length,
        },
        detail: { reason, unpublished: !!pub },
      });
    })();
    return report;
  }

  // ---------- candidate lookup ----------

  lookup(number: string, pin: string): ResultLookupDto {
    const bad = () => new AppError(401, 'BAD_CREDENTIALS', 'Sai số báo danh hoặc mã PIN', 'Wrong candidate number or PIN');
    const rows = this.stmts
      .get(
        `SELECT c.id, c.exam_id AS examId, c.pin_hash AS pinHash, e.secret FROM candidates c JOIN exams e ON e.id = c.exam_id
          WHERE c.number = ? ORDER BY c.exam_id DESC`,
      )
      .all(number.trim().toUpperCase()) as { id: number; examId: number; pinHash: string | null; secret: string }[];
    // the same per-number lock-out as the sign-in (issue 14), on the number's latest exam
    const lock = new SignInLockout(this.db);
    const latest = rows[0];
    if (latest) lock.check(latest.id);
    const c = rows.find((r) => pinMatches(r.secret, r.id, pin.trim(), r.pinHash));
    if (!c) {
      if (latest) lock.failed(latest.id);
      throw bad();
    }
    if (latest) lock.clear(latest.id);
    const pub = this.activePublication(c.examId);
    if (!pub)
      throw new AppError(404, 'NOT_PUBLISHED', 'Kết quả thi chưa được công bố', 'The results have not been published yet');
    const snap = JSON.parse(pub.snapshot) as ExamResultsDto;
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
