import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Server as SocketServer } from 'socket.io';
import type { AppConfig } from './config.js';
import { type Db, openDatabase } from './db/connection.js';
import { DomainEventBus } from './events.js';
import { createLogger } from './logger.js';
import { adminRoutes } from './modules/admin/routes.js';
import { statusRoutes } from './modules/admin/status.js';
import { auditRoutes } from './modules/audit/routes.js';
import { authRoutes } from './modules/auth/routes.js';
import { banksPlugin } from './modules/banks/plugin.js';
import { bankRoutes } from './modules/banks/routes.js';
import { deliveryPlugin } from './modules/delivery/plugin.js';
import { deliveryRoutes } from './modules/delivery/routes.js';
import { SealedPapers } from './modules/delivery/sealed.js';
import type { DeliveryService } from './modules/delivery/service.js';
import { candidateNamespace } from './modules/delivery/socket.js';
import { eligibilityRoutes } from './modules/exams/eligibilityRoutes.js';
import { renderMissingViews } from './modules/exams/paperView.js';
import { examsPlugin } from './modules/exams/plugin.js';
import { positionRoutes } from './modules/exams/positions.js';
import { examRoutes } from './modules/exams/routes.js';
import { lockdownPlugin } from './modules/lockdown/plugin.js';
import { lockdownRoutes, registerSebCheck, sebSocketCheck } from './modules/lockdown/routes.js';
import { papersPlugin } from './modules/papers/plugin.js';
import { proctorPlugin } from './modules/proctor/plugin.js';
import { proctorRoutes } from './modules/proctor/routes.js';
import type { ProctorService } from './modules/proctor/service.js';
import { proctorNamespace } from './modules/proctor/socket.js';
import { resultsPlugin } from './modules/results/plugin.js';
import { resultReportRoutes } from './modules/results/reportRoutes.js';
import { reviewRoutes } from './modules/results/reviewRoutes.js';
import { resultRoutes } from './modules/results/routes.js';
import { usersPlugin } from './modules/users/plugin.js';
import { userRoutes } from './modules/users/routes.js';
import authPlugin from './plugins/auth.js';
import { DEFAULT_BODY_LIMIT } from './plugins/bodyLimits.js';
import errorsPlugin from './plugins/errors.js';
import { examMustExist } from './plugins/examExists.js';
import securityPlugin, { originAllowed } from './plugins/security.js';

export interface BuiltApp {
  app: FastifyInstance;
  db: Db;
  io: SocketServer;
  delivery: DeliveryService;
  sealed: SealedPapers;
  proctor: ProctorService;
}

