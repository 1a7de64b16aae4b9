import {
  type EligibilityDataBody,
  type EligibilityDto,
  type EligibilityOverrideBody,
  evaluateEligibility,
  findEthnicity,
  type GradeEquivalence,
  type GradeEquivalenceBody,
  isGradeCode,
  RATINGS,
  type Rating,
} from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { AppError } from '../../plugins/errors.js';
import { ExamService } from './service.js';

interface CandidateRow {
  id: number;
  number: string;
  fullName: string;
  ethnicity: string;
  currentGrade: string | null;
  yearsInGrade: number | null;
  extra: string;
  targetGrade: string | null;
}

interface RecordRow {
  data: string;
  status: string;
  reasons: string;
  overrideStatus: string | null;
  overrideReason: string | null;
  overrideRef: string | null;
  overrideByName: string | null;
  overrideAt: string | null;
}

const isRating = (v: unknown): v is Rating => typeof v === 'string' && (RATINGS as readonly string[]).includes(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const status = (v: string | null): 'eligible' | 'not_eligible' | null => (v === 'eligible' || v === 'not_eligible' ? v : null);

/**
 * Eligibility records (issue 13): every promotion candidate's data, computed status and reasons;
 * edits and the board's override (reason and document reference required) are audited. The ranking
 * leaves out candidates whose effective status is "not eligible".
 */
export class EligibilityService {
  private readonly sqlite;
  private readonly exams: ExamService;

  /** `exams` comes from the exams plugin; the default keeps `new EligibilityService(db)` of other modules compiling. */
  constructor(
    private readonly db: Db,
    exams?: ExamService,
  ) {
    this.sqlite = db.$client;
    this.exams = exams ?? new ExamService(db);
  }

  equivalences(examId: number): GradeEquivalence[] {
    return (
      this.sqlite
        .prepare(
          'SELECT code, name, equivalent_to AS equivalentTo, source FROM grade_equivalences WHERE exam_id = ? ORDER BY code',
        )
        .all(examId) as { code: string; name: string; equivalentTo: string; source: string }[]
    ).flatMap((r) => (isGradeCode(r.equivalentTo) ? [{ ...r, equivalentTo: r.equivalentTo }] : []));
  }

  addEquivalence(actor: Actor, examId: number, body: GradeEquivalenceBody): GradeEquivalence[] {
    this.exams.examRow(examId);
    if (isGradeCode(body.code))
      throw new AppError(
        400,
        'GRADE_IS_ADMINISTRATIVE',
        'Mã ngạch hành chính không cần bảng tương đương',
        'Already an administrative grade',
      );
    const source = body.source.trim();
    if (!source)
      throw new AppError(400, 'SOURCE_REQUIRED', 'Phải ghi căn cứ (văn bản) của ngạch tương đương', 'A source is required');
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare(
          `INSERT INTO grade_equivalences (exam_id, code, name, equivalent_to, source, created_by) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (exam_id, code) DO UPDATE SET name = excluded.name, equivalent_to = excluded.equivalent_to, source = excluded.source`,
        )
        .run(examId, body.code, body.name.trim(), body.equivalentTo, source, actor.id);
      appendAudit(this.db, {
        actor,
        action: 'exam.grade_equivalence',
        entity: 'exam',
        entityId: examId,
        after: body,
        detail: { ...body },
      });
      // every record is re-evaluated with the new table
      for (const c of this.candidateRows(examId)) this.store(c, this.dataOf(c));
    })();
    return this.equivalences(examId);
  }

  private candidateRows(examId: number, candidateId?: number): CandidateRow[] {
    return this.sqlite
      .prepare(
        `SELECT c.id, c.number, c.full_name AS fullName, c.ethnicity, c.current_grade AS currentGrade, c.years_in_grade AS yearsInGrade,
                c.extra, p.grade AS targetGrade
           FROM candidates c JOIN exam_positions p ON p.id = c.position_id
          WHERE c.exam_id = ? ${candidateId === undefined ? '' : 'AND c.id = ?'} ORDER BY c.number`,
      )
      .all(...(candidateId === undefined ? [examId] : [examId, candidateId])) as CandidateRow[];
  }

  private record(candidateId: number): RecordRow | undefined {
    return this.sqlite
      .prepare(
        `SELECT e.data, e.status, e.reasons, e.override_status AS overrideStatus, e.override_reason AS overrideReason,
                e.override_ref AS overrideRef, u.username AS overrideByName, e.override_at AS overrideAt
           FROM candidate_eligibility e LEFT JOIN users u ON u.id = e.override_by WHERE e.candidate_id = ?`,
      )
      .get(candidateId) as RecordRow | undefined;
  }

  /** The stored data, or what the candidate row holds (lists imported before records existed). */
  private dataOf(c: CandidateRow): EligibilityDataBody {
    const rec = this.record(c.id);
    if (rec) {
      const d: unknown = JSON.parse(rec.data);
      if (d && typeof d === 'object') {
        const o = d as Record<string, unknown>;
        return {
          currentGrade: typeof o.currentGrade === 'string' ? o.currentGrade : null,
          monthsInGrade: num(o.monthsInGrade),
          monthsInExactGrade: num(o.monthsInExactGrade),
          ratings: Array.isArray(o.ratings) ? o.ratings.filter(isRating) : [],
          underDiscipline: typeof o.underDiscipline === 'boolean' ? o.underDiscipline : null,
          serviceMonths: num(o.serviceMonths),
          ethnicity: typeof o.ethnicity === 'string' ? o.ethnicity : c.ethnicity,
        };
      }
    }
    const extra: unknown = JSON.parse(c.extra);
    const x = extra && typeof extra === 'object' ? (extra as Record<string, unknown>) : {};
    const years = num(x.yearsOfService);
    return {
      currentGrade: c.currentGrade,
      monthsInGrade: c.yearsInGrade === null ? null : Math.round(c.yearsInGrade * 12),
      monthsInExactGrade: num(x.monthsInExactGrade),
      ratings: isRating(x.rating) ? [x.rating] : [],
      underDiscipline: typeof x.disciplined === 'boolean' ? x.disciplined : null,
      serviceMonths: num(x.serviceMonths) ?? (years === null ? null : Math.round(years * 12)),
      ethnicity: c.ethnicity,
    };
  }

  /** Writes the record with its computed status (an override is kept). */
  private store(c: CandidateRow, data: EligibilityDataBody): void {
    const e = this.exams.examRow(this.examOf(c.id));
    const profile = this.exams.effectiveProfile(e);
    const v = evaluateEligibility(profile, c.targetGrade, data, this.equivalences(this.examOf(c.id)));
    this.sqlite
      .prepare(
        `INSERT INTO candidate_eligibility (candidate_id, data, status, reasons, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (candidate_id) DO UPDATE SET data = excluded.data, status = excluded.status, reasons = excluded.reasons,
           updated_at = excluded.updated_at`,
      )
      .run(
        c.id,
        JSON.stringify(data),
        v.status,
        JSON.stringify({ reasons: v.reasons, notes: v.notes, gradeVia: v.grade?.via ?? null }),
        new Date().toISOString(),
      );
  }

  private examOf(candidateId: number): number {
    return this.sqlite.prepare('SELECT exam_id FROM candidates WHERE id = ?').pluck().get(candidateId) as number;
  }

  private candidate(examId: number, candidateId: number): CandidateRow {
    const c = this.candidateRows(examId, candidateId)[0];
    if (!c) throw new AppError(404, 'CANDIDATE_NOT_FOUND', 'Thí sinh không thuộc kỳ thi này', 'Candidate not in this exam');
    return c;
  }

  get(examId: number, candidateId: number): EligibilityDto {
    const c = this.candidate(examId, candidateId);
    if (!this.record(c.id)) this.store(c, this.dataOf(c));
    const rec = this.record(c.id);
    if (!rec) throw new Error('eligibility record missing');
    const computed: unknown = JSON.parse(rec.reasons);
    const r = computed && typeof computed === 'object' ? (computed as Record<string, unknown>) : {};
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
    const computedStatus = status(rec.status) ?? 'not_eligible';
    const over = status(rec.overrideStatus);
    return {
      candidateId: c.id,
      number: c.number,
      fullName: c.fullName,
      targetGrade: c.targetGrade,
      data: this.dataOf(c),
      computed: {
        status: computedStatus,
        reasons: strings(r.reasons),
        notes: strings(r.notes),
        gradeVia: typeof r.gradeVia === 'string' ? r.gradeVia : null,
      },
      override: over
        ? {
            status: over,
            reason: rec.overrideReason ?? '',
            documentRef: rec.overrideRef ?? '',
            by: rec.overrideByName ?? '',
            at: rec.overrideAt ?? '',
          }
        : null,
      effective: over ?? computedStatus,
    };
  }

  list(examId: number): EligibilityDto[] {
    this.exams.examRow(examId);
    return this.candidateRows(examId).map((c) => this.get(examId, c.id));
  }

  /** Edits a candidate's data (audited); the status is computed again. */
  update(actor: Actor, examId: number, candidateId: number, body: EligibilityDataBody): EligibilityDto {
    const c = this.candidate(examId, candidateId);
    const ethnicity = findEthnicity(body.ethnicity);
    if (!ethnicity)
      throw new AppError(
        400,
        'INVALID_ETHNICITY',
        `Dân tộc "${body.ethnicity}" không có trong danh mục 54 dân tộc Việt Nam`,
        'Not one of the 54 ethnic groups',
      );
    const before = this.get(examId, candidateId);
    const data = { ...body, ethnicity: ethnicity.name };
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare('UPDATE candidates SET ethnicity = ?, current_grade = ?, years_in_grade = ? WHERE id = ?')
        .run(ethnicity.name, body.currentGrade, body.monthsInGrade === null ? null : body.monthsInGrade / 12, candidateId);
      const extra: unknown = JSON.parse(c.extra);
      const x = extra && typeof extra === 'object' ? (extra as Record<string, unknown>) : {};
      this.sqlite
        .prepare('UPDATE candidates SET extra = ? WHERE id = ?')
        .run(
          JSON.stringify({ ...x, serviceMonths: body.serviceMonths, monthsInExactGrade: body.monthsInExactGrade }),
          candidateId,
        );
      this.store({ ...c, ethnicity: ethnicity.name }, data);
      const after = this.get(examId, candidateId);
      appendAudit(this.db, {
        actor,
        action: 'exam.candidate.eligibility',
        entity: 'candidate',
        entityId: candidateId,
        before: before.data,
        after: data,
        detail: { before: before.data, after: data, status: after.computed.status, reasons: after.computed.reasons },
      });
    })();
    return this.get(examId, candidateId);
  }

  /** The board's decision over the computed status: a reason and a document reference are required. */
  override(actor: Actor, examId: number, candidateId: number, body: EligibilityOverrideBody): EligibilityDto {
    const before = this.get(examId, candidateId);
    const reason = body.reason.trim();
    const documentRef = body.documentRef.trim();
    if (!reason)
      throw new AppError(
        400,
        'REASON_REQUIRED',
        'Phải ghi lý do khi Hội đồng quyết định khác kết quả xét điều kiện',
        'A reason is required',
      );
    if (body.status !== null && !documentRef)
      throw new AppError(
        400,
        'DOCUMENT_REF_REQUIRED',
        'Phải ghi văn bản làm căn cứ (số, ngày) cho quyết định của Hội đồng',
        'A document reference is required',
      );
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare(
          'UPDATE candidate_eligibility SET override_status = ?, override_reason = ?, override_ref = ?, override_by = ?, override_at = ? WHERE candidate_id = ?',
        )
        .run(
          body.status,
          body.status === null ? null : reason,
          body.status === null ? null : documentRef,
          body.status === null ? null : actor.id,
          body.status === null ? null : new Date().toISOString(),
          candidateId,
        );
      appendAudit(this.db, {
        actor,
        action: 'exam.candidate.eligibility_override',
        entity: 'candidate',
        entityId: candidateId,
        before: before.override,
        after: { status: body.status, documentRef },
        detail: { status: body.status, reason, documentRef, computed: before.computed.status },
      });
    })();
    return this.get(examId, candidateId);
  }

  /** Candidates of the exam whose effective status is "not eligible", with the first reason. */
  notEligible(examId: number): Map<number, string> {
    const rows = this.sqlite
      .prepare(
        `SELECT e.candidate_id AS id, e.status, e.reasons, e.override_status AS overrideStatus, e.override_reason AS overrideReason
           FROM candidate_eligibility e JOIN candidates c ON c.id = e.candidate_id WHERE c.exam_id = ?`,
      )
      .all(examId) as {
      id: number;
      status: string;
      reasons: string;
      overrideStatus: string | null;
      overrideReason: string | null;
    }[];
    const out = new Map<number, string>();
    for (const r of rows) {
      const eff = status(r.overrideStatus) ?? status(r.status);
      if (eff !== 'not_eligible') continue;
      const parsed: unknown = JSON.parse(r.reasons);
      const list =
        parsed && typeof parsed === 'object' && Array.isArray((parsed as Record<string, unknown>).reasons)
          ? ((parsed as Record<string, unknown>).reasons as unknown[]).filter((s): s is string => typeof s === 'string')
          : [];
      out.set(r.id, r.overrideStatus ? `Hội đồng xác định không đủ điều kiện: ${r.overrideReason ?? ''}` : list.join(' '));
    }
    return out;
  }

  /** Records written for freshly imported candidates (import with "keep the ineligible ones"). */
  recordImported(examId: number): void {
    for (const c of this.candidateRows(examId)) if (!this.record(c.id)) this.store(c, this.dataOf(c));
  }
}
