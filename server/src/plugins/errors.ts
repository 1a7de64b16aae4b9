import type { ErrorCode } from '@exam/shared';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * A domain error: a stable code, an HTTP status and a Vietnamese message (with English beside it).
 * Thrown anywhere in a request, it becomes `{ error: { code, message, messageEn, details } }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly messageEn?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A write failed because the disk (or SQLite's page limit) is full: SQLITE_FULL, ENOSPC. */
export function isDiskFull(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && /SQLITE_FULL|ENOSPC|database or disk is full/.test(message);
}

export const diskFullError = () =>
  new AppError(
    503,
    'DISK_FULL',
    'Ổ đĩa của máy chủ đã đầy nên thao tác chưa được lưu. Hãy báo quản trị hệ thống giải phóng dung lượng rồi thử lại.',
    'The server disk is full; nothing was saved. Ask the administrator to free some space, then retry.',
  );

/** The error ack of a socket command: a domain error as it is, a full disk as DISK_FULL, anything else INTERNAL. */
export function errorAck(err: unknown): { ok: false; code: ErrorCode; message: string } {
  if (err instanceof AppError) return { ok: false, code: err.code, message: err.message };
  if (isDiskFull(err)) {
    const e = diskFullError();
    return { ok: false, code: e.code, message: e.message };
  }
  return { ok: false, code: 'INTERNAL', message: 'Lỗi hệ thống. Vui lòng thử lại.' };
}

export const notFound = (what: string, whatEn: string) =>
  new AppError(404, 'NOT_FOUND', `Không tìm thấy ${what}`, `${whatEn} not found`);

const VALIDATION_VI: Record<string, string> = {
  required: 'thiếu trường bắt buộc',
  minLength: 'quá ngắn',
  maxLength: 'quá dài',
  pattern: 'không đúng định dạng',
  type: 'sai kiểu dữ liệu',
  minimum: 'nhỏ hơn giá trị cho phép',
  maximum: 'lớn hơn giá trị cho phép',
  minItems: 'quá ít phần tử',
  maxItems: 'quá nhiều phần tử',
  additionalProperties: 'có trường không được phép',
};

export default fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({
        error: { code: err.code, message: err.message, messageEn: err.messageEn, details: err.details },
      });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const details = fe.validation.map((v) => ({
        path: `${fe.validationContext ?? ''}${v.instancePath}`,
        rule: v.keyword,
        message: VALIDATION_VI[v.keyword] ?? v.message,
        params: v.params,
      }));
      const first = details[0];
      return reply.status(400).send({
        error: {
          code: 'VALIDATION',
          message: `Dữ liệu không hợp lệ${first ? `: ${first.path || 'nội dung'} ${first.message}` : ''}`,
          messageEn: `Invalid input: ${fe.message}`,
          details,
        },
      });
    }
    if (fe.statusCode === 429) {
      return reply.status(429).send({
        error: {
          code: 'RATE_LIMITED',
          message: 'Bạn thao tác quá nhiều lần. Vui lòng thử lại sau ít phút.',
          messageEn: 'Too many attempts. Try again in a few minutes.',
        },
      });
    }
    if (fe.statusCode === 413) {
      const max = req.routeOptions.bodyLimit ?? 0;
      const size = max >= 1024 * 1024 ? `${Math.round(max / 1024 / 1024)} MB` : `${Math.round(max / 1024)} KB`;
      return reply.status(413).send({
        error: {
          code: 'BODY_TOO_LARGE',
          message: `Nội dung gửi lên quá lớn; tối đa ${size}.`,
          messageEn: `The request body is too large (max ${size})`,
          details: { maxBytes: max },
        },
      });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({
        error: { code: fe.code ?? 'BAD_REQUEST', message: 'Yêu cầu không hợp lệ', messageEn: fe.message },
      });
    }
    if (isDiskFull(err)) {
      req.log.error({ err }, 'disk full');
      const e = diskFullError();
      return reply.status(503).send({ error: { code: e.code, message: e.message, messageEn: e.messageEn } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({
      error: { code: 'INTERNAL', message: 'Lỗi hệ thống. Vui lòng thử lại.', messageEn: 'Internal error' },
    });
  });
});
