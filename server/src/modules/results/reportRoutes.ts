import { type ExamResultsDto, IdParams, type Role } from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../db/connection.js';
import { AppError } from '../../plugins/errors.js';
import { BankService } from '../banks/service.js';
import { ExamService } from '../exams/service.js';
import { noticesPdf, type ResultsDocInfo, rankingPdf, resultsXlsx } from './documents.js';
import { examItemAnalysis, questionItemAnalysis, questionSubject } from './itemAnalysisService.js';
import { resultsStats } from './stats.js';

const tags = ['Kết quả / Results'];
const BOARD: Role[] = ['board', 'admin'];
const QUESTION_READERS: Role[] = ['board', 'admin', 'author', 'reviewer'];
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename="${name}"`;

/**
 * Result reports (issue 6): the XLSX workbook, the ranking and notice PDFs and the statistics of an
 * exam's results (the published snapshot once published), and item analysis per exam and per
 * question. Authors and reviewers see a question's analysis only for their subjects.
 */
export const resultReportRoutes: FastifyPluginAsyncTypebox<{
  db: Db;
  results: { results(examId: number): ExamResultsDto };
}> = async (app, { db, results }) => {
  const exams = new ExamService(db);
  const banks = new BankService(db);
  const examInfo = (id: number): ResultsDocInfo => {
    const e = exams.examRow(id);
    return { name: e.name, code: e.code, organisingBody: e.organisingBody };
  };

  app.get('/api/exams/:id/results.xlsx', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Kết quả thi (XLSX): danh sách kết quả, xếp hạng theo vị trí, bảng điểm theo phòng thi',
      params: IdParams,
    },
    handler: async (req, reply) => {
      const info = examInfo(req.params.id);
      const xlsx = await resultsXlsx(results.results(req.params.id), info);
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachment('ket-qua-thi.xlsx')).send(xlsx);
    },
  });

  app.get('/api/exams/:id/results/ranking.pdf', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Danh sách kết quả thi và xếp hạng theo vị trí (PDF, có chữ ký Chủ tịch Hội đồng thi)',
      params: IdParams,
    },
    handler: async (req, reply) => {
      const info = examInfo(req.params.id);
      const pdf = await rankingPdf(results.results(req.params.id), info);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachment('danh-sach-xep-hang.pdf'))
        .send(pdf);
    },
  });

  app.get('/api/exams/:id/results/notices.pdf', {
    config: { access: BOARD },
    schema: { tags, summary: 'Thông báo kết quả thi cho từng thí sinh (PDF, mỗi thí sinh một trang)', params: IdParams },
    handler: async (req, reply) => {
      const info = examInfo(req.params.id);
      const pdf = await noticesPdf(results.results(req.params.id), info);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachment('thong-bao-ket-qua.pdf'))
        .send(pdf);
    },
  });

  app.get('/api/exams/:id/results/stats', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Thống kê kết quả: phân bố điểm từng phần thi, tỷ lệ đạt theo phòng thi và theo vị trí',
      params: IdParams,
      querystring: Type.Object({ bins: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })) }),
    },
    handler: async (req) => {
      exams.examRow(req.params.id);
      return resultsStats(results.results(req.params.id), req.query.bins ?? 10);
    },
  });

  app.get('/api/exams/:id/item-analysis', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Phân tích câu hỏi sau kỳ thi: độ khó, độ phân biệt, hệ số tương quan điểm-nhị phân, phương án nhiễu, độ tin cậy',
      params: IdParams,
    },
    handler: async (req) => examItemAnalysis(db, req.params.id),
  });

  app.get('/api/questions/:id/item-analysis', {
    config: { access: QUESTION_READERS },
    schema: { tags, summary: 'Kết quả phân tích của một câu hỏi qua các kỳ thi đã dùng nó', params: IdParams },
    handler: async (req) => {
      if (!req.user) throw new AppError(401, 'AUTH_REQUIRED', 'Bạn cần đăng nhập', 'Sign-in required');
      await banks.assertRead(req.user, questionSubject(db, req.params.id));
      return questionItemAnalysis(db, req.params.id);
    },
  });
};
