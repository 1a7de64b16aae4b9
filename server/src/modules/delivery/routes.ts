import {
  AnswerBody,
  AnswerRefusalSchema,
  AnswerSavedSchema,
  AttemptSchema,
  CandidateLoginBody,
  CandidateMeSchema,
  FlagBody,
  fileResponse,
  Ok,
  SubmitResultSchema,
} from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config.js';
import type { Db } from '../../db/connection.js';
import { numberRateLimit } from '../../plugins/candidateRateLimit.js';
import { AppError, notFound } from '../../plugins/errors.js';
import { staffMaySeeImage } from '../banks/imageAccess.js';
import type { SealedPapers } from './sealed.js';
import { sealedRoutes } from './sealedRoutes.js';
import type { DeliveryService } from './service.js';

export const CANDIDATE_COOKIE = 'cand';
const CANDIDATE_TTL_SEC = 8 * 3600;
const tags = ['Thí sinh / Candidate'];

declare module 'fastify' {
  interface FastifyRequest {
    candidate: { id: number; deviceId: string } | null;
  }
}

/** Reads and checks a candidate session token (cookie), including that its device is still the active one. */
/**
 * Verified candidate tokens, so a burst of requests (a sitting's opening) does not re-run the HMAC
 * check for every one; an entry lives until the token expires. Bounded: cleared when full.
 */
const verified = new Map<string, { id: number; dev: string; exp: number }>();
const VERIFIED_MAX = 50_000;

export async function candidateFromToken(
  app: FastifyInstance,
  delivery: DeliveryService,
  token: string | undefined,
): Promise<{ id: number; deviceId: string }> {
  let hit = token ? verified.get(token) : undefined;
  if (hit && hit.exp * 1000 <= Date.now()) {
    verified.delete(token as string);
    hit = undefined;
  }
  if (!hit && token) {
    const payload = await app.verifyToken(token);
    if (payload?.kind === 'candidate' && payload.sub && typeof payload.dev === 'string' && typeof payload.exp === 'number') {
      hit = { id: Number(payload.sub), dev: payload.dev, exp: payload.exp };
      if (verified.size >= VERIFIED_MAX) verified.clear();
      verified.set(token, hit);
    }
  }
  if (!hit) {
    throw new AppError(401, 'AUTH_REQUIRED', 'Vui lòng đăng nhập bằng số báo danh và mã PIN', 'Candidate sign-in required');
  }
  const payload = { dev: hit.dev };
  const id = hit.id;
  if (delivery.activeDevice(id) !== payload.dev) {
    throw new AppError(
      409,
      'DEVICE_REPLACED',
      'Bài thi đã được chuyển sang máy khác theo quyết định của giám thị.',
      'This device was replaced',
    );
  }
  return { id, deviceId: payload.dev };
}

