import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, login, makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

/**
 * Fuzzing (issue 14): random and mutated bodies to every route of the OpenAPI document, and random
 * frames to both Socket.IO namespaces. Every answer must be a 4xx with a stable error code (or a
 * success), never a 5xx, a crash or a hang. FUZZ_SEED replays a run; the seed is printed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 5);
const HANG_MS = 15_000;

interface Route {
  method: string;
  path: string;
  params: string[];
  bodyProps: string[];
}

let t: TestApp;
let base: string;
let everyone: string;
let candidate: string;
let routes: Route[] = [];

/** Routes that end the fuzzing user's own session: fuzzed anonymously only. */
const SESSION_ENDING = new Set([
  'POST /api/auth/logout',
  'POST /api/auth/password',
  'PATCH /api/users/{id}',
  'POST /api/users/{id}/sign-out-everywhere',
]);

beforeAll(async () => {
  console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} to replay), ${RUNS_PER_ROUTE} runs per route`);
  t = await makeApp();
  const s = await seedBank(t);
  const ex = await readyExam(t, s, { candidates: 2, durationMin: 30 });
  await createUser(t.db, {
    username: 'tatca',
    fullName: 'Mọi vai trò',
    roles: ['admin', 'board', 'author', 'reviewer', 'invigilator'],
  });
  everyone = await login(t.app, 'tatca');
  const p = ex.pins[0];
  if (!p) throw new Error('pin');
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/candidate/login',
    payload: { number: p.number, pin: p.pin, deviceId: 'may-tinh-fuzz' },
  });
  candidate = `cand=${r.cookies.find((c) => c.name === 'cand')?.value}`;
  await t.app.inject({ method: 'POST', url: `/api/candidate/parts/${ex.partId}/start`, headers: { cookie: candidate } });
  const doc: unknown = (await t.app.inject({ url: '/api/openapi.json' })).json();
  routes = openApiRoutes(doc);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(() => t.close());

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

function openApiRoutes(doc: unknown): Route[] {
  const out: Route[] = [];
  for (const [path, item] of Object.entries(obj(obj(doc).paths))) {
    for (const [method, op] of Object.entries(obj(item))) {
      const schema = obj(obj(obj(obj(obj(op).requestBody).content)['application/json']).schema);
      out.push({
        method: method.toUpperCase(),
        path,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
        bodyProps: Object.keys(obj(schema.properties)),
      });
    }
  }
  return out;
}

const param = fc.oneof(
  fc.integer({ min: 1, max: 6 }).map(String),
  fc.integer().map(String),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('0', '-1', '1e309', '9'.repeat(30), '%00', '..%2F..%2Fetc', 'null'),
);

/** A body: random JSON, the route's own fields with random values, or bytes that are not what they claim. */
function body(route: Route) {
  const fields =
    route.bodyProps.length > 0
      ? fc.dictionary(fc.constantFrom(...route.bodyProps), fc.jsonValue({ maxDepth: 2 }), { maxKeys: route.bodyProps.length })
      : fc.constant({});
  return fc.oneof(
    fc.record({ type: fc.constant('json'), value: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({ type: fc.constant('json'), value: fields }),
    fc.record({
      type: fc.constant('raw'),
      value: fc.string({ maxLength: 200 }),
      contentType: fc.constantFrom(
        'application/json',
        'text/plain',
        'application/octet-stream',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ),
    }),
    fc.record({ type: fc.constant('none') }),
  );
}

async function send(
  route: Route,
  values: string[],
  b: { type: string; value?: unknown; contentType?: string },
  cookie: string | null,
) {
  let url = route.path;
  route.params.forEach((p, i) => {
    url = url.replace(`{${p}}`, encodeURIComponent(values[i] ?? '1'));
  });
  const opts: InjectOptions = { method: route.method as InjectOptions['method'], url, headers: cookie ? { cookie } : {} };
  if (route.method !== 'GET' && route.method !== 'DELETE') {
    if (b.type === 'json') opts.payload = JSON.stringify(b.value ?? null);
    if (b.type === 'json') opts.headers = { ...opts.headers, 'content-type': 'application/json' };
    if (b.type === 'raw') {
      opts.payload = String(b.value);
      opts.headers = { ...opts.headers, 'content-type': b.contentType ?? 'text/plain' };
    }
  }
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${route.method} ${url}`)), HANG_MS);
  });
  try {
    return { url, res: await Promise.race([t.app.inject(opts), hang]) };
  } finally {
    clearTimeout(timer);
  }
}

