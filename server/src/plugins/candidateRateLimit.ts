import type { FastifyRequest } from 'fastify';

/**
 * The rate limit of a sign-in by số báo danh (candidate sign-in, result lookup): per client address
 * and candidate number, so one lab PC guessing PINs is stopped without locking out the room.
 * It runs at `preHandler`, after the body is parsed: @fastify/rate-limit's default hook is
 * `onRequest`, where `req.body` is still undefined and the key would be the address alone.
 */
export function numberRateLimit(max: number, prefix: string) {
  return bodyKeyedRateLimit(max, prefix, 'number', (v) => v.trim().toUpperCase());
}

/** A per-route rate limit keyed on the address and one string field of the (parsed) body. */
export function bodyKeyedRateLimit(max: number, prefix: string, field: string, normalize: (v: string) => string) {
  return {
    max,
    timeWindow: '1 minute',
    hook: 'preHandler' as const,
    keyGenerator: (req: FastifyRequest) => {
      const b: unknown = req.body;
      const v = b && typeof b === 'object' ? (b as Record<string, unknown>)[field] : undefined;
      return `${prefix}|${req.ip}|${typeof v === 'string' ? normalize(v).slice(0, 64) : ''}`;
    },
  };
}
