import {
  EligibilityDataBody,
  EligibilityOverrideBody,
  EligibilitySchema,
  GradeEquivalenceBody,
  GradeEquivalenceSchema,
  IdParams,
  type Role,
} from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireUser } from '../../plugins/auth.js';

const tags = ['Điều kiện dự thi / Eligibility'];
const BOARD: Role[] = ['board', 'admin'];
const CandidateParams = Type.Object({ id: Type.Integer({ minimum: 1 }), candidateId: Type.Integer({ minimum: 1 }) });

/** Eligibility records and grade equivalences (issue 13). */
export const eligibilityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.eligibility;
  const actorOf = (u: { id: number; username: string }) => ({ id: u.id, name: u.username });

  app.get('/api/exams/:id/eligibility', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Điều kiện dự thi của mọi thí sinh (dữ liệu, kết quả xét, quyết định của Hội đồng)',
      params: IdParams,
      response: { 200: Type.Array(EligibilitySchema) },
    },
    handler: async (req) => svc.list(req.params.id),
  });

  app.get('/api/exams/:id/candidates/:candidateId/eligibility', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Điều kiện dự thi của một thí sinh',
      params: CandidateParams,
      response: { 200: EligibilitySchema },
    },
    handler: async (req) => svc.get(req.params.id, req.params.candidateId),
  });

  app.put('/api/exams/:id/candidates/:candidateId/eligibility', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Sửa dữ liệu xét điều kiện của thí sinh (thời gian tính theo tháng; ghi nhật ký)',
      params: CandidateParams,
      body: EligibilityDataBody,
      response: { 200: EligibilitySchema },
    },
    handler: async (req) => svc.update(actorOf(requireUser(req)), req.params.id, req.params.candidateId, req.body),
  });

  app.post('/api/exams/:id/candidates/:candidateId/eligibility/override', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Hội đồng quyết định về điều kiện dự thi (bắt buộc lý do và văn bản căn cứ)',
      params: CandidateParams,
      body: EligibilityOverrideBody,
      response: { 200: EligibilitySchema },
    },
    handler: async (req) => svc.override(actorOf(requireUser(req)), req.params.id, req.params.candidateId, req.body),
  });

  app.get('/api/exams/:id/grade-equivalences', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Bảng ngạch tương đương của kỳ thi (có căn cứ)',
      params: IdParams,
      response: { 200: Type.Array(GradeEquivalenceSchema) },
    },
    handler: async (req) => svc.equivalences(req.params.id),
  });

  app.post('/api/exams/:id/grade-equivalences', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Thêm ngạch tương đương (mã, tên, ngạch hành chính tương ứng, căn cứ)',
      params: IdParams,
      body: GradeEquivalenceBody,
      response: { 200: Type.Array(GradeEquivalenceSchema) },
    },
    handler: async (req) => svc.addEquivalence(actorOf(requireUser(req)), req.params.id, req.body),
  });
};
