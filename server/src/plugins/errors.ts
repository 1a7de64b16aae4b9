import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * A domain error: a stable code, an HTTP status and a Vietnamese message (with English beside it).
 * Thrown anywhere in a request, it becomes `{ error: { code, message, messageEn, details } }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageEn?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
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
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({
      error: { code: 'INTERNAL', message: 'Lỗi hệ thống. Vui lòng thử lại.', messageEn: 'Internal error' },
    });
  });
});
