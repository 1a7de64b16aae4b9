import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { AppConfig } from '../config.js';
import { AppError } from './errors.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a browser request comes from a page of this server (or an allowed origin). Requests
 * without Origin and Sec-Fetch-Site come from programs, not from a page, and are let through: the
 * cookie is SameSite=Strict and they carry no ambient authority of a user's browser.
 */
export function originAllowed(
  headers: { origin?: string | undefined; host?: string | undefined; 'sec-fetch-site'?: string | string[] | undefined },
  allowed: readonly string[] = [],
): boolean {
  const origin = headers.origin;
  if (origin !== undefined) {
    if (allowed.includes(origin)) return true;
    try {
      return new URL(origin).host === headers.host;
    } catch {
      return false;
    }
  }
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/**
 * Browser hardening (issue 14): a state-changing request from another origin is refused (a
 * text/plain cross-origin POST once created a backup), and every answer carries a Content Security
 * Policy the built client satisfies, frame-ancestors 'none' and X-Frame-Options DENY. No HSTS and no
 * upgrade-insecure-requests: lab PCs reach the server over plain HTTP on the LAN.
 */
export default fp(async (app: FastifyInstance, opts: { config: AppConfig }) => {
  // built once: @fastify/helmet rebuilt the middleware (and parsed the policy) on every request,
  // a cost the opening's burst of requests paid 10,000 times (issue 15); the headers are the same
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React sets style attributes (progress bars, font size); no inline <style> from outside
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) =>
    headers(req.raw, reply.raw, (err) => done(err instanceof Error ? err : undefined)),
  );
  app.addHook('onRequest', async (req) => {
    if (!STATE_CHANGING.has(req.method) || !req.url.startsWith('/api/')) return;
    if (originAllowed(req.headers, opts.config.allowedOrigins)) return;
    throw new AppError(
      403,
      'ORIGIN_REFUSED',
      'Yêu cầu đến từ một trang khác không được phép thay đổi dữ liệu.',
      'A state-changing request from another origin was refused.',
      { origin: req.headers.origin ?? null },
    );
  });
});
