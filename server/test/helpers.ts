import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateUserBody, ProfileOverrides, QuestionBody } from '@exam/shared';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { type AppConfig, loadConfig } from '../src/config.js';
import type { Db } from '../src/db/connection.js';
import type { SealedPapers } from '../src/modules/delivery/sealed.js';
import type { DeliveryService } from '../src/modules/delivery/service.js';
import { CandidateService } from '../src/modules/exams/candidates.js';
import { EligibilityService } from '../src/modules/exams/eligibility.js';
import { ExamService } from '../src/modules/exams/service.js';
import { UserService } from '../src/modules/users/service.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  delivery: DeliveryService;
  sealed: SealedPapers;
  dir: string;
  config: AppConfig;
  close(): Promise<void>;
}

export async function makeApp(overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'exam-test-'));
  const config = loadConfig({ DATA_DIR: dir, LOGIN_RATE_LIMIT: '1000' }, { clientDir: null, ...overrides });
  const { app, db, delivery, sealed } = await buildApp(config);
  return {
    app,
    db,
    delivery,
    sealed,
    dir,
    config,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const PASSWORD = 'Secret@2026';

export async function createUser(db: Db, body: Omit<CreateUserBody, 'password'> & { password?: string }): Promise<number> {
  const u = await new UserService(db).create({ id: null, name: 'test' }, { password: PASSWORD, ...body });
  return u.id;
}

/** Signs in and returns the cookie header to send with later requests. */
export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'session');
  if (!c) throw new Error('no session cookie');
  return `session=${c.value}`;
}

export function json<T>(res: LightMyRequestResponse): T {
  return res.json() as T;
}

export function singleQuestion(topicId: number, stem = 'Cơ quan nào là cơ quan quyền lực nhà nước cao nhất?'): QuestionBody {
  return {
    type: 'single',
    topicId,
    difficulty: 'nhan_biet',
    stem: `<p>${stem}</p>`,
    options: [
      { text: 'Quốc hội', correct: true },
      { text: 'Chính phủ', correct: false },
      { text: 'Tòa án nhân dân tối cao', correct: false },
      { text: 'Tất cả các phương án trên', correct: false, pinned: true },
    ],
    legalBasis: 'Điều 69 Hiến pháp năm 2013',
    explanation: 'Quốc hội là cơ quan quyền lực nhà nước cao nhất.',
    tags: ['hiến pháp'],
  };
}