describe('fuzz (issue 14)', () => {
  it('every route of the OpenAPI document answers random and mutated bodies without a 5xx', async () => {
    expect(routes.length).toBeGreaterThan(80);
    for (const route of routes) {
      const who = SESSION_ENDING.has(`${route.method} ${route.path}`)
        ? fc.constant(null)
        : fc.constantFrom<string | null>(everyone, everyone, candidate, null);
      await fc.assert(
        fc.asyncProperty(
          fc.array(param, { minLength: route.params.length, maxLength: route.params.length }),
          body(route),
          who,
          async (values, b, cookie) => {
            const { url, res } = await send(route, values, b, cookie);
            const where = `${route.method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`;
            expect(res.statusCode, where).toBeLessThan(500);
            if (res.statusCode >= 400) {
              const err = obj(obj(res.json()).error);
              expect(typeof err.code, where).toBe('string');
              expect(typeof err.message, where).toBe('string');
            }
          },
        ),
        { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true },
      );
    }
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  }, 600_000);

  it('random frames to /candidate and /proctor get an error ack (or none), never a crash', async () => {
    const open = (nsp: string, cookie: string): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const sock = connect(`${base}${nsp}`, {
          path: '/socket.io',
          transports: ['websocket'],
          extraHeaders: { cookie },
          reconnection: false,
          forceNew: true,
        });
        sock.on('connect', () => resolve(sock));
        sock.on('connect_error', reject);
      });
    const cand = await open('/candidate', candidate);
    const proc = await open('/proctor', everyone);
    const frame = fc.oneof(
      fc.anything({ maxDepth: 2 }),
      fc.record({
        attemptId: fc.oneof(fc.integer(), fc.string()),
        questionNo: fc.oneof(fc.integer(), fc.double()),
        choice: fc.anything({ maxDepth: 1 }),
        seq: fc.oneof(fc.integer(), fc.double(), fc.bigInt().map(String)),
        flagged: fc.anything(),
      }),
      fc.record({ sittingId: fc.oneof(fc.integer(), fc.string()), roomId: fc.oneof(fc.integer(), fc.double()) }),
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    );
    const events = {
      candidate: ['answer', 'flag', 'sync'],
      proctor: ['watchRoom', 'watchSitting'],
      silent: ['unwatchRoom', 'unwatchSitting', 'nonexistent', '__proto__', 'constructor'],
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('candidate', 'proctor'), fc.nat(), frame, async (which, pick, payload) => {
        const sock = which === 'candidate' ? cand : proc;
        const acked = events[which];
        const ev = acked[pick % acked.length] as string;
        const ack: unknown = await sock.timeout(HANG_MS).emitWithAck(ev, payload);
        const a = obj(ack);
        // sync answers the clock whatever it is sent; everything else acks ok or a stable error code
        if (ev !== 'sync' && a.ok !== true) expect(typeof a.code, `${ev} ${JSON.stringify(a)}`).toBe('string');
        sock.emit(events.silent[pick % events.silent.length] as string, payload);
      }),
      { numRuns: 150, seed: SEED, endOnFailure: true },
    );
    expect(cand.connected && proc.connected).toBe(true);
    cand.disconnect();
    proc.disconnect();
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  }, 300_000);
});
