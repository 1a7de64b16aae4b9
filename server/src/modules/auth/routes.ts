import { LoginBody, Me } from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppConfig } from '../../config.js';
import { appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { bodyKeyedRateLimit } from '../../plugins/candidateRateLimit.js';
import { AppError } from '../../plugins/errors.js';
import { hashPassword, verifyPassword } from '../../plugins/passwords.js';
import { userChanged } from '../../plugins/userEvents.js';
import { AuthRepo } from './repo.js';

const tags = ['Đăng nhập / Auth'];

export const authRoutes: FastifyPluginAsyncTypebox<{ db: Db; config: AppConfig }> = async (app, { db, config }) => {
  const users = app.users;
  const repo = new AuthRepo(db);
  // a fixed hash to compare against when the user does not exist, so timing does not reveal it
  const dummyHash = await hashPassword('not-a-real-password');

  app.post('/api/auth/login', {
    config: {
      access: 'public',
      rateLimit: bodyKeyedRateLimit(config.loginRateLimit, 'staff', 'username', (v) => v.trim().toLowerCase()),
    },
    schema: { tags, summary: 'Đăng nhập (cán bộ)', body: LoginBody, response: { 200: Me } },
    handler: async (req, reply) => {
      const row = await users.findByUsername(req.body.username.trim());
      const ok = await verifyPassword(req.body.password, row?.passwordHash ?? dummyHash);
      if (!row || !ok || !row.active) {
        await transaction(db, () =>
          appendAudit(db, {
            actor: { id: null, name: req.body.username.slice(0, 64) },
            action: 'auth.login_failed',
            entity: 'user',
            entityId: row?.id ?? null,
            detail: { ip: req.ip },
          }),
        );
        throw new AppError(
          401,
          row && ok && !row.active ? 'ACCOUNT_DISABLED' : 'BAD_CREDENTIALS',
          row && ok && !row.active ? 'Tài khoản đã bị khóa' : 'Sai tên đăng nhập hoặc mật khẩu',
          row && ok && !row.active ? 'Account disabled' : 'Wrong username or password',
        );
      }
      await app.issueSession(reply, row.id);
      const u = await users.get(row.id);
      return { id: u.id, username: u.username, fullName: u.fullName, roles: u.roles, subjectIds: u.subjectIds };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: 'public' },
    schema: { tags, summary: 'Đăng xuất', response: { 200: Type.Object({ ok: Type.Literal(true) }) } },
    handler: async (req, reply) => {
      // the cookie is cleared and its session version retired, so a copy of it stops working too
      if (req.user) {
        const id = req.user.id;
        await transaction(db, () => repo.bumpSessionVersion(id));
        userChanged(db, id);
      }
      app.clearSession(reply);
      return { ok: true as const };
    },
  });

  app.get('/api/auth/me', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Tài khoản đang đăng nhập', response: { 200: Me } },
    handler: async (req) => {
      const u = req.user;
      if (!u) throw new AppError(401, 'AUTH_REQUIRED', 'Bạn cần đăng nhập', 'Sign-in required');
      return u;
    },
  });

  app.post('/api/auth/password', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'Đổi mật khẩu của mình',
      body: Type.Object({ current: Type.String(), next: Type.String({ minLength: 8, maxLength: 256 }) }),
      response: { 200: Type.Object({ ok: Type.Literal(true) }) },
    },
    handler: async (req, reply) => {
      const u = req.user;
      if (!u) throw new AppError(401, 'AUTH_REQUIRED', 'Bạn cần đăng nhập', 'Sign-in required');
      const row = await users.findByUsername(u.username);
      if (!row || !(await verifyPassword(req.body.current, row.passwordHash))) {
        throw new AppError(400, 'BAD_CREDENTIALS', 'Mật khẩu hiện tại không đúng', 'Current password is wrong');
      }
      // every other session ends with the password change; this one gets a fresh cookie
      await users.update({ id: u.id, name: u.username }, u.id, { password: req.body.next });
      await app.issueSession(reply, u.id);
      return { ok: true as const };
    },
  });
};
