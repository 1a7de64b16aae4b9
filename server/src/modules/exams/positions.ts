import { PositionSchema, type Role } from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { requireUser } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import { ExamsRepo } from './repo/exams.js';

const BOARD: Role[] = ['board', 'admin'];

export const PositionUpdateBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  quota: Type.Optional(Type.Integer({ minimum: 0 })),
  grade: Type.Optional(Type.Union([Type.String({ pattern: '^01\\.00[1-5]$' }), Type.Null()])),
});

/**
 * Edits a position (name, quota, target grade) until papers exist for the exam (issue 13): papers are
 * generated per position's parts, so a change after that would no longer match them. Audited.
 */
export async function updatePosition(
  db: Db,
  actor: Actor,
  examId: number,
  positionId: number,
  body: { name?: string; quota?: number; grade?: string | null },
): Promise<{ id: number; code: string; name: string; quota: number; grade: string | null }> {
  const repo = new ExamsRepo(db);
  const before = await repo.position(examId, positionId);
  if (!before) throw new AppError(404, 'POSITION_NOT_FOUND', 'Không tìm thấy vị trí / ngạch dự thi', 'No such position');
  if (await repo.papersExist(examId))
    throw new AppError(
      409,
      'PAPERS_EXIST',
      'Đã tạo đề cho thí sinh nên không sửa được vị trí / ngạch dự thi',
      'Papers exist: positions are frozen',
    );
  const kind = repo.examSync(examId)?.kind;
  if (kind === 'promotion' && body.grade === null)
    throw new AppError(400, 'GRADE_REQUIRED', 'Kỳ thi nâng ngạch cần chọn ngạch dự thi', 'Target grade required');
  const after = {
    ...before,
    name: body.name?.trim() || before.name,
    quota: body.quota ?? before.quota,
    grade: body.grade === undefined ? before.grade : body.grade,
  };
  await transaction(db, async () => {
    await repo.updatePosition(positionId, { name: after.name, quota: after.quota, grade: after.grade });
    appendAudit(db, { actor, action: 'exam.position.update', entity: 'exam_position', entityId: positionId, before, after });
  });
  return after;
}

export const positionRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.put('/api/exams/:id/positions/:positionId', {
    config: { access: BOARD },
    schema: {
      tags: ['Kỳ thi / Exams'],
      summary: 'Sửa vị trí / ngạch dự thi (tên, chỉ tiêu, ngạch) cho đến khi đã tạo đề',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), positionId: Type.Integer({ minimum: 1 }) }),
      body: PositionUpdateBody,
      response: { 200: PositionSchema },
    },
    handler: async (req) => {
      const u = requireUser(req);
      return updatePosition(db, { id: u.id, name: u.username }, req.params.id, req.params.positionId, req.body);
    },
  });
};