export async function buildApp(
  config: AppConfig,
  opts: { logger?: boolean; db?: Db /** run the loop that submits expired attempts (default true) */; loops?: boolean } = {},
): Promise<BuiltApp> {
  const db = opts.db ?? openDatabase(config.dbFile);
  // a log write that fails (full disk) is counted and dropped, never an 'error' that ends the process
  const log = opts.logger ? createLogger(config.logLevel) : null;
  const loggerInstance: FastifyBaseLogger | undefined = log?.logger;
  const app = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    // a few KB by default: anonymous callers cannot make the server parse large bodies; upload routes
    // (imports, images, questions with pictures, score batches) set their own limit and require sign-in
    bodyLimit: DEFAULT_BODY_LIMIT,
    // a hop count becomes the function form (Fastify's types take no number)
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_addr: string, i: number) =>
              i < hops
          )(config.trustProxy)
        : config.trustProxy,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(errorsPlugin);
  await app.register(securityPlugin, { config });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Nền tảng thi tuyển công chức — API',
        description:
          'API của nền tảng thi tuyển, thi nâng ngạch công chức. Mọi lỗi trả về { error: { code, message, messageEn } }.',
        version: '0.1.0',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'session' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  await app.register(authPlugin, { db, config });
  // every /api/exams/:id/… route: 404 for an exam that does not exist, before the handler runs
  app.addHook('preHandler', examMustExist(db));

  app.get('/api/health', {
    config: { access: 'public' },
    schema: { tags: ['Hệ thống / System'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    handler: async () => ({ status: 'ok' as const }),
  });
  app.get('/api/openapi.json', {
    config: { access: 'public' },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });

  // uploads (imports, images) arrive as the raw file body
  app.addContentTypeParser(
    [
      'application/octet-stream',
      'image/png',
      'image/jpeg',
      'image/gif',
      'image/webp',
      'text/plain',
      'text/csv',
      // an XLSX file sent with its own type (issue 13)
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );

  // services, each constructed once and decorated on the app (docs/ARCHITECTURE.md, "Services as plugins")
  await app.register(usersPlugin, { db });
  await app.register(examsPlugin, { db });
  await app.register(papersPlugin, { db });
  await app.register(banksPlugin, { db });

  await app.register(authRoutes, { db, config });
  await app.register(userRoutes);
  await app.register(auditRoutes, { db });
  await app.register(adminRoutes, { db, config });
  await app.register(statusRoutes, { config, log: log?.stream ?? null });
  await app.register(bankRoutes);
  await app.register(examRoutes, { db });
  await app.register(resultsPlugin, { db });
  await app.register(resultRoutes, { config });
  await app.register(resultReportRoutes);
  await app.register(reviewRoutes);
  await app.register(eligibilityRoutes);
  await app.register(positionRoutes, { db });

  // typed domain events (events.ts): services publish, the socket layers subscribe
  const bus = new DomainEventBus((name, err) => app.log.error({ err, event: name }, 'domain event listener failed'));
  // lockdown (issue 19): the SEB check runs before every candidate route
  await app.register(lockdownPlugin, { db });
  const lockdown = app.lockdown;
  // delivery: the candidate's REST routes and the /candidate Socket.IO namespace
  await app.register(deliveryPlugin, { db, bus, lockdown });
  const delivery = app.delivery;
  // papers rendered once, prefetched sealed, unlocked by a key at the opening (issue 15)
  renderMissingViews(db);
  const sealed = new SealedPapers(db, delivery, { prefetchWindowMs: config.prefetchWindowMs });
  registerSebCheck(app, lockdown, delivery);
  await app.register(deliveryRoutes, { sealed, config, db });
  const io = new SocketServer(app.server, {
    path: '/socket.io',
    serveClient: false,
    connectionStateRecovery: undefined,
    // no cross-site WebSocket hijacking: a page of another origin cannot open a socket with our cookie
    allowRequest: (req, done) => done(null, originAllowed(req.headers, config.allowedOrigins)),
  });
  // invigilation: REST actions and the /proctor namespace with batched seat updates
  // a room opened by an invigilator: its waiting candidates get the keys of their sealed papers before 'opened'
  await app.register(proctorPlugin, { db, bus, lockdown, opening: sealed });
  const proctor = app.proctor;
  await app.register(proctorRoutes, { db });
  const candidates = candidateNamespace(io, app, delivery, proctor);
  await app.register(lockdownRoutes, {
    delivery,
    onReport: (candidateId) => bus.emit('candidateChanged', { candidateId }),
  });
  candidates.use((socket, next) => sebSocketCheck(lockdown, socket.data.candidateId, socket.handshake, next));
  const proctorLive = proctorNamespace(io, app, proctor, db);
  sealed.channel = {
    connected: () => new Set(Array.from(candidates.sockets.values(), (socket) => socket.data.candidateId)),
    send: (keys) => {
      let sent = 0;
      for (const socket of candidates.sockets.values()) {
        const key = keys.get(socket.data.candidateId);
        if (key) {
          socket.emit('paperKey', key);
          sent++;
        }
      }
      return sent;
    },
  };
  if (opts.loops !== false) {
    delivery.startLoop(1000, (err) => app.log.error({ err }, 'deadline sweep failed; retried at the next tick'));
    sealed.startLoop(1000, (err) => app.log.error({ err }, 'scheduled opening failed (the candidates start by the cold path)'));
  }

  const clientRoot = config.clientDir && existsSync(join(config.clientDir, 'index.html')) ? config.clientDir : null;
  if (clientRoot) {
    await app.register(fastifyStatic, { root: clientRoot, wildcard: false, index: false, serve: true, prefix: '/' });
  }
  app.setNotFoundHandler((req, reply) => {
    // single-page app: unknown non-API GET paths get index.html
    if (clientRoot && req.method === 'GET' && !req.url.startsWith('/api/')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', clientRoot);
    }
    return reply.status(404).send({
      error: { code: 'NOT_FOUND', message: 'Không tìm thấy địa chỉ yêu cầu', messageEn: `No route ${req.method} ${req.url}` },
    });
  });

  app.addHook('onClose', async () => {
    proctorLive.close();
    void io.close();
    sealed.close();
    await delivery.close();
    if (!opts.db) db.$client.close();
  });
  await app.ready();
  return { app, db, io, delivery, sealed, proctor };
}
