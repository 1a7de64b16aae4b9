import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { verifyAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { AuditRepo } from './repo.js';

const tags = ['Nhật ký / Audit'];

const AuditRow = Type.Object({
  id: Type.Integer(),
  ts: Type.String(),
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  actorName: Type.String(),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  beforeDigest: Type.Union([Type.String(), Type.Null()]),
  afterDigest: Type.Union([Type.String(), Type.Null()]),
  detail: Type.String(),
  hash: Type.String(),
});

export const auditRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const repo = new AuditRepo(db);
  app.get('/api/audit/verify', {
    config: { access: ['admin', 'board'] },
    schema: {
      tags,
      summary:
        'Kiểm tra toàn vẹn chuỗi băm và chữ ký khóa của nhật ký; với `anchor` (mốc đã in trên tệp niêm phong, bảng kết quả, bản sao lưu) kiểm tra nhật ký vẫn đi qua mốc đó',
      querystring: Type.Object({ anchor: Type.Optional(Type.String({ maxLength: 100 })) }),
      response: {
        200: Type.Object({
          ok: Type.Boolean(),
          rows: Type.Integer(),
          lastHash: Type.String(),
          firstBroken: Type.Optional(Type.Object({ id: Type.Integer(), reason: Type.String(), message: Type.String() })),
          anchor: Type.Object({ rows: Type.Integer(), head: Type.String(), text: Type.String() }),
          anchorCheck: Type.Optional(Type.Object({ ok: Type.Boolean(), rows: Type.Integer(), message: Type.String() })),
        }),
      },
    },
    handler: async (req) => verifyAudit(db, req.query.anchor),
  });

  app.get('/api/audit', {
    config: { access: ['admin', 'board'] },
    schema: {
      tags,
      summary: 'Nhật ký thao tác (mới nhất trước)',
      querystring: Type.Object({
        offset: Type.Integer({ minimum: 0, default: 0 }),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        action: Type.Optional(Type.String()),
      }),
      response: { 200: Type.Object({ items: Type.Array(AuditRow), total: Type.Integer() }) },
    },
    handler: async (req) => repo.page(req.query.offset, req.query.limit, req.query.action),
  });
};
