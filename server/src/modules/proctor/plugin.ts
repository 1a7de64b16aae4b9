import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection.js';
import type { DomainEventBus } from '../../events.js';
import type { RoomOpener } from './actions/types.js';
import { type ProctorLockdown, ProctorService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Live invigilation (modules/proctor). Constructed once, here; routes and sockets use `app.proctor`. */
    proctor: ProctorService;
  }
}

/** Registers the invigilation service once (docs/ARCHITECTURE.md, "Services as plugins"); it needs `app.delivery`. */
export const proctorPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; bus: DomainEventBus; lockdown: ProctorLockdown; opening?: RoomOpener | null }) => {
    app.decorate(
      'proctor',
      new ProctorService(opts.db, app.delivery, {
        bus: opts.bus,
        lockdown: opts.lockdown,
        exams: app.exams,
        opening: opts.opening ?? null,
      }),
    );
  },
  { name: 'proctor', dependencies: ['delivery', 'exams'] },
);
