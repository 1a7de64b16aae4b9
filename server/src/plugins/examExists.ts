import { eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/connection.js';
import { exams } from '../db/schema.js';
import { AppError } from './errors.js';

/**
 * A preHandler for routes under /api/exams/:id: an exam that does not exist is a 404 before the
 * handler runs (marking and key-correction routes used to answer 200 for one, issue 14).
 */
export function examMustExist(db: Db) {
  const stmt = db
    .select({ id: exams.id })
    .from(exams)
    .where(eq(exams.id, sql.placeholder('id')))
    .prepare();
  return async (req: FastifyRequest) => {
    const params: unknown = req.params;
    if (!params || typeof params !== 'object' || !('id' in params)) return;
    const id = params.id;
    if (typeof id !== 'number' || !req.routeOptions.url?.startsWith('/api/exams/:id')) return;
    if (!stmt.get({ id })) throw new AppError(404, 'EXAM_NOT_FOUND', `Không tìm thấy kỳ thi #${id}`, `Exam ${id} not found`);
  };
}
