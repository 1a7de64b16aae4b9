import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { CandidateDto, CandidateImportReport } from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { answerPathIdle } from '../../db/writeGate.js';
import { AppError } from '../../plugins/errors.js';
import { boundIssues } from '../imports/issues.js';
import { CANDIDATE_IMPORT_MAX_ROWS, checkFileSize } from '../imports/limits.js';
import { parseCandidatesOffThread } from '../imports/run.js';
import { assignCandidateNumbers, candidateTemplate } from './candidates-import/index.js';
import type { EligibilityService } from './eligibility.js';
import { CandidatesRepo } from './repo/candidates.js';
import type { ExamService } from './service.js';

/** PIN hash: HMAC-SHA256 with the exam secret, bound to the candidate. */
export function pinHash(secret: string, candidateId: number, pin: string): string {
  return createHmac('sha256', secret).update(`pin|${candidateId}|${pin}`).digest('hex');
}

export function pinMatches(secret: string, candidateId: number, pin: string, stored: string | null): boolean {
  if (!stored) return false;
  const a = Buffer.from(pinHash(secret, candidateId, pin), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export class CandidateService {
  private readonly repo: CandidatesRepo;
  /** `exams` and `eligibility` come from the exams plugin (plugin.ts). */
  constructor(
    private readonly db: Db,
    private readonly exams: ExamService,
    private readonly eligibility: EligibilityService,
  ) {
    this.repo = new CandidatesRepo(db);
  }

  async list(examId: number): Promise<CandidateDto[]> {
    return this.repo.list(examId);
  }

  async template(examId: number): Promise<Buffer> {
    const e = this.exams.examRow(examId);
    const profile = this.exams.effectiveProfile(e);
    return candidateTemplate({
      kind: profile.kind,
      positions: (await this.exams.positions(examId)).map((p) => ({ code: p.code, name: p.name })),
      priorityCategories: profile.priority.categories.map((c) => ({ code: c.code, label: c.label.vi })),
    });
  }

  /**
   * Imports candidates: a dry run first, then all or nothing. Numbers (số báo danh) follow the rule
   * in candidates-import/numbers.ts over every candidate of the exam, so they are re-dealt on each
   * import until PINs are issued; after that, new candidates are numbered after the last one.
   */
  async importFile(
    actor: Actor,
    examId: number,
    data: Buffer,
    dryRun: boolean,
    keepIneligible = false,
  ): Promise<CandidateImportReport> {
    checkFileSize(data);
    const t0 = performance.now();
    const e = this.exams.examRow(examId);
    if (e.status !== 'draft') {
      throw new AppError(
        409,
        'EXAM_FROZEN',
        'Kỳ thi đã sẵn sàng; không thể nhập thêm thí sinh.',
        'The exam is no longer a draft',
      );
    }
    const profile = this.exams.effectiveProfile(e);
    const positions = await this.exams.positions(examId);
    if (positions.length === 0) {
      throw new AppError(
        409,
        'NO_POSITIONS',
        'Hãy khai báo vị trí việc làm / ngạch dự thi và chỉ tiêu trước khi nhập thí sinh.',
        'Add positions first',
      );
    }
    // read and checked in the import process (imports/run.ts): the event loop keeps serving answers
    const parsed = await parseCandidatesOffThread(data, {
      profile,
      kind: profile.kind,
      positions,
      examDate: e.examDate,
      applicationDeadline: e.applicationDeadline,
      maxRows: CANDIDATE_IMPORT_MAX_ROWS,
      equivalences: await this.eligibility.equivalences(examId),
      keepIneligible,
    });
    const issues = [...parsed.issues];
    const existing = await this.repo.idNumbers(examId);
    for (const r of parsed.rows) {
      if (existing.has(r.idNumber)) {
        issues.push({
          row: r.sourceRow,
          column: 'Số CCCD/CMND',
          code: 'ID_NUMBER_EXISTS',
          message: `Số CCCD/CMND ${r.idNumber} đã có trong danh sách thí sinh của kỳ thi`,
          severity: 'error',
        });
      }
    }
    const errors = issues.filter((i) => i.severity === 'error').length;
    const report: CandidateImportReport = {
      dryRun,
      ok: errors === 0,
      rows: parsed.rows.length,
      created: 0,
      errors,
      ...boundIssues(issues.sort((a, b) => a.row - b.row)),
      ms: 0,
    };
    if (dryRun || errors > 0) {
      report.ms = Math.round(performance.now() - t0);
      return report;
    }
    const posCode = new Map(positions.map((p) => [p.id, p.code]));
    // all or nothing, in one transaction started when no answer is waiting for the write lock
    await answerPathIdle();
    await transaction(this.db, async () => {
      if (this.exams.examRow(examId).status !== 'draft') {
        throw new AppError(
          409,
          'EXAM_FROZEN',
          'Kỳ thi đã sẵn sàng; không thể nhập thêm thí sinh.',
          'The exam is no longer a draft',
        );
      }
      const now = await this.repo.idNumbers(examId);
      const taken = parsed.rows.find((r) => now.has(r.idNumber));
      if (taken) {
        throw new AppError(
          409,
          'ID_NUMBER_EXISTS',
          `Số CCCD/CMND ${taken.idNumber} vừa được thêm vào danh sách thí sinh; hãy chạy kiểm tra lại`,
          'ID number exists',
        );
      }
      await this.repo.insertCandidates(
        parsed.rows.map((r, i) => ({
          examId,
          number: `~new${i}`, // temporary; numbered below
          fullName: r.fullName,
          dateOfBirth: r.dateOfBirth,
          gender: r.gender,
          idNumber: r.idNumber,
          ethnicity: r.ethnicity,
          positionId: r.positionId,
          priorityCategory: r.priorityCategory,
          exemptions: JSON.stringify(r.exemptions),
          kiemDinh: r.kiemDinh ? JSON.stringify(r.kiemDinh) : null,
          currentGrade: r.currentGrade,
          yearsInGrade: r.yearsInGrade,
          extra: JSON.stringify(r.extra),
        })),
      );
      await this.renumber(examId, e.code, posCode);
      // promotion: every candidate gets an eligibility record (those kept as not eligible included)
      if (profile.kind === 'promotion') await this.eligibility.recordImported(examId);
      appendAudit(this.db, {
        actor,
        action: 'exam.candidates.import',
        entity: 'exam',
        entityId: examId,
        // the rows are in the candidates table; their digest (computed in the import worker) ties this entry to them
        after: { count: parsed.rows.length, contentSha256: parsed.contentSha256 },
        detail: {
          count: parsed.rows.length,
          contentSha256: parsed.contentSha256,
          keptNotEligible: parsed.rows.filter((r) => r.notEligible).map((r) => ({ row: r.sourceRow, reasons: r.notEligible })),
        },
      });
    });
    report.created = parsed.rows.length;
    report.ms = Math.round(performance.now() - t0);
    return report;
  }

  private async renumber(examId: number, examCode: string, posCode: Map<number, string>): Promise<void> {
    const all = await this.repo.numbering(examId);
    const frozen = all.some((c) => c.pinHash);
    const fresh = frozen ? all.filter((c) => c.number.startsWith('~')) : all;
    const base = frozen ? all.filter((c) => !c.number.startsWith('~')).length : 0;
    const numbers = assignCandidateNumbers(
      examCode,
      fresh.map((c) => ({ ...c, positionCode: posCode.get(c.positionId) ?? '' })),
    );
    // two passes so that the unique (exam, number) index never sees a clash mid-way
    for (const c of fresh) await this.repo.setNumber(c.id, `~id${c.id}`);
    for (const [i, c] of fresh.entries()) {
      const n = numbers[i] ?? '';
      const seq = Number(n.slice(examCode.length)) + base;
      await this.repo.setNumber(c.id, `${examCode}${String(seq).padStart(n.length - examCode.length, '0')}`);
    }
  }

  /**
   * Issues a fresh 6-digit PIN to every candidate of the exam (or only those without one) and
   * returns them once, for printing: only their HMAC is stored.
   */
  async issuePins(
    actor: Actor,
    examId: number,
    onlyMissing: boolean,
    /** the same PIN for everyone: only for the demo and tests */
    fixedPin?: string,
  ): Promise<{ candidateId: number; number: string; fullName: string; pin: string }[]> {
    const e = this.exams.examRow(examId);
    const rows = await this.repo.pinRows(examId, onlyMissing);
    const out = rows.map((r) => ({
      candidateId: r.id,
      number: r.number,
      fullName: r.fullName,
      pin: fixedPin ?? String(randomInt(0, 1_000_000)).padStart(6, '0'),
    }));
    // the hashes are computed before the transaction (it must not wait), then written in one go
    const hashes = out.map((r) => ({ id: r.candidateId, hash: pinHash(e.secret, r.candidateId, r.pin) }));
    await transaction(this.db, async () => {
      for (const h of hashes) await this.repo.setPinHash(h.id, h.hash);
      appendAudit(this.db, {
        actor,
        action: 'exam.pins.issue',
        entity: 'exam',
        entityId: examId,
        detail: { count: out.length, onlyMissing },
      });
    });
    return out;
  }
}
