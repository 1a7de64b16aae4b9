import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { AppError, notFound } from '../../plugins/errors.js';
import { checkPart, exemptFrom, type GeneratedPart, generatePartPapers, type PartCheck, verifyPaper } from '../papers/papers.js';
import { renderExamViews } from './paperView.js';
import { exemptionsColumn } from './repo/candidates.js';
import type { ExamRow, ExamsRepo } from './repo/exams.js';
import type { ExamService } from './service.js';

/**
 * The papers side of an exam's set-up: the blueprint check against the bank, paper generation,
 * the auditor's verification and the move to "ready" that freezes it all.
 */
export class Readiness {
  constructor(
    private readonly db: Db,
    private readonly repo: ExamsRepo,
    private readonly exams: ExamService,
  ) {}

  bankMultiple(e: ExamRow): number {
    return this.exams.effectiveProfile(e).bankMultiple ?? 1;
  }

  computerParts(examId: number) {
    return this.repo.computerParts(examId);
  }

  async blueprintCheck(examId: number): Promise<{ ok: boolean; multiple: number; parts: PartCheck[] }> {
    const e = this.exams.examRow(examId);
    const multiple = this.bankMultiple(e);
    const parts: PartCheck[] = [];
    for (const p of await this.computerParts(examId)) parts.push(await checkPart(this.db, p, multiple));
    return { ok: parts.every((p) => p.problems.length === 0 && p.shortfalls.length === 0), multiple, parts };
  }

  async generatePapers(examId: number, progress: (done: number, total: number) => void): Promise<GeneratedPart[]> {
    const e = this.exams.examRow(examId);
    this.exams.assertDraftExam(examId);
    const parts = await this.computerParts(examId);
    const n = await this.repo.candidateCount(examId);
    const total = n * parts.length;
    const out: GeneratedPart[] = [];
    for (const [i, p] of parts.entries()) {
      out.push(await generatePartPapers(this.db, e, p, this.bankMultiple(e), (d) => progress(i * n + d, total)));
    }
    progress(total, total);
    return out;
  }

  async verifyPaper(examId: number, partId: number, candidateId: number) {
    const e = this.exams.examRow(examId);
    const part = this.exams.partRow(partId);
    if (part.examId !== examId) throw notFound('phần thi', 'Exam part');
    return verifyPaper(this.db, e, part, candidateId);
  }

  /** Computer parts with candidates who should sit them (not exempt) and hold no paper: name and count. */
  private async missingPapers(examId: number): Promise<{ name: string; n: number }[]> {
    const parts = await this.computerParts(examId);
    const { candidates, held } = await this.repo.paperCoverage(
      examId,
      parts.map((p) => p.id),
    );
    const out: { name: string; n: number }[] = [];
    for (const p of parts) {
      const n = candidates.filter(
        (c) => !held.has(`${p.id}:${c.id}`) && !exemptFrom(p, exemptionsColumn.parse(c.exemptions)),
      ).length;
      if (n > 0) out.push({ name: p.name, n });
    }
    return out;
  }

  /** draft → ready: every computer part covered by the bank and every candidate holding a paper; then frozen. */
  async markReady(actor: Actor, examId: number): Promise<void> {
    const e = this.exams.examRow(examId);
    if (e.status !== 'draft')
      throw new AppError(409, 'INVALID_TRANSITION', 'Chỉ kỳ thi ở trạng thái nháp mới chuyển sang sẵn sàng', 'Not a draft');
    const check = await this.blueprintCheck(examId);
    if (!check.ok) {
      const lines = check.parts.flatMap((p) => [...p.problems, ...p.shortfalls.map((s) => `${p.name}: ${s.message}`)]);
      throw new AppError(409, 'BLUEPRINT_SHORTFALL', `Chưa thể sẵn sàng: ${lines.join('; ')}`, 'Blueprint not covered', check);
    }
    const missing = await this.missingPapers(examId);
    if (missing.length) {
      throw new AppError(
        409,
        'PAPERS_MISSING',
        `Còn thí sinh chưa có đề: ${missing.map((m) => `${m.name} (${m.n})`).join(', ')}. Hãy tạo đề thi.`,
        'Some candidates have no paper',
        missing,
      );
    }
    await transaction(this.db, async () => {
      await this.repo.setReady(examId);
      // each candidate's view of each paper is rendered once, here, and served as stored bytes (issue 15)
      renderExamViews(this.db, examId);
      appendAudit(this.db, {
        actor,
        action: 'exam.ready',
        entity: 'exam',
        entityId: examId,
        before: { status: 'draft' },
        after: { status: 'ready' },
      });
    });
  }
}
