import { ErrorBody, PrefetchPlanSchema, SealedPaperBytes } from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { SealedPapers } from './sealed.js';

const tags = ['Thí sinh / Candidate'];

/**
 * The sealed prefetch (issue 15): the plan (when to download what) and the download itself. The
 * candidate's session is checked by the delivery routes' hook (`access: 'candidate'`).
 */
export const sealedRoutes: FastifyPluginAsyncTypebox<{ sealed: SealedPapers }> = async (app, { sealed }) => {
  const me = (req: { candidate: { id: number } | null }) => {
    if (!req.candidate) throw new Error('candidate route without a candidate');
    return req.candidate.id;
  };

  app.get('/api/candidate/prefetch', {
    config: { access: 'candidate' },
    schema: {
      tags,
      summary: 'Khi nào tải đề đã niêm phong (mã hóa) của thí sinh trong lúc chờ',
      response: { 200: PrefetchPlanSchema },
    },
    handler: async (req) => sealed.plan(me(req)),
  });

  app.get('/api/candidate/parts/:partId/sealed', {
    config: { access: 'candidate' },
    schema: {
      tags,
      summary: 'Đề của thí sinh, đã mã hóa (AES-256-GCM); khóa được gửi khi ca thi bắt đầu',
      params: Type.Object({ partId: Type.Integer() }),
      response: {
        200: { content: { 'application/octet-stream': { schema: SealedPaperBytes } } },
        503: ErrorBody,
      },
    },
    handler: async (req, reply) => {
      const id = me(req);
      const wait = sealed.admit();
      if (wait > 0) {
        return reply
          .status(503)
          .header('retry-after', String(Math.ceil(wait / 1000)))
          .send({
            error: {
              code: 'PREFETCH_BUSY',
              message: 'Máy chủ đang bận; máy sẽ tự tải lại đề sau ít giây.',
              messageEn: 'The server is busy; the paper will be downloaded again shortly.',
              details: { retryAfterMs: wait + Math.floor(Math.random() * 1000) },
            },
          });
      }
      const r = await sealed.download(id, req.params.partId);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('cache-control', 'no-store')
        .header('x-paper-version', String(r.version))
        .send(r.sealed);
    },
  });
};
