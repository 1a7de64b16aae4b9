import type { IncomingHttpHeaders } from 'node:http';
import {
  AccommodationBody,
  AccommodationDto,
  AccommodationSet,
  LockdownBody,
  LockdownReport,
  LockdownSettingsDto,
  type Role,
  SeatLockdown,
} from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import { CANDIDATE_COOKIE, candidateFromToken } from '../delivery/routes.js';
import type { DeliveryService } from '../delivery/service.js';
import type { LockdownService, SebProof } from './service.js';

const BOARD: Role[] = ['board', 'admin'];
const tags = ['Khóa máy / Lockdown'];

export const SEB_HEADER = 'x-safeexambrowser-configkeyhash';
/** what the candidate page sends when only SEB's JavaScript API is available */
export const SEB_JS_HASH_HEADER = 'x-exam-seb-configkey';
export const SEB_JS_PAGE_HEADER = 'x-exam-seb-page';

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The proof a request (or a socket handshake) carries: its absolute URL and the SEB hashes. */
export function sebProof(headers: IncomingHttpHeaders, url: string, encrypted: boolean, auth?: unknown): SebProof {
  const proto = one(headers['x-forwarded-proto']) ?? (encrypted ? 'https' : 'http');
  const host = one(headers.host) ?? 'localhost';
  const fromAuth = (k: string): string | undefined =>
    auth && typeof auth === 'object' && k in auth && typeof (auth as Record<string, unknown>)[k] === 'string'
      ? String((auth as Record<string, unknown>)[k])
      : undefined;
  return {
    url: `${proto}://${host}${url}`,
    headerHash: one(headers[SEB_HEADER]),
    jsHash: one(headers[SEB_JS_HASH_HEADER]) ?? fromAuth('sebKey'),
    jsPage: one(headers[SEB_JS_PAGE_HEADER]) ?? fromAuth('sebPage'),
  };
}

/**
 * Every candidate request is checked for SEB where the candidate's exam requires it: the signed-in
 * candidate's exam, or at sign-in the exam of the number typed.
 */
export function registerSebCheck(app: FastifyInstance, lockdown: LockdownService, delivery: DeliveryService): void {
  app.addHook('preHandler', async (req) => {
    const path = req.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/candidate/')) return;
    const exams = new Set<number>();
    const token = req.cookies[CANDIDATE_COOKIE];
    if (token) {
      try {
        // a candidate route has checked the session already (delivery/routes.ts): not twice per request
        const c = req.candidate ?? (await candidateFromToken(app, delivery, token));
        const e = lockdown.examOfCandidate(c.id);
        if (e !== null) exams.add(e);
      } catch {
        // the route itself answers an invalid session
      }
    }
    const body = req.body;
    if (
      path === '/api/candidate/login' &&
      body &&
      typeof body === 'object' &&
      'number' in body &&
      typeof body.number === 'string'
    )
      for (const e of lockdown.examsOfNumber(body.number.trim())) exams.add(e);
    if (exams.size === 0) return;
    const proof = sebProof(req.headers, req.url, req.protocol === 'https');
    for (const e of exams) lockdown.checkSeb(e, proof);
  });
}

