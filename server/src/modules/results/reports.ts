import type { ExamItemAnalysisDto, QuestionItemAnalysisDto, ResultsStatsDto } from '@exam/shared';
import type { Db } from '../../db/connection.js';
import type { AuthUser } from '../../plugins/auth.js';
import type { BankService } from '../banks/service.js';
import type { ExamService } from '../exams/service.js';
import { noticesPdf, rankingPdf, resultsXlsx } from './documents.js';
import { examItemAnalysis, questionItemAnalysis, questionSubject } from './itemAnalysisService.js';
import type { ResultsService } from './service.js';
import { resultsStats } from './stats.js';

/**
 * Result reports (issue 6): the XLSX workbook, the ranking and notice PDFs and the statistics of an
 * exam's results (the published snapshot once published), and item analysis per exam and per
 * question. Authors and reviewers see a question's analysis only for their subjects.
 */
export class ResultReportsService {
  constructor(
    private readonly db: Db,
    private readonly results: ResultsService,
    private readonly exams: ExamService,
    private readonly banks: BankService,
  ) {}

  private info(examId: number) {
    const e = this.exams.examRow(examId);
    return { name: e.name, code: e.code, organisingBody: e.organisingBody };
  }

  async xlsx(examId: number): Promise<Buffer> {
    const info = this.info(examId);
    return resultsXlsx(await this.results.results(examId), info);
  }

  async rankingPdf(examId: number): Promise<Buffer> {
    const info = this.info(examId);
    return rankingPdf(await this.results.results(examId), info);
  }

  async noticesPdf(examId: number): Promise<Buffer> {
    const info = this.info(examId);
    return noticesPdf(await this.results.results(examId), info);
  }

  async stats(examId: number, bins: number): Promise<ResultsStatsDto> {
    this.exams.examRow(examId);
    return resultsStats(await this.results.results(examId), bins);
  }

  examItemAnalysis(examId: number): Promise<ExamItemAnalysisDto> {
    return examItemAnalysis(this.db, examId);
  }

  /** A question's analysis across exams, for a user who may read its subject. */
  async questionItemAnalysis(user: AuthUser, questionId: number): Promise<QuestionItemAnalysisDto> {
    await this.banks.assertRead(user, await questionSubject(this.db, questionId));
    return questionItemAnalysis(this.db, questionId);
  }
}
