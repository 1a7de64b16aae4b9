import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection.js';
import { CandidateService } from './candidates.js';
import { EligibilityService } from './eligibility.js';
import { ExamService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Exams, parts, rooms, sittings, seats and papers (modules/exams). Constructed once, here. */
    exams: ExamService;
    /** Candidate lists, imports and PINs of an exam (modules/exams/candidates.ts). */
    candidates: CandidateService;
    /** Eligibility records and grade equivalences (modules/exams/eligibility.ts, issue 13). */
    eligibility: EligibilityService;
  }
}

/** Registers the exams area's services once (docs/ARCHITECTURE.md, "Services as plugins"). */
export const examsPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db }) => {
    const exams = new ExamService(opts.db);
    const eligibility = new EligibilityService(opts.db, exams);
    app.decorate('exams', exams);
    app.decorate('eligibility', eligibility);
    app.decorate('candidates', new CandidateService(opts.db, exams, eligibility));
  },
  { name: 'exams' },
);
