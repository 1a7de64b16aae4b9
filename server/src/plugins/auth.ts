import { randomBytes } from 'node:crypto';
import { ROLE_LABELS, type Role } from '@exam/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { AppConfig } from '../config.js';
import type { Db } from '../db/connection.js';
import { transaction } from '../db/tx.js';
import { AuthRepo } from '../modules/auth/repo.js';
import { rolesColumn } from '../modules/users/repo.js';
import { AppError } from './errors.js';

export type Access = 'public' | 'authenticated' | 'candidate' | readonly Role[];

export interface AuthUser {
  id: number;
  username: string;
  fullName: string;
  roles: Role[];
  /** subjects the user is assigned to (author / reviewer scope) */
  subjectIds: number[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Every /api route must declare it; the app refuses to start otherwise. */
    access?: Access;
  }
  interface FastifyRequest {
    user: AuthUser | null;
  }
  interface FastifyInstance {
    /** Sets the session cookie; `signedInAt` (epoch s) keeps the original sign-in time on renewal. */
    issueSession(reply: FastifyReply, userId: number, signedInAt?: number): Promise<void>;
    clearSession(reply: FastifyReply): void;
    /** Signs a short token with the server's key (candidate sessions use it). */
    signToken(claims: Record<string, string | number>, subject: string, ttlSec: number): Promise<string>;
    /** Verifies a token signed by signToken; null when invalid or expired. */
    verifyToken(token: string): Promise<(Record<string, unknown> & { sub?: string }) | null>;
    /** The active staff user of a session token (sockets use it); null when invalid, expired or inactive. */
    userFromToken(token: string | undefined): Promise<AuthUser | null>;
  }
}

export const SESSION_COOKIE = 'session';

export function actorOf(req: FastifyRequest): { id: number; name: string } {
  if (!req.user) throw new AppError(401, 'AUTH_REQUIRED', 'Bạn cần đăng nhập', 'Sign-in required');
  return { id: req.user.id, name: req.user.username };
}

/** The signed-in staff user of a request on a role-restricted route. */
export function requireUser(req: FastifyRequest): AuthUser {
  if (!req.user) throw new AppError(401, 'AUTH_REQUIRED', 'Bạn cần đăng nhập', 'Sign-in required');
  return req.user;
}

export function hasRole(user: AuthUser | null, ...roles: Role[]): boolean {
  return !!user && user.roles.some((r) => roles.includes(r));
}

/** The key staff and candidate tokens are signed with: made on first start, kept in `settings`. */
async function loadSecret(repo: AuthRepo, db: Db): Promise<Uint8Array> {
  const stored = await repo.jwtSecret();
  if (stored) return Buffer.from(stored, 'base64');
  const secret = randomBytes(32);
  await transaction(db, () => repo.insertJwtSecret(secret.toString('base64')));
  return secret;
}

export default fp(async (app: FastifyInstance, opts: { db: Db; config: AppConfig }) => {
  const { db, config } = opts;
  const repo = new AuthRepo(db);
  const secret = await loadSecret(repo, db);

  /**
   * The user of a verified staff token, or null: inactive, a session version bumped since the token
   * was issued (sign-out, password or role change, deactivation, "sign out everywhere"), or past the
   * absolute lifetime counted from the sign-in.
   */
  async function sessionUser(payload: JWTPayload): Promise<AuthUser | null> {
    if (payload.kind !== 'staff' || !payload.sub) return null;
    const at = typeof payload.at === 'number' ? payload.at : null;
    if (at === null || Date.now() / 1000 - at > config.sessionMaxSec) return null;
    return loadUser(Number(payload.sub), typeof payload.sv === 'number' ? payload.sv : -1);
  }

  async function loadUser(id: number, sessionVersion: number): Promise<AuthUser | null> {
    const u = await repo.sessionUser(id);
    if (!u?.active || u.sessionVersion !== sessionVersion) return null;
    const subjectIds = await repo.subjectIds(id);
    return { id: u.id, username: u.username, fullName: u.fullName, roles: rolesColumn.parse(u.roles), subjectIds };
  }

  app.decorateRequest('user', null);

  app.decorate('issueSession', async (reply: FastifyReply, userId: number, signedInAt?: number) => {
    const nowSec = Math.floor(Date.now() / 1000);
    const at = signedInAt ?? nowSec;
    const sv = await repo.sessionVersion(userId);
    // sliding renewal never goes past the absolute lifetime counted from the sign-in
    const exp = Math.min(nowSec + config.sessionTtlSec, at + config.sessionMaxSec);
    const token = await new SignJWT({ kind: 'staff', sv: typeof sv === 'number' ? sv : 0, at })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(userId))
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(secret);
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.secureCookies,
      path: '/',
      maxAge: Math.max(0, exp - nowSec),
    });
  });
  app.decorate('signToken', (claims: Record<string, string | number>, subject: string, ttlSec: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${ttlSec}s`)
      .sign(secret),
  );
  app.decorate('verifyToken', async (token: string) => {
    try {
      const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
      return payload;
    } catch {
      return null;
    }
  });
  app.decorate('userFromToken', async (token: string | undefined) => {
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
      return await sessionUser(payload);
    } catch {
      return null;
    }
  });
  app.decorate('clearSession', (reply: FastifyReply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  });

  // Every /api route must say who may call it.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${route.method} ${route.url} does not declare config.access`);
    if (route.schema) {
      const who =
        access === 'public'
          ? 'công khai'
          : access === 'authenticated'
            ? 'mọi người đã đăng nhập'
            : access === 'candidate'
              ? 'thí sinh'
              : access.join(', ');
      route.schema.description = `${route.schema.description ?? ''}\n\nQuyền / access: ${who}`.trim();
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    const access = req.routeOptions.config?.access;
    if (!access || access === 'candidate') return; // candidate routes check their own session
    const token = req.cookies[SESSION_COOKIE] ?? bearer(req);
    if (token) {
      try {
        const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
        req.user = await sessionUser(payload);
        // sliding session: renew when less than half the lifetime is left (never past the absolute lifetime)
        if (
          req.user &&
          typeof payload.at === 'number' &&
          payload.exp &&
          payload.exp - Date.now() / 1000 < config.sessionTtlSec / 2
        ) {
          await app.issueSession(reply, req.user.id, payload.at);
        }
      } catch {
        req.user = null;
      }
    }
    if (access === 'public') return;
    if (!req.user) {
      throw new AppError(
        401,
        'AUTH_REQUIRED',
        token ? 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.' : 'Bạn cần đăng nhập để thực hiện thao tác này.',
        token ? 'Session expired. Please sign in again.' : 'Sign-in required.',
      );
    }
    if (access === 'authenticated') return;
    if (!req.user.roles.some((r) => access.includes(r))) {
      const need = access.map((r) => ROLE_LABELS[r].vi).join(', ');
      throw new AppError(
        403,
        'FORBIDDEN_ROLE',
        `Bạn không có quyền thực hiện thao tác này. Cần vai trò: ${need}.`,
        `Forbidden: requires one of the roles ${access.join(', ')}.`,
        { required: access },
      );
    }
  });
});

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}
