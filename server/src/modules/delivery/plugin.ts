import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection.js';
import type { DomainEventBus } from '../../events.js';
import { type DeliveryLockdown, DeliveryService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The candidates' side of a sitting (modules/delivery). Constructed once, here; routes and sockets use `app.delivery`. */
    delivery: DeliveryService;
  }
}

/** Registers the delivery service once (docs/ARCHITECTURE.md, "Services as plugins"). */
export const deliveryPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; bus: DomainEventBus; lockdown: DeliveryLockdown }) => {
    app.decorate('delivery', new DeliveryService(opts.db, { bus: opts.bus, lockdown: opts.lockdown, exams: app.exams }));
  },
  { name: 'delivery', dependencies: ['exams'] },
);
