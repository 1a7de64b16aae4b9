import { ExamItemAnalysisDto, IdParams, QuestionItemAnalysisDto, ResultsStatsDto, type Role } from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../plugins/errors.js';
import { fileResponse, XLSX_MIME } from './fileResponse.js';

const tags = ['Kết quả / Results'];
const BOARD: Role[] = ['board', 'admin'];
const QUESTION_READERS: Role[] = ['board', 'admin', 'author', 'reviewer'];
const attachment = (name: string) => `attachment; filename="${name}"`;

/**
 * Result reports (issue 6): the XLSX workbook, the ranking and notice PDFs and the statistics of an
 * exam's results (the published snapshot once published), and item analysis per exam and per
 * question. Authors and reviewers see a question's analysis only for their subjects. The service is
 * `app.resultReports` (reports.ts).
 */
export const resultReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { resultReports: reports } = app;

  app.get('/api/exams/:id/results.xlsx', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Kết quả thi (XLSX): danh sách kết quả, xếp hạng theo vị trí, bảng điểm theo phòng thi',
      params: IdParams,
      response: fileResponse(XLSX_MIME),
    },
    handler: async (req, reply) => {
      const xlsx = await reports.xlsx(req.params.id);
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachment('ket-qua-thi.xlsx')).send(xlsx);
    },
  });

  app.get('/api/exams/:id/results/ranking.pdf', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Danh sách kết quả thi và xếp hạng theo vị trí (PDF, có chữ ký Chủ tịch Hội đồng thi)',
      params: IdParams,
      response: fileResponse('application/pdf'),
    },
    handler: async (req, reply) => {
      const pdf = await reports.rankingPdf(req.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachment('danh-sach-xep-hang.pdf'))
        .send(pdf);
    },
  });

  app.get('/api/exams/:id/results/notices.pdf', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Thông báo kết quả thi cho từng thí sinh (PDF, mỗi thí sinh một trang)',
      params: IdParams,
      response: fileResponse('application/pdf'),
    },
    handler: async (req, reply) => {
      const pdf = await reports.noticesPdf(req.params.id);
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
      response: { 200: ResultsStatsDto },
    },
    handler: async (req) => reports.stats(req.params.id, req.query.bins ?? 10),
  });

  app.get('/api/exams/:id/item-analysis', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Phân tích câu hỏi sau kỳ thi: độ khó, độ phân biệt, hệ số tương quan điểm-nhị phân, phương án nhiễu, độ tin cậy',
      params: IdParams,
      response: { 200: ExamItemAnalysisDto },
    },
    handler: async (req) => reports.examItemAnalysis(req.params.id),
  });

  app.get('/api/questions/:id/item-analysis', {
    config: { access: QUESTION_READERS },
    schema: {
      tags,
      summary: 'Kết quả phân tích của một câu hỏi qua các kỳ thi đã dùng nó',
      params: IdParams,
      response: { 200: QuestionItemAnalysisDto },
    },
    handler: async (req) => {
      if (!req.user) throw new AppError(401, 'AUTH_REQUIRED', 'Bạn cần đăng nhập', 'Sign-in required');
      return reports.questionItemAnalysis(req.user, req.params.id);
    },
  });
};
