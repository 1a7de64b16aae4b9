import {
  CandidateMarksDto,
  ExamLifecycleResponse,
  ExamResultsDto,
  KeyCorrectionBody,
  KeyCorrectionDto,
  KeyCorrectionReport,
  MarkingRuleBody,
  MarkingRuleDto,
  PublishBody,
  ResultLookupBody,
  ResultLookupDto,
  ScoreEntryBody,
  ScoreEntryReport,
  TieDecisionBody,
} from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppConfig } from '../../config.js';
import { requireUser } from '../../plugins/auth.js';
import { SCORES_BODY_LIMIT } from '../../plugins/bodyLimits.js';
import { numberRateLimit } from '../../plugins/candidateRateLimit.js';

const tags = ['Kết quả / Results'];
const BOARD = ['board', 'admin'] as const;
const ExamParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const userOf = requireUser;

/** Marks, results, ties, publication, key corrections and the candidate's lookup; the service is `app.results`. */
export const resultRoutes: FastifyPluginAsyncTypebox<{ config: AppConfig }> = async (app, { config }) => {
  const { results } = app;
  app.get('/api/exams/:id/marking', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Quy tắc chấm các phần thi không trên máy (số người chấm, chênh lệch tối đa)',
      params: ExamParams,
      response: { 200: Type.Array(MarkingRuleDto) },
    },
    handler: async (req) => results.markingRules(req.params.id),
  });

  app.put('/api/exams/:id/parts/:partId/marking', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Đặt quy tắc chấm của một phần thi',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), partId: Type.Integer({ minimum: 1 }) }),
      body: MarkingRuleBody,
      response: { 200: MarkingRuleDto },
    },
    handler: async (req) => results.setMarkingRule(userOf(req), req.params.id, req.params.partId, req.body),
  });

  app.get('/api/exams/:id/scores', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Điểm đã nhập của một phần thi (từng người chấm)',
      params: ExamParams,
      querystring: Type.Object({ partId: Type.Integer({ minimum: 1 }) }),
      response: { 200: Type.Array(CandidateMarksDto) },
    },
    handler: async (req) => results.marks(req.params.id, req.query.partId),
  });

  app.post('/api/exams/:id/scores', {
    config: { access: BOARD },
    bodyLimit: SCORES_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Nhập điểm (nhập hai lần để đối chiếu); sai một dòng thì không lưu dòng nào',
      params: ExamParams,
      body: ScoreEntryBody,
      response: { 200: ScoreEntryReport },
    },
    handler: async (req) => results.enterScores(userOf(req), req.params.id, req.body),
  });

  app.get('/api/exams/:id/results', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Kết quả và xếp hạng theo vị trí (bản công bố nếu đã công bố)',
      params: ExamParams,
      response: { 200: ExamResultsDto },
    },
    handler: async (req) => results.results(req.params.id),
  });

  app.post('/api/exams/:id/results/ties', {
    // the head's decision is entered only by the council chair, who signs for the head (issue 13)
    config: { access: ['chair'] },
    bodyLimit: 64 * 1024,
    schema: {
      tags,
      summary: 'Ghi quyết định của Thủ trưởng cho nhóm bằng điểm (số, ngày, người ký); chỉ Chủ tịch Hội đồng thi (vai trò chair)',
      params: ExamParams,
      body: TieDecisionBody,
      response: { 200: ExamResultsDto },
    },
    handler: async (req) => results.decideTie(userOf(req), req.params.id, req.body),
  });

  app.post('/api/exams/:id/candidates/:candidateId/cancel-result', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Hội đồng hủy kết quả thi của một thí sinh (ghi lý do)',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), candidateId: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }),
      response: { 200: ExamResultsDto },
    },
    handler: async (req) => results.cancelResult(userOf(req), req.params.id, req.params.candidateId, req.body.reason),
  });

  app.post('/api/exams/:id/results/publish', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Công bố kết quả (đóng băng)',
      params: ExamParams,
      body: PublishBody,
      response: { 200: ExamResultsDto },
    },
    handler: async (req) => results.publish(userOf(req), req.params.id, req.body.reason ?? ''),
  });

  app.get('/api/exams/:id/lifecycle', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Trạng thái kỳ thi và từng ca, phòng thi; các bước tiếp theo được phép và lý do nếu chưa được',
      params: ExamParams,
      response: { 200: ExamLifecycleResponse },
    },
    handler: async (req) => results.lifecycle(req.params.id),
  });

  app.get('/api/exams/:id/key-corrections', {
    config: { access: BOARD },
    schema: { tags, summary: 'Các lần điều chỉnh đáp án', params: ExamParams, response: { 200: Type.Array(KeyCorrectionDto) } },
    handler: async (req) => results.corrections(req.params.id),
  });

  app.post('/api/exams/:id/key-corrections', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Điều chỉnh đáp án hoặc hủy câu hỏi; chấm lại các bài liên quan trong một giao dịch',
      params: ExamParams,
      body: KeyCorrectionBody,
      response: { 200: KeyCorrectionReport },
    },
    handler: async (req) => results.correctKey(userOf(req), req.params.id, req.body),
  });

  app.post('/api/results/lookup', {
    config: {
      access: 'public',
      rateLimit: numberRateLimit(config.loginRateLimit, 'lookup'),
    },
    schema: {
      tags,
      summary: 'Thí sinh tra cứu kết quả đã công bố bằng số báo danh và mã PIN',
      body: ResultLookupBody,
      response: { 200: ResultLookupDto },
    },
    handler: async (req) => results.lookup(req.body.number, req.body.pin),
  });
};
