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
import { transaction } from '../../db/tx.js';
import { AppError } from '../../plugins/errors.js';
import { CandidatesRepo, eligibilityDataColumn, extraColumn, reasonsColumn } from './repo/candidates.js';
import type { ExamService } from './service.js';

type CandidateRow = Awaited<ReturnType<CandidatesRepo['eligibilityCandidates']>>[number];

const isRating = (v: unknown): v is Rating => typeof v === 'string' && (RATINGS as readonly string[]).includes(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const status = (v: string | null): 'eligible' | 'not_eligible' | null => (v === 'eligible' || v === 'not_eligible' ? v : null);

/**
 * Eligibility records (issue 13): every promotion candidate's data, computed status and reasons;
 * edits and the board's override (reason and document reference required) are audited. The ranking
 * leaves out candidates whose effective status is "not eligible".
 */
export class EligibilityService {
  private readonly repo: CandidatesRepo;

  /** `exams` comes from the exams plugin (plugin.ts). */
  constructor(
    private readonly db: Db,
    private readonly exams: ExamService,
  ) {
    this.repo = new CandidatesRepo(db);
  }

  async equivalences(examId: number): Promise<GradeEquivalence[]> {
    return (await this.repo.equivalences(examId)).flatMap((r) =>
      isGradeCode(r.equivalentTo) ? [{ ...r, equivalentTo: r.equivalentTo }] : [],
    );
  }

  async addEquivalence(actor: Actor, examId: number, body: GradeEquivalenceBody): Promise<GradeEquivalence[]> {
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
    await transaction(this.db, async () => {
      await this.repo.upsertEquivalence({
        examId,
        code: body.code,
        name: body.name.trim(),
        equivalentTo: body.equivalentTo,
        source,
        createdBy: actor.id,
      });
      appendAudit(this.db, {
        actor,
        action: 'exam.grade_equivalence',
        entity: 'exam',
        entityId: examId,
        after: body,
        detail: { ...body },
      });
      // every record is re-evaluated with the new table
      for (const c of await this.repo.eligibilityCandidates(examId)) await this.store(c, await this.dataOf(c));
    });
    return this.equivalences(examId);
  }

  /** The stored data, or what the candidate row holds (lists imported before records existed). */
  private async dataOf(c: CandidateRow): Promise<EligibilityDataBody> {
    const rec = await this.repo.record(c.id);
    if (rec) {
      const o = eligibilityDataColumn.parse(rec.data);
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
    const x = extraColumn.parse(c.extra);
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
  private async store(c: CandidateRow, data: EligibilityDataBody): Promise<void> {
    const examId = await this.repo.examOf(c.id);
    if (examId === undefined) throw new AppError(404, 'CANDIDATE_NOT_FOUND', 'Không tìm thấy thí sinh', 'No such candidate');
    const profile = this.exams.effectiveProfile(this.exams.examRow(examId));
    const v = evaluateEligibility(profile, c.targetGrade, data, await this.equivalences(examId));
    await this.repo.storeRecord({
      candidateId: c.id,
      data: JSON.stringify(data),
      status: v.status,
      reasons: JSON.stringify({ reasons: v.reasons, notes: v.notes, gradeVia: v.grade?.via ?? null }),
      updatedAt: new Date().toISOString(),
    });
  }

  private async candidate(examId: number, candidateId: number): Promise<CandidateRow> {
    const c = (await this.repo.eligibilityCandidates(examId, candidateId))[0];
    if (!c) throw new AppError(404, 'CANDIDATE_NOT_FOUND', 'Thí sinh không thuộc kỳ thi này', 'Candidate not in this exam');
    return c;
  }

  /** The record; one is computed and stored first when the candidate has none (inside a transaction). */
  async get(examId: number, candidateId: number): Promise<EligibilityDto> {
    const c = await this.candidate(examId, candidateId);
    if (!(await this.repo.record(c.id))) {
      const data = await this.dataOf(c);
      await transaction(this.db, () => this.store(c, data));
    }
    const rec = await this.repo.record(c.id);
    if (!rec) throw new Error('eligibility record missing');
    const r = reasonsColumn.parse(rec.reasons);
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
    const computedStatus = status(rec.status) ?? 'not_eligible';
    const over = status(rec.overrideStatus);
    return {
      candidateId: c.id,
      number: c.number,
      fullName: c.fullName,
      targetGrade: c.targetGrade,
      data: await this.dataOf(c),
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

  async list(examId: number): Promise<EligibilityDto[]> {
    this.exams.examRow(examId);
    const out: EligibilityDto[] = [];
    for (const c of await this.repo.eligibilityCandidates(examId)) out.push(await this.get(examId, c.id));
    return out;
  }

  /** Edits a candidate's data (audited); the status is computed again. */
  async update(actor: Actor, examId: number, candidateId: number, body: EligibilityDataBody): Promise<EligibilityDto> {
    const c = await this.candidate(examId, candidateId);
    const ethnicity = findEthnicity(body.ethnicity);
    if (!ethnicity)
      throw new AppError(
        400,
        'INVALID_ETHNICITY',
        `Dân tộc "${body.ethnicity}" không có trong danh mục 54 dân tộc Việt Nam`,
        'Not one of the 54 ethnic groups',
      );
    const before = await this.get(examId, candidateId);
    const data = { ...body, ethnicity: ethnicity.name };
    await transaction(this.db, async () => {
      const x = extraColumn.parse(c.extra);
      await this.repo.updateCandidate(candidateId, {
        ethnicity: ethnicity.name,
        currentGrade: body.currentGrade,
        yearsInGrade: body.monthsInGrade === null ? null : body.monthsInGrade / 12,
        extra: JSON.stringify({ ...x, serviceMonths: body.serviceMonths, monthsInExactGrade: body.monthsInExactGrade }),
      });
      await this.store({ ...c, ethnicity: ethnicity.name }, data);
      const after = await this.get(examId, candidateId);
      appendAudit(this.db, {
        actor,
        action: 'exam.candidate.eligibility',
        entity: 'candidate',
        entityId: candidateId,
        before: before.data,
        after: data,
        detail: { before: before.data, after: data, status: after.computed.status, reasons: after.computed.reasons },
      });
    });
    return this.get(examId, candidateId);
  }

  /** The board's decision over the computed status: a reason and a document reference are required. */
  async override(actor: Actor, examId: number, candidateId: number, body: EligibilityOverrideBody): Promise<EligibilityDto> {
    const before = await this.get(examId, candidateId);
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
    await transaction(this.db, async () => {
      await this.repo.setOverride(candidateId, {
        overrideStatus: body.status,
        overrideReason: body.status === null ? null : reason,
        overrideRef: body.status === null ? null : documentRef,
        overrideBy: body.status === null ? null : actor.id,
        overrideAt: body.status === null ? null : new Date().toISOString(),
      });
      appendAudit(this.db, {
        actor,
        action: 'exam.candidate.eligibility_override',
        entity: 'candidate',
        entityId: candidateId,
        before: before.override,
        after: { status: body.status, documentRef },
        detail: { status: body.status, reason, documentRef, computed: before.computed.status },
      });
    });
    return this.get(examId, candidateId);
  }

  /** Candidates of the exam whose effective status is "not eligible", with the first reason. */
  async notEligible(examId: number): Promise<Map<number, string>> {
    const rows = await this.repo.records(examId);
    const out = new Map<number, string>();
    for (const r of rows) {
      const eff = status(r.overrideStatus) ?? status(r.status);
      if (eff !== 'not_eligible') continue;
      const reasons = reasonsColumn.parse(r.reasons).reasons;
      const list = Array.isArray(reasons) ? reasons.filter((s): s is string => typeof s === 'string') : [];
      out.set(r.id, r.overrideStatus ? `Hội đồng xác định không đủ điều kiện: ${r.overrideReason ?? ''}` : list.join(' '));
    }
    return out;
  }

  /** Records written for freshly imported candidates (import with "keep the ineligible ones"). */
  async recordImported(examId: number): Promise<void> {
    for (const c of await this.repo.eligibilityCandidates(examId)) {
      if (!(await this.repo.record(c.id))) await this.store(c, await this.dataOf(c));
    }
  }
}
