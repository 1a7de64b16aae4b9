import {
  type AttemptScoreChange,
  correctionIssues,
  type KeyCorrection,
  type KeyCorrectionBody,
  type KeyCorrectionDto,
  type KeyCorrectionReport,
  type ScoringQuestion,
  scoreAttempt,
} from '@exam/shared';
import { appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import type { AuthUser } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import { decodePaper } from '../exams/papers.js';
import type { ExamService } from '../exams/service.js';
import { passRuleOf } from './columns.js';
import { examCorrections, type ResultsRepo } from './repo.js';

export interface KeyCorrectionDeps {
  db: Db;
  repo: ResultsRepo;
  exams: ExamService;
}

/** The exam's key corrections, oldest first. */
export async function listCorrections(repo: ResultsRepo, examId: number): Promise<KeyCorrectionDto[]> {
  return (await repo.corrections(examId)).map((k) => ({
    id: k.id,
    versionId: k.versionId,
    questionId: k.questionId,
    kind: k.kind,
    correct: k.correct,
    mode: k.mode,
    reason: k.reason,
    by: k.byName ?? '',
    at: k.at,
    affected: k.report.affected,
    changed: k.report.changed.length,
  }));
}

/**
 * Fixes a question's key (or voids the question) and re-scores, in one transaction, exactly the
 * submitted attempts whose paper holds it; returns a before/after report. Published results are
 * reopened with the correction's reason.
 */
export async function correctKey(
  deps: KeyCorrectionDeps,
  user: AuthUser,
  examId: number,
  body: KeyCorrectionBody,
): Promise<KeyCorrectionReport> {
  const { db, repo, exams } = deps;
  const reason = body.reason.trim();
  if (!reason) throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do điều chỉnh đáp án', 'A reason is required');
  const correction: KeyCorrection =
    body.kind === 'rekey' ? { kind: 'rekey', correct: body.correct ?? [] } : { kind: 'void', mode: body.mode ?? 'full_marks' };
  if (body.kind === 'void' && !body.mode)
    throw new AppError(400, 'MODE_REQUIRED', 'Hãy chọn: cho điểm tất cả hoặc bỏ câu hỏi', 'Choose full marks or drop');
  const version = await repo.questionVersion(body.versionId);
  if (!version) throw new AppError(404, 'VERSION_NOT_FOUND', 'Không tìm thấy phiên bản câu hỏi', 'No such question version');
  const problems = correctionIssues({ options: version.options }, correction);
  if (problems.length > 0)
    throw new AppError(400, 'CORRECTION_INVALID', problems.join('; '), 'The correction is not valid for this question', {
      problems,
    });
  const parts = new Map(exams.parts(examId).map((p) => [p.id, p]));
  const partialCredit = exams.effectiveProfile(exams.examRow(examId)).partialCredit === true;
  const holding = (await repo.attemptsWithPapers(examId))
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
  const corrections = examCorrections(db, examId);
  corrections.set(body.versionId, correction);
  const contentCache = new Map<number, ScoringQuestion>();
  const question = async (versionId: number): Promise<ScoringQuestion> => {
    let q = contentCache.get(versionId);
    if (!q) {
      const v = await repo.questionVersion(versionId);
      if (!v) throw new AppError(404, 'VERSION_NOT_FOUND', 'Không tìm thấy phiên bản câu hỏi', 'No such question version');
      q = { versionId, type: v.type, stem: v.stem, options: v.options, partialCredit: v.partialCredit };
      contentCache.set(versionId, q);
    }
    return q;
  };
  const changed: AttemptScoreChange[] = [];
  const updates: { id: number; correct: number; total: number; score: number; passed: boolean }[] = [];
  for (const a of submittedHolders) {
    const part = parts.get(a.partId);
    if (!part) continue;
    const answers = await repo.answers(a.id);
    const questions: ScoringQuestion[] = [];
    for (const it of a.paper) questions.push(await question(Number(it.versionId)));
    const after = scoreAttempt(
      questions,
      answers,
      { scoreScale: part.scoreScale, passRule: passRuleOf(part.passRule), partialCredit },
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
  const actor = { id: user.id, name: user.username };
  return transaction(db, async () => {
    const pub = await repo.publications.active(examId);
    const report: KeyCorrectionReport = {
      correctionId: 0,
      versionId: body.versionId,
      affected: holding.length,
      changed,
      unpublished: !!pub,
    };
    const id = await repo.insertKeyCorrection({
      examId,
      versionId: body.versionId,
      kind: body.kind,
      correct: body.kind === 'rekey' ? (body.correct ?? []) : null,
      mode: body.kind === 'void' ? (body.mode ?? null) : null,
      reason,
      createdBy: user.id,
    });
    report.correctionId = id;
    // the report row is written once, complete (key_corrections has no update path besides this)
    await repo.setCorrectionReport(id, report);
    for (const u of updates) await repo.updateAttemptScore(u);
    if (pub) {
      await repo.publications.revoke(pub.id, new Date().toISOString(), `Điều chỉnh đáp án: ${reason}`);
      await repo.setExamStatus(examId, 'finished');
    }
    appendAudit(db, {
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
    return report;
  });
}
