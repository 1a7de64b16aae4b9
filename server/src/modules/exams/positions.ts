import { PositionSchema, type Role } from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { requireUser } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';

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
export function updatePosition(
  db: Db,
  actor: Actor,
  examId: number,
  positionId: number,
  body: { name?: string; quota?: number; grade?: string | null },
): { id: number; code: string; name: string; quota: number; grade: string | null } {
  const sqlite = db.$client;
  const before = sqlite
    .prepare('SELECT id, code, name, quota, grade FROM exam_positions WHERE id = ? AND exam_id = ?')
    .get(positionId, examId) as { id: number; code: string; name: string; quota: number; grade: string | null } | undefined;
  if (!before) throw new AppError(404, 'POSITION_NOT_FOUND', 'Không tìm thấy vị trí / ngạch dự thi', 'No such position');
  const papers = sqlite
    .prepare('SELECT 1 FROM papers p JOIN candidates c ON c.id = p.candidate_id WHERE c.exam_id = ? LIMIT 1')
    .get(examId);
  if (papers)
    throw new AppError(
      409,
      'PAPERS_EXIST',
      'Đã tạo đề cho thí sinh nên không sửa được vị trí / ngạch dự thi',
      'Papers exist: positions are frozen',
    );
  const kind = sqlite.prepare('SELECT kind FROM exams WHERE id = ?').pluck().get(examId);
  if (kind === 'promotion' && body.grade === null)
    throw new AppError(400, 'GRADE_REQUIRED', 'Kỳ thi nâng ngạch cần chọn ngạch dự thi', 'Target grade required');
  const after = {
    ...before,
    name: body.name?.trim() || before.name,
    quota: body.quota ?? before.quota,
    grade: body.grade === undefined ? before.grade : body.grade,
  };
  sqlite.transaction(() => {
    sqlite
      .prepare('UPDATE exam_positions SET name = ?, quota = ?, grade = ? WHERE id = ?')
      .run(after.name, after.quota, after.grade, positionId);
    appendAudit(db, { actor, action: 'exam.position.update', entity: 'exam_position', entityId: positionId, before, after });
  })();
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