export const deliveryRoutes: FastifyPluginAsyncTypebox<{
  sealed: SealedPapers;
  config: AppConfig;
  db: Db;
}> = async (app, { sealed, config, db }) => {
  const delivery = app.delivery;
  app.decorateRequest('candidate', null);
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.access !== 'candidate') return;
    req.candidate = await candidateFromToken(app, delivery, req.cookies[CANDIDATE_COOKIE]);
  });
  await app.register(sealedRoutes, { sealed });
  const me = (req: FastifyRequest) => {
    if (!req.candidate) throw new AppError(401, 'AUTH_REQUIRED', 'Vui lòng đăng nhập', 'Sign-in required');
    return req.candidate.id;
  };

  app.post('/api/candidate/login', {
    config: {
      access: 'public',
      rateLimit: numberRateLimit(config.loginRateLimit, 'cand'),
    },
    schema: {
      tags,
      summary: 'Thí sinh đăng nhập bằng số báo danh và mã PIN',
      body: CandidateLoginBody,
      response: { 200: CandidateMeSchema },
    },
    handler: async (req, reply) => {
      const r = await delivery.login(
        req.body.number,
        req.body.pin,
        req.body.deviceId,
        req.ip,
        String(req.headers['user-agent'] ?? ''),
      );
      const token = await app.signToken({ kind: 'candidate', dev: req.body.deviceId }, String(r.candidateId), CANDIDATE_TTL_SEC);
      reply.setCookie(CANDIDATE_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: config.secureCookies,
        path: '/',
        maxAge: CANDIDATE_TTL_SEC,
      });
      return delivery.me(r.candidateId);
    },
  });

  app.post('/api/candidate/logout', {
    config: { access: 'public' },
    schema: { tags, summary: 'Thí sinh đăng xuất', response: { 200: Ok } },
    handler: async (_req, reply) => {
      reply.clearCookie(CANDIDATE_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });

  app.get('/api/candidate/me', {
    config: { access: 'candidate' },
    schema: { tags, summary: 'Thông tin thí sinh, ca thi và các phần thi', response: { 200: CandidateMeSchema } },
    handler: async (req) => delivery.me(me(req)),
  });

  app.post('/api/candidate/acknowledge', {
    config: { access: 'candidate' },
    schema: { tags, summary: 'Thí sinh xác nhận đã đọc nội quy', response: { 200: CandidateMeSchema } },
    handler: async (req) => {
      await delivery.acknowledgeRules(me(req));
      return delivery.me(me(req));
    },
  });

  // the paper is the stored view (rendered once at "ready"), spliced into the response as bytes; with
  // ?paper=key the client already holds it sealed and gets its key instead (sealed.ts, issue 15)
  // sent as JSON bytes (the stored view spliced in as it is: sealed.ts), so not serialized again;
  // the schema says what they hold
  const attemptBytes = {
    description: 'Bài thi của thí sinh (không có đáp án) / The candidate’s attempt (no key)',
    content: { 'application/json': { schema: Type.Unsafe<Uint8Array>(AttemptSchema) } },
  };
  const PaperQuery = Type.Object({ paper: Type.Optional(Type.Union([Type.Literal('view'), Type.Literal('key')])) });
  app.post('/api/candidate/parts/:partId/start', {
    config: { access: 'candidate' },
    schema: {
      tags,
      summary: 'Bắt đầu (hoặc tiếp tục) làm một phần thi',
      params: Type.Object({ partId: Type.Integer() }),
      querystring: PaperQuery,
      response: { 200: attemptBytes },
    },
    handler: async (req, reply) => {
      const id = me(req);
      const attemptId = await delivery.startAttempt(id, req.params.partId);
      return reply.type('application/json').send(await sealed.attemptJson(id, attemptId, req.query.paper ?? 'view'));
    },
  });

  app.get('/api/candidate/attempts/:attemptId', {
    config: { access: 'candidate' },
    schema: {
      tags,
      summary: 'Đề thi của thí sinh (không có đáp án), câu đã lưu, thời gian',
      params: Type.Object({ attemptId: Type.Integer() }),
      querystring: PaperQuery,
      response: { 200: attemptBytes },
    },
    handler: async (req, reply) =>
      reply.type('application/json').send(await sealed.attemptJson(me(req), req.params.attemptId, req.query.paper ?? 'view')),
  });

  app.post('/api/candidate/attempts/:attemptId/answers', {
    config: { access: 'candidate' },
    schema: {
      tags,
      summary: 'Lưu một câu trả lời (dự phòng khi không có kết nối socket); trả lời sau khi đã ghi bền vững',
      params: Type.Object({ attemptId: Type.Integer() }),
      body: AnswerBody,
      response: { 200: AnswerSavedSchema, 403: AnswerRefusalSchema, 409: AnswerRefusalSchema },
    },
    handler: async (req, reply) => {
      const ack = await delivery.saveAnswer(me(req), req.params.attemptId, req.body);
      return ack.ok ? ack : reply.status(ack.code === 'FORBIDDEN_ATTEMPT' ? 403 : 409).send(ack);
    },
  });

  app.post('/api/candidate/attempts/:attemptId/flags', {
    config: { access: 'candidate' },
    schema: {
      tags,
      summary: 'Đánh dấu câu cần xem lại',
      params: Type.Object({ attemptId: Type.Integer() }),
      body: FlagBody,
      response: { 200: Ok },
    },
    handler: async (req) => {
      await delivery.setFlag(me(req), req.params.attemptId, req.body.questionNo, req.body.flagged);
      return { ok: true as const };
    },
  });

  app.post('/api/candidate/attempts/:attemptId/submit', {
    config: { access: 'candidate' },
    schema: {
      tags,
      summary: 'Nộp bài',
      params: Type.Object({ attemptId: Type.Integer() }),
      response: { 200: SubmitResultSchema },
    },
    handler: async (req) => {
      delivery.assertOwner(me(req), req.params.attemptId);
      return delivery.submit(req.params.attemptId, 'candidate');
    },
  });

  app.get('/api/images/:id', {
    config: { access: 'public' },
    schema: {
      tags: ['Ngân hàng câu hỏi / Question banks'],
      summary:
        'Ảnh trong câu hỏi: Hội đồng thi, người ra đề/duyệt đề của môn có câu hỏi chứa ảnh, hoặc thí sinh có đề chứa ảnh này',
      params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
      response: { 200: fileResponse('image/png', 'image/jpeg', 'image/gif', 'image/webp') },
    },
    handler: async (req, reply) => {
      if (req.user && !(await staffMaySeeImage(db, req.user, req.params.id))) {
        throw new AppError(
          403,
          'FORBIDDEN_IMAGE',
          'Bạn không được phân công môn thi có câu hỏi chứa ảnh này',
          'You are not assigned to a subject that uses this image',
        );
      }
      if (!req.user) {
        const candidate = await candidateFromToken(app, delivery, req.cookies[CANDIDATE_COOKIE]);
        if (!(await delivery.candidateMaySeeImage(candidate.id, req.params.id))) {
          throw new AppError(
            403,
            'FORBIDDEN_IMAGE',
            'Ảnh này không thuộc đề thi của thí sinh',
            'This image is not in your paper',
          );
        }
      }
      const img = await delivery.image(req.params.id);
      if (!img) throw notFound('ảnh', 'Image');
      return reply
        .header('content-type', img.mime)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(img.bytes);
    },
  });
};