export const lockdownRoutes: FastifyPluginAsyncTypebox<{
  delivery: DeliveryService;
  onReport: (candidateId: number) => void;
}> = async (app, { delivery, onReport }) => {
  const lockdown = app.lockdown;
  const origin = (req: FastifyRequest) => {
    const p = sebProof(req.headers, '', req.protocol === 'https');
    return p.url;
  };
  const params = Type.Object({ id: Type.Integer({ minimum: 1 }) });

  app.get('/api/exams/:id/lockdown', {
    config: { access: [...BOARD, 'invigilator'] },
    schema: {
      tags,
      summary: 'Cài đặt khóa máy của kỳ thi (Safe Exam Browser, mất tiêu điểm)',
      params,
      response: { 200: LockdownSettingsDto },
    },
    handler: async (req) => lockdown.settings(req.params.id),
  });

  app.put('/api/exams/:id/lockdown', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Đặt yêu cầu Safe Exam Browser và chính sách khi thí sinh rời màn hình làm bài',
      params,
      body: LockdownBody,
      response: { 200: LockdownSettingsDto },
    },
    handler: async (req) => {
      const u = requireUser(req);
      return lockdown.update({ id: u.id, name: u.username }, req.params.id, req.body, origin(req));
    },
  });

  app.get('/api/exams/:id/seb-config', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Tải tệp cấu hình Safe Exam Browser (.seb) của kỳ thi',
      params,
      response: { 200: { content: { 'application/seb': { schema: Type.String() } } } },
    },
    handler: async (req, reply) => {
      const { file, configKey } = await lockdown.sebDownload(req.params.id);
      return reply
        .header('content-type', 'application/seb')
        .header('content-disposition', `attachment; filename="exam-${req.params.id}.seb"`)
        .header('x-seb-config-key', configKey)
        .send(file);
    },
  });

  app.get('/api/exams/:id/accommodations', {
    config: { access: [...BOARD, 'invigilator'] },
    schema: {
      tags,
      summary: 'Thí sinh được cộng thêm thời gian (điều chỉnh hợp lý) và lý do',
      params,
      response: { 200: Type.Array(AccommodationDto) },
    },
    handler: async (req) => lockdown.accommodations(req.params.id),
  });

  app.put('/api/exams/:id/candidates/:candidateId/accommodation', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Hội đồng thi cộng thêm thời gian cho một thí sinh trước ca thi, kèm lý do (0 = bỏ)',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), candidateId: Type.Integer({ minimum: 1 }) }),
      body: AccommodationBody,
      response: { 200: AccommodationSet },
    },
    handler: async (req) => {
      const u = requireUser(req);
      return lockdown.setAccommodation(
        { id: u.id, name: u.username },
        req.params.id,
        req.params.candidateId,
        req.body.extraMinutes,
        req.body.reason,
      );
    },
  });

  const candidateId = async (req: FastifyRequest): Promise<number> => {
    const token = req.cookies[CANDIDATE_COOKIE];
    if (!token)
      throw new AppError(401, 'AUTH_REQUIRED', 'Vui lòng đăng nhập bằng số báo danh và mã PIN', 'Candidate sign-in required');
    return (await candidateFromToken(app, delivery, token)).id;
  };

  app.get('/api/candidate/lockdown', {
    config: { access: 'candidate' },
    schema: {
      tags,
      summary: 'Số lần rời màn hình và bài có đang bị khóa không (chờ giám thị mở khóa)',
      response: { 200: SeatLockdown },
    },
    handler: async (req) => lockdown.state(await candidateId(req)),
  });

  app.post('/api/candidate/lockdown', {
    config: { access: 'candidate' },
    schema: {
      tags,
      summary: 'Trang làm bài báo rời màn hình (mất tiêu điểm) hoặc thoát toàn màn hình',
      body: LockdownReport,
      response: { 200: SeatLockdown },
    },
    handler: async (req) => {
      const id = await candidateId(req);
      const state = await lockdown.report(id, req.body);
      onReport(id);
      return state;
    },
  });
};

/** The SEB check of a candidate socket's handshake (after the session check has named the candidate). */
export function sebSocketCheck(
  lockdown: LockdownService,
  candidateId: number,
  handshake: { headers: IncomingHttpHeaders; url: string; secure: boolean; auth: unknown },
  next: (err?: Error) => void,
): void {
  try {
    const examId = lockdown.examOfCandidate(candidateId);
    if (examId !== null) lockdown.checkSeb(examId, sebProof(handshake.headers, handshake.url, handshake.secure, handshake.auth));
    next();
  } catch (err) {
    const e = err instanceof AppError ? err : new AppError(403, 'SEB_REQUIRED', 'Cần Safe Exam Browser', 'SEB required');
    next(Object.assign(new Error(e.message), { data: { code: e.code } }));
  }
}