/** A board user, two subjects, an author and a reviewer for subject A, an author for B. */
export async function seedBank(t: TestApp) {
  await createUser(t.db, { username: 'board', fullName: 'Hội đồng', roles: ['board'] });
  const board = await login(t.app, 'board');
  const mk = async (code: string, name: string) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/subjects', headers: { cookie: board }, payload: { code, name } });
    return json<{ id: number }>(r).id;
  };
  const subjectA = await mk('KTC', 'Kiến thức chung');
  const subjectB = await mk('TH', 'Tin học');
  const topic = async (subjectId: number, code: string, name: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/subjects/${subjectId}/topics`,
      headers: { cookie: board },
      payload: { code, name },
    });
    return json<{ id: number }>(r).id;
  };
  const topicA = await topic(subjectA, 'HP', 'Hiến pháp 2013');
  const topicB = await topic(subjectB, 'IU01', 'Hiểu biết CNTT cơ bản');
  await createUser(t.db, { username: 'authorA', fullName: 'Tác giả A', roles: ['author'], subjectIds: [subjectA] });
  await createUser(t.db, { username: 'reviewerA', fullName: 'Người duyệt A', roles: ['reviewer'], subjectIds: [subjectA] });
  await createUser(t.db, { username: 'authorB', fullName: 'Tác giả B', roles: ['author'], subjectIds: [subjectB] });
  await createUser(t.db, {
    username: 'authrev',
    fullName: 'Vừa ra đề vừa duyệt',
    roles: ['author', 'reviewer'],
    subjectIds: [subjectA],
  });
  return {
    board,
    subjectA,
    subjectB,
    topicA,
    topicB,
    authorA: await login(t.app, 'authorA'),
    reviewerA: await login(t.app, 'reviewerA'),
    authorB: await login(t.app, 'authorB'),
    authrev: await login(t.app, 'authrev'),
  };
}

/**
 * A ready exam: 6 approved questions, one 2-question computer part (1 minute unless told), `n`
 * candidates seated, the sitting open. PINs are random unless `pin` is given.
 */
export async function readyExam(
  t: TestApp,
  s: Awaited<ReturnType<typeof seedBank>>,
  opts: {
    candidates?: number;
    durationMin?: number;
    pin?: string;
    stemHtml?: string;
    /** rooms to spread the candidates over (default 1) */
    rooms?: number;
    /** minutes from now to the scheduled start (default −1: already open) */
    startsInMin?: number;
    /** profile overrides set before the exam is frozen (e.g. the round-2 choice) */
    overrides?: ProfileOverrides;
  } = {},
) {
  for (let i = 0; i < 6; i++) {
    const q = (
      await t.app.inject({
        method: 'POST',
        url: `/api/subjects/${s.subjectA}/questions`,
        headers: { cookie: s.authorA },
        payload: singleQuestion(s.topicA, `Câu hỏi số ${i}?${opts.stemHtml ?? ''}`),
      })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/questions/${q.id}/transition`,
      headers: { cookie: s.authorA },
      payload: { to: 'submitted' },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/questions/${q.id}/transition`,
      headers: { cookie: s.reviewerA },
      payload: { to: 'approved' },
    });
  }
  const exams = new ExamService(t.db);
  const actor = { id: null, name: 'test' };
  const examId = await exams.create(actor, { code: 'DL', name: 'Thi thử', profileId: 'nd138-2020' });
  if (opts.overrides) await exams.update(actor, examId, { overrides: opts.overrides });
  const parts = exams.parts(examId);
  const ktc = parts.find((p) => p.code.includes('ktc'));
  if (!ktc) throw new Error('no KTC part');
  for (const p of parts) if (p.id !== ktc.id) await exams.updatePart(actor, p.id, { mode: 'written' });
  await exams.updatePart(actor, ktc.id, {
    subjectId: s.subjectA,
    questionCount: 2,
    durationMin: opts.durationMin ?? 1,
    blueprint: { cells: [{ topicId: null, difficulty: 'nhan_biet', count: 2 }] },
  });
  await exams.addPosition(actor, examId, { code: 'VT', name: 'Vị trí', quota: 1 });
  const pos = t.db.$client.prepare('SELECT id FROM exam_positions WHERE exam_id = ?').pluck().get(examId);
  const ins = t.db.$client.prepare(
    "INSERT INTO candidates (exam_id, number, full_name, date_of_birth, gender, id_number, position_id) VALUES (?, ?, ?, '1990-01-01', 'male', ?, ?)",
  );
  const n = opts.candidates ?? 2;
  t.db.$client.transaction(() => {
    for (let i = 1; i <= n; i++)
      ins.run(examId, `DL${String(i).padStart(4, '0')}`, `Thí sinh ${i}`, String(1090000000 + i).padStart(12, '0'), pos);
  })();
  const roomIds: number[] = [];
  for (let r = 1; r <= (opts.rooms ?? 1); r++)
    roomIds.push(await exams.addRoom(actor, examId, { code: `P${r}`, name: `Phòng ${r}`, seats: Math.max(10, n) }));
  const sitting = await exams.addSitting(actor, examId, {
    name: 'Ca 1',
    startsAt: new Date(Date.now() + (opts.startsInMin ?? -1) * 60_000).toISOString(),
    partIds: [ktc.id],
  });
  await exams.autoAssign(actor, sitting);
  await exams.generatePapers(examId, () => {});
  const issued = await new CandidateService(t.db, exams, new EligibilityService(t.db, exams)).issuePins(
    actor,
    examId,
    false,
    opts.pin,
  );
  await exams.markReady(actor, examId);
  return { examId, partId: ktc.id, pins: issued, sittingId: sitting, roomIds, exams };
}

/**
 * Ends a ready exam's sitting as invigilators and the board do: every room closed with its
 * absentees confirmed (after the running papers are in), then the sitting sealed.
 */
export async function endSitting(t: TestApp, ctx: { sittingId: number; roomIds: number[] }, cookie: string): Promise<string> {
  for (const roomId of ctx.roomIds) {
    const base = `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomId}`;
    const preview = (await t.app.inject({ method: 'GET', url: `${base}/closing`, headers: { cookie } })).json() as {
      absentees: { candidateId: number }[];
    };
    const closed = await t.app.inject({
      method: 'POST',
      url: `${base}/actions`,
      headers: { cookie },
      payload: { action: 'close_room', reason: 'Hết giờ thi', absentees: preview.absentees.map((a) => a.candidateId) },
    });
    if (closed.statusCode !== 200) throw new Error(`close_room: ${closed.statusCode} ${closed.body}`);
  }
  const sealed = await t.app.inject({
    method: 'POST',
    url: `/api/proctor/sittings/${ctx.sittingId}/seal`,
    headers: { cookie },
    payload: { reason: 'Kết thúc ca thi' },
  });
  if (sealed.statusCode !== 200) throw new Error(`seal: ${sealed.statusCode} ${sealed.body}`);
  return (sealed.json() as { sha256: string }).sha256;
}
