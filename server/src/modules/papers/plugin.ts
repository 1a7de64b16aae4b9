import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection.js';
import { JobRunner } from './jobs.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Background jobs with their progress in the jobs table (paper generation; modules/papers/jobs.ts). */
    jobs: JobRunner;
  }
}

/** Registers the job runner once (docs/ARCHITECTURE.md, "Services as plugins"). */
export const papersPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db }) => {
    const jobs = new JobRunner(opts.db);
    await jobs.failInterrupted();
    app.decorate('jobs', jobs);
  },
  { name: 'papers' },
);
