import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection.js';
import { LockdownService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Lockdown of exams (modules/lockdown): the SEB check, focus losses, extra time. Constructed once, here. */
    lockdown: LockdownService;
  }
}

/** Registers the lockdown service once (docs/ARCHITECTURE.md, "Services as plugins"). */
export const lockdownPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db }) => {
    app.decorate('lockdown', new LockdownService(opts.db));
  },
  { name: 'lockdown' },
);
