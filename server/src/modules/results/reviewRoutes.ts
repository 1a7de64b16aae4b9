import {
  IdParams,
  PublicationVersionDto,
  RepublicationReportDto,
  RepublishBody,
  ReviewAssignBody,
  ReviewerOptionDto,
  ReviewMarkBody,
  ReviewRequestBody,
  ReviewRequestDto,
  ReviewSettingsBody,
  ReviewSettingsDto,
  type Role,
} from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireUser } from '../../plugins/auth.js';
import { fileResponse } from './fileResponse.js';
import { reviewNoticePdf } from './reviewNotice.js';

const tags = ['Phúc khảo / Review'];
const BOARD: Role[] = ['board', 'admin'];
const RequestParams = Type.Object({ id: Type.Integer({ minimum: 1 }), requestId: Type.Integer({ minimum: 1 }) });

/** Phúc khảo (issue 13): settings, requests, reviewers, review marks, republication and notices. */
export const reviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { reviews } = app;

  app.get('/api/exams/:id/reviews/settings', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Thời hạn nhận đơn phúc khảo và điểm được công nhận (Hội đồng quy định)',
      params: IdParams,
      response: { 200: ReviewSettingsDto },
    },
    handler: async (req) => reviews.settings(req.params.id),
  });

  app.put('/api/exams/:id/reviews/settings', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Đặt thời hạn nhận đơn phúc khảo và quy tắc công nhận điểm',
      params: IdParams,
      body: ReviewSettingsBody,
      response: { 200: ReviewSettingsDto },
    },
    handler: async (req) => reviews.setSettings(requireUser(req), req.params.id, req.body),
  });

  app.get('/api/exams/:id/reviews', {
    config: { access: BOARD },
    schema: { tags, summary: 'Danh sách đơn phúc khảo', params: IdParams, response: { 200: Type.Array(ReviewRequestDto) } },
    handler: async (req) => reviews.list(req.params.id),
  });

  app.post('/api/exams/:id/reviews', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Ghi nhận đơn phúc khảo của thí sinh (ngày nhận đơn trong thời hạn; không áp dụng cho bài thi trên máy)',
      params: IdParams,
      body: ReviewRequestBody,
      response: { 201: ReviewRequestDto },
    },
    handler: async (req, reply) => reply.code(201).send(await reviews.request(requireUser(req), req.params.id, req.body)),
  });

  app.get('/api/exams/:id/reviews/:requestId/reviewers', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Những người có thể được phân công chấm phúc khảo đơn này (người đã chấm bài thì không)',
      params: RequestParams,
      response: { 200: Type.Array(ReviewerOptionDto) },
    },
    handler: async (req) => reviews.reviewerOptions(req.params.id, req.params.requestId),
  });

  app.post('/api/exams/:id/reviews/:requestId/reviewers', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Phân công hai người chấm phúc khảo (không phải người đã chấm bài)',
      params: RequestParams,
      body: ReviewAssignBody,
      response: { 200: ReviewRequestDto },
    },
    handler: async (req) => reviews.assign(requireUser(req), req.params.id, req.params.requestId, req.body),
  });

  app.post('/api/exams/:id/reviews/:requestId/marks', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Nhập điểm của một người chấm phúc khảo (nhập hai lần)',
      params: RequestParams,
      body: ReviewMarkBody,
      response: { 200: ReviewRequestDto },
    },
    handler: async (req) => reviews.enterMark(requireUser(req), req.params.id, req.params.requestId, req.body),
  });

  app.post('/api/exams/:id/reviews/republish', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Công bố lại kết quả sau phúc khảo (phiên bản mới, báo cáo trước/sau, giữ cả hai SHA-256)',
      params: IdParams,
      body: RepublishBody,
      response: { 200: RepublicationReportDto },
    },
    handler: async (req) => reviews.republish(requireUser(req), req.params.id, req.body.reason),
  });

  app.get('/api/exams/:id/results/publications', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Các phiên bản công bố kết quả (SHA-256, báo cáo công bố lại)',
      params: IdParams,
      response: { 200: Type.Array(PublicationVersionDto) },
    },
    handler: async (req) => reviews.publicationList(req.params.id),
  });

  app.get('/api/exams/:id/reviews/:requestId/notice.pdf', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Thông báo kết quả phúc khảo của một đơn (PDF)',
      params: RequestParams,
      response: fileResponse('application/pdf'),
    },
    handler: async (req, reply) => {
      const pdf = await reviewNoticePdf(await reviews.noticeData(req.params.id, req.params.requestId));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="thong-bao-phuc-khao-${req.params.requestId}.pdf"`)
        .send(pdf);
    },
  });
};
