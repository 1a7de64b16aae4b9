import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection.js';
import { ResultReportsService } from './reports.js';
import { ReviewService } from './review.js';
import { ResultsService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Scores, ranking, publication and lookup (modules/results). Constructed once, here. */
    results: ResultsService;
    /** Phúc khảo (modules/results/review.ts). */
    reviews: ReviewService;
    /** Result reports: XLSX, PDFs, statistics, item analysis (modules/results/reports.ts). */
    resultReports: ResultReportsService;
  }
}

/**
 * Registers the results services once (docs/ARCHITECTURE.md, "Services as plugins"). They use the
 * exams area's ExamService and EligibilityService and the banks area's BankService, given to them
 * through their constructors.
 */
export const resultsPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db }) => {
    const { db } = opts;
    // the exams and banks areas' services, registered once by their plugins
    const { exams, eligibility, banks } = app;
    const results = new ResultsService(db, exams, eligibility);
    app.decorate('results', results);
    app.decorate('reviews', new ReviewService(db, results, exams));
    app.decorate('resultReports', new ResultReportsService(db, results, exams, banks));
  },
  { name: 'results', dependencies: ['exams', 'banks'] },
);
