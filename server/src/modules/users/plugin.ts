import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection.js';
import { UserService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Staff accounts (modules/users). Constructed once, here; routes and other plugins use `app.users`. */
    users: UserService;
  }
}

/** Registers the users service once (docs/ARCHITECTURE.md, "Services as plugins"). */
export const usersPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db }) => {
    app.decorate('users', new UserService(opts.db));
  },
  { name: 'users' },
);
