import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection.js';
import { BankService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The question bank (modules/banks). Constructed once, here; routes and other plugins use `app.banks`. */
    banks: BankService;
  }
}

/**
 * Registers the bank service once (docs/ARCHITECTURE.md, "Services as plugins"). At start, the
 * questions an import had staged when the process stopped are dropped: they were never part of the bank.
 */
export const banksPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db }) => {
    const banks = new BankService(opts.db);
    await banks.discardStaged();
    app.decorate('banks', banks);
  },
  { name: 'banks' },
);
