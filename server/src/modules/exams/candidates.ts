import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { CandidateDto, CandidateImportReport } from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { answerPathIdle } from '../../db/writeGate.js';
import { AppError } from '../../plugins/errors.js';
import { boundIssues } from '../imports/issues.js';
import { CANDIDATE_IMPORT_MAX_ROWS, checkFileSize } from '../imports/limits.js';
import { parseCandidatesOffThread } from '../imports/run.js';
import { assignCandidateNumbers, candidateTemplate } from './candidates-import/index.js';
import { EligibilityService } from './eligibility.js';
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
  private readonly sqlite;
  constructor(
    private readonly db: Db,
    private readonly exams: ExamService,
    private readonly eligibility: EligibilityService = new EligibilityService(db, exams),
  ) {
    this.sqlite = db.$client;
  }

  list(examId: number): CandidateDto[] {
    const rows = this.sqlite
      .prepare(
        `SELECT c.id, c.number, c.full_name AS fullName, c.date_of_birth AS dateOfBirth, c.gender, c.id_number AS idNumber,
                c.ethnicity, c.position_id AS positionId, p.code AS positionCode, p.name AS positionName,
                c.priority_category AS priorityCategory, c.exemptions, c.pin_hash IS NOT NULL AS hasPin,
                (SELECT r.name FROM seat_assignments a JOIN rooms r ON r.id = a.room_id WHERE a.candidate_id = c.id ORDER BY a.sitting_id LIMIT 1) AS roomName,
                (SELECT a.seat_no FROM seat_assignments a WHERE a.candidate_id = c.id ORDER BY a.sitting_id LIMIT 1) AS seatNo
           FROM candidates c JOIN exam_positions p ON p.id = c.position_id
          WHERE c.exam_id = ? ORDER BY c.number`,
      )
      .all(examId) as (Omit<CandidateDto, 'exemptions' | 'hasPin'> & { exemptions: string; hasPin: number })[];
    return rows.map((r) => ({ ...r, exemptions: JSON.parse(r.exemptions) as string[], hasPin: !!r.hasPin }));
  }

  async template(examId: number): Promise<Buffer> {
    const e = this.exams.examRow(examId);
    const profile = this.exams.effectiveProfile(e);
    return candidateTemplate({
      kind: profile.kind,
      positions: this.exams.positions(examId).map((p) => ({ code: p.code, name: p.name })),
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
    const positions = this.exams.positions(examId);
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
      equivalences: this.eligibility.equivalences(examId),
      keepIneligible,
    });
    const issues = [...parsed.issues];
    const existing = new Set(
      this.sqlite.prepare('SELECT id_number FROM candidates WHERE exam_id = ?').pluck().all(examId) as string[],
    );
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
    this.sqlite.transaction(() => {
      if (this.exams.examRow(examId).status !== 'draft') {
        throw new AppError(
          409,
          'EXAM_FROZEN',
          'Kỳ thi đã sẵn sàng; không thể nhập thêm thí sinh.',
          'The exam is no longer a draft',
        );
      }
      const clash = this.sqlite.prepare('SELECT 1 FROM candidates WHERE exam_id = ? AND id_number = ?');
      const taken = parsed.rows.find((r) => clash.get(examId, r.idNumber));
      if (taken) {
        throw new AppError(
          409,
          'ID_NUMBER_EXISTS',
          `Số CCCD/CMND ${taken.idNumber} vừa được thêm vào danh sách thí sinh; hãy chạy kiểm tra lại`,
          'ID number exists',
        );
      }
      const ins = this.sqlite.prepare(
        `INSERT INTO candidates (exam_id, number, full_name, date_of_birth, gender, id_number, ethnicity, position_id, priority_category,
           exemptions, kiem_dinh, current_grade, years_in_grade, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      parsed.rows.forEach((r, i) => {
        ins.run(
          examId,
          `~new${i}`, // temporary; numbered below
          r.fullName,
          r.dateOfBirth,
          r.gender,
          r.idNumber,
          r.ethnicity,
          r.positionId,
          r.priorityCategory,
          JSON.stringify(r.exemptions),
          r.kiemDinh ? JSON.stringify(r.kiemDinh) : null,
          r.currentGrade,
          r.yearsInGrade,
          JSON.stringify(r.extra),
        );
      });
      this.renumber(examId, e.code, posCode);
      // promotion: every candidate gets an eligibility record (those kept as not eligible included)
      if (profile.kind === 'promotion') this.eligibility.recordImported(examId);
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
    })();
    report.created = parsed.rows.length;
    report.ms = Math.round(performance.now() - t0);
    return report;
  }

  private renumber(examId: number, examCode: string, posCode: Map<number, string>): void {
    const all = this.sqlite
      .prepare(
        'SELECT id, number, full_name AS fullName, date_of_birth AS dateOfBirth, id_number AS idNumber, position_id AS positionId, pin_hash AS pinHash FROM candidates WHERE exam_id = ?',
      )
      .all(examId) as {
      id: number;
      number: string;
      fullName: string;
      dateOfBirth: string;
      idNumber: string;
      positionId: number;
      pinHash: string | null;
    }[];
    const frozen = all.some((c) => c.pinHash);
    const fresh = frozen ? all.filter((c) => c.number.startsWith('~')) : all;
    const base = frozen ? all.filter((c) => !c.number.startsWith('~')).length : 0;
    const numbers = assignCandidateNumbers(
      examCode,
      fresh.map((c) => ({ ...c, positionCode: posCode.get(c.positionId) ?? '' })),
    );
    const upd = this.sqlite.prepare('UPDATE candidates SET number = ? WHERE id = ?');
    // two passes so that the unique (exam, number) index never sees a clash mid-way
    for (const c of fresh) upd.run(`~id${c.id}`, c.id);
    fresh.forEach((c, i) => {
      const n = numbers[i] ?? '';
      const seq = Number(n.slice(examCode.length)) + base;
      upd.run(`${examCode}${String(seq).padStart(n.length - examCode.length, '0')}`, c.id);
    });
  }

  /**
   * Issues a fresh 6-digit PIN to every candidate of the exam (or only those without one) and
   * returns them once, for printing: only their HMAC is stored.
   */
  issuePins(
    actor: Actor,
    examId: number,
    onlyMissing: boolean,
    /** the same PIN for everyone: only for the demo and tests */
    fixedPin?: string,
  ): { candidateId: number; number: string; fullName: string; pin: string }[] {
    const e = this.exams.examRow(examId);
    const rows = this.sqlite
      .prepare(
        `SELECT id, number, full_name AS fullName FROM candidates WHERE exam_id = ? ${onlyMissing ? 'AND pin_hash IS NULL' : ''} ORDER BY number`,
      )
      .all(examId) as { id: number; number: string; fullName: string }[];
    const out = rows.map((r) => ({
      candidateId: r.id,
      number: r.number,
      fullName: r.fullName,
      pin: fixedPin ?? String(randomInt(0, 1_000_000)).padStart(6, '0'),
    }));
    this.sqlite.transaction(() => {
      const upd = this.sqlite.prepare('UPDATE candidates SET pin_hash = ? WHERE id = ?');
      for (const r of out) upd.run(pinHash(e.secret, r.candidateId, r.pin), r.candidateId);
      appendAudit(this.db, {
        actor,
        action: 'exam.pins.issue',
        entity: 'exam',
        entityId: examId,
        detail: { count: out.length, onlyMissing },
      });
    })();
    return out;
  }
}
