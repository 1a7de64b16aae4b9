import type { FastifyRequest } from 'fastify';

/**
 * The rate limit of a sign-in by số báo danh (candidate sign-in, result lookup): per client address
 * and candidate number, so one lab PC guessing PINs is stopped without locking out the room.
 */
export function numberRateLimit(max: number, prefix: string) {
  return {
    max,
    timeWindow: '1 minute',
    keyGenerator: (req: FastifyRequest) => {
      const b = req.body as { number?: unknown } | undefined;
      return `${prefix}|${req.ip}|${typeof b?.number === 'string' ? b.number.toUpperCase() : ''}`;
    },
  };
}
