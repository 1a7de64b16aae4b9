import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.js';
import { DeliveryService } from '../src/modules/delivery/service.js';
import { EligibilityService } from '../src/modules/exams/eligibility.js';
import { ExamService } from '../src/modules/exams/service.js';
import { ProctorService, parseSealedExport } from '../src/modules/proctor/service.js';
import { ResultsService } from '../src/modules/results/service.js';
import type { AuthUser } from '../src/plugins/auth.js';
import { AppError } from '../src/plugins/errors.js';
import { makeApp, readyExam, seedBank } from './helpers.js';

/**
 * Model-based test of the sitting's and the exam's lifecycle (issue 11): random sequences of
 * sign-ins, starts, answers, submissions, invigilator actions, closings, seals, marks and
 * publications against the real services on a real SQLite file (a copy of one ready exam per
 * sequence). After every step the invariants hold:
 *   - the sealed export equals what any later report prints for that sitting (the result sheet's
 *     rows) and what the database holds for it (no attempt or answer changed after the seal);
 *   - no sign-in, start, answer or action is accepted for a closed room or a sealed sitting;
 *   - nothing is published while a counted computer part is unsat (neither submitted nor confirmed
 *     absent) or its sitting unsealed;
 *   - an attempt's deadline moves only through a recorded action (pause, resume, extension).
 * 200 sequences run in `npm test`; a failure prints fast-check's seed and the shrunk sequence.
 */

const PIN = '246810';
const RUNS = Number(process.env.LIFECYCLE_RUNS ?? 200);
const board: AuthUser = { id: 1, username: 'admin', fullName: 'Chủ tịch Hội đồng', roles: ['board', 'admin'], subjectIds: [] };

let dir = '';
let template = '';
let ctx: Awaited<ReturnType<typeof readyExam>>;
let parts: { ktc: number; nn: number; r2: number };
let seated: { candidateId: number; number: string; roomId: number }[] = [];

beforeAll(async () => {
  const t = await makeApp();
  const s = await seedBank(t);
  ctx = await readyExam(t, s, {
    candidates: 4,
    rooms: 2,
    durationMin: 30,
    pin: PIN,
    overrides: { choices: [{ id: 'round2_format', selected: 'written' }] },
  });
  const list = ctx.exams.parts(ctx.examId);
  const code = (c: string) => list.find((p) => p.code === c)?.id ?? 0;
  parts = { ktc: code('r1_ktc'), nn: code('r1_nn'), r2: code('r2_written') };
  seated = (
    t.db.$client
      .prepare(
        `SELECT a.candidate_id AS candidateId, c.number, a.room_id AS roomId FROM seat_assignments a
           JOIN candidates c ON c.id = a.candidate_id WHERE a.sitting_id = ? ORDER BY a.room_id, a.seat_no`,
      )
      .all(ctx.sittingId) as { candidateId: number; number: string; roomId: number }[]
  ).map((r) => ({ ...r }));
  // the copies live in memory where the machine has a tmpfs: the sequences test logic, not fsync
  dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'lifecycle-model-'));
  template = join(dir, 'template.db');
  await t.db.$client.backup(template);
  await t.close();
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Cmd =
  | { k: 'signIn'; c: number }
  | { k: 'start'; c: number }
  | { k: 'answer'; c: number; q: number; o: number }
  | { k: 'submit'; c: number }
  | { k: 'act'; room: number; action: 'pause' | 'resume' | 'message' }
  | { k: 'extend'; c: number }
  | { k: 'forceSubmit'; c: number }
  | { k: 'close'; room: number }
  | { k: 'seal' }
  | { k: 'mark'; c: number; part: 'nn' | 'r2'; score: number | null }
  | { k: 'publish' };

const cand = fc.integer({ min: 0, max: 3 });
const room = fc.integer({ min: 0, max: 1 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('signIn' as const), c: cand }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('start' as const), c: cand }), weight: 3 },
  {
    arbitrary: fc.record({
      k: fc.constant('answer' as const),
      c: cand,
      q: fc.integer({ min: 1, max: 2 }),
      o: fc.integer({ min: 0, max: 3 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ k: fc.constant('submit' as const), c: cand }), weight: 2 },
  {
    arbitrary: fc.record({
      k: fc.constant('act' as const),
      room,
      action: fc.constantFrom('pause' as const, 'resume' as const, 'message' as const),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ k: fc.constant('extend' as const), c: cand }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('forceSubmit' as const), c: cand }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('close' as const), room }), weight: 2 },
  { arbitrary: fc.constant({ k: 'seal' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      k: fc.constant('mark' as const),
      c: cand,
      part: fc.constantFrom('nn' as const, 'r2' as const),
      score: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ k: 'publish' as const }), weight: 2 },
);

interface World {
  db: ReturnType<typeof openDatabase>;
  delivery: DeliveryService;
  proctor: ProctorService;
  results: ResultsService;
}

async function open(n: number): Promise<World> {
  const file = join(dir, `run-${n}.db`);
  copyFileSync(template, file);
  const db = openDatabase(file);
  const delivery = new DeliveryService(db);
  const exams = new ExamService(db);
  const proctor = new ProctorService(db, delivery, { bus: delivery.bus, exams });
  const results = new ResultsService(db, exams, new EligibilityService(db, exams));
  return { db, delivery, proctor, results };
}

async function shut(w: World, n: number): Promise<void> {
  await w.delivery.close();
  w.db.$client.close();
  rmSync(join(dir, `run-${n}.db`), { force: true });
  rmSync(join(dir, `run-${n}.db-wal`), { force: true });
  rmSync(join(dir, `run-${n}.db-shm`), { force: true });
}

/** The sitting's rows as the database holds them now (attempts with their answers). */
function liveRows(w: World) {
  const attempts = w.db.$client
    .prepare(
      `SELECT a.candidate_id AS candidateId, a.part_id AS partId, a.status, a.correct, a.total, a.score,
              (SELECT COUNT(*) FROM answers x WHERE x.attempt_id = a.id) AS answers
         FROM attempts a WHERE a.sitting_id = ? ORDER BY a.candidate_id, a.part_id`,
    )
    .all(ctx.sittingId) as {
    candidateId: number;
    partId: number;
    status: string;
    correct: number | null;
    total: number | null;
    score: number | null;
    answers: number;
  }[];
  return attempts;
}

function sealedFile(w: World) {
  return w.db.$client.prepare('SELECT data FROM sitting_exports WHERE sitting_id = ?').pluck().get(ctx.sittingId) as
    | Buffer
    | undefined;
}

/**
 * Each running attempt's clock: the deadline while it runs, the time left while it is paused (a
 * paused clock's deadline slides with time, its time left does not).
 */
function deadlines(w: World): Map<number, string> {
  const ids = w.db.$client.prepare("SELECT id FROM attempts WHERE status = 'running'").pluck().all() as number[];
  return new Map(
    ids.map((id) => {
      const t = w.delivery.timing(id);
      return [id, t.state === 'paused' ? `paused:${t.remainingMs}` : `${t.state}:${t.deadline}`];
    }),
  );
}

function roomEnded(w: World, roomId: number): boolean {
  return (
    !!w.db.$client.prepare('SELECT 1 FROM room_closures WHERE sitting_id = ? AND room_id = ?').get(ctx.sittingId, roomId) ||
    !!sealedFile(w)
  );
}

const attemptOf = (w: World, candidateId: number) =>
  w.db.$client.prepare('SELECT id FROM attempts WHERE candidate_id = ? AND part_id = ?').pluck().get(candidateId, parts.ktc) as
    | number
    | undefined;

/** Runs one command; resolves whether the server accepted it. Refusals must be AppErrors. */
async function run(w: World, c: Cmd, rooms: number[]): Promise<boolean> {
  const who = (i: number) => seated[i] ?? { candidateId: 0, number: '', roomId: 0 };
  try {
    switch (c.k) {
      case 'signIn':
        await w.delivery.login(who(c.c).number, PIN, `device-${c.c}-model`, '127.0.0.1', 'model');
        return true;
      case 'start':
        await w.delivery.start(who(c.c).candidateId, parts.ktc);
        return true;
      case 'answer': {
        const id = attemptOf(w, who(c.c).candidateId);
        if (id === undefined) return false;
        const a = w.delivery.attempt(who(c.c).candidateId, id);
        const q = a.questions[c.q - 1];
        const ack = await w.delivery.saveAnswer(who(c.c).candidateId, id, {
          questionNo: c.q,
          choice: [q?.options[c.o % (q?.options.length ?? 1)]?.id ?? 'x'],
          seq: Date.now() * 10 + c.o,
        });
        return ack.ok;
      }
      case 'submit': {
        const id = attemptOf(w, who(c.c).candidateId);
        if (id === undefined) return false;
        if (roomEnded(w, who(c.c).roomId)) {
          // an ended room holds no running attempt: submitting returns the stored result, changing nothing
          const before = liveRows(w);
          await w.delivery.submit(id, 'candidate');
          expect(liveRows(w)).toEqual(before);
          return false;
        }
        await w.delivery.submit(id, 'candidate');
        return true;
      }
      case 'act':
        await w.proctor.act(board, ctx.sittingId, rooms[c.room] ?? 0, {
          action: c.action,
          reason: 'Kiểm thử',
          text: 'Thông báo',
        });
        return true;
      case 'extend':
        await w.proctor.act(board, ctx.sittingId, who(c.c).roomId, {
          action: 'extend',
          candidateIds: [who(c.c).candidateId],
          minutes: 5,
          reason: 'Máy hỏng',
        });
        return true;
      case 'forceSubmit':
        await w.proctor.act(board, ctx.sittingId, who(c.c).roomId, {
          action: 'force_submit',
          candidateIds: [who(c.c).candidateId],
          reason: 'Thu bài',
        });
        return true;
      case 'close': {
        const roomId = rooms[c.room] ?? 0;
        const preview = await w.proctor.closing(ctx.sittingId, roomId);
        await w.proctor.act(board, ctx.sittingId, roomId, {
          action: 'close_room',
          reason: 'Hết giờ',
          absentees: preview.absentees.map((a) => a.candidateId),
        });
        return true;
      }
      case 'seal':
        await w.proctor.seal(board, ctx.sittingId, 'Kết thúc ca thi');
        return true;
      case 'mark':
        await w.results.enterScores(board, ctx.examId, {
          partId: c.part === 'nn' ? parts.nn : parts.r2,
          marker: 1,
          rows: [{ number: who(c.c).number, score: c.score, scoreAgain: c.score }],
        });
        return true;
      case 'publish':
        await w.results.publish(board, ctx.examId, 'Phê duyệt');
        return true;
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    expect(err.status).toBeGreaterThanOrEqual(400);
    expect(err.status).toBeLessThan(500);
    return false;
  }
}

describe('the sitting and exam lifecycle, as a model', () => {
  it(`holds its invariants over ${RUNS} random sequences`, async () => {
    let n = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 4, maxLength: 28 }), async (cmds) => {
        const w = await open(n++);
        try {
          let sealedRows: ReturnType<typeof liveRows> | null = null;
          for (const c of cmds) {
            const rooms = [...new Set(seated.map((s) => s.roomId))];
            const before = deadlines(w);
            const wasSealed = !!sealedFile(w);
            const endedBefore = rooms.filter((r) => roomEnded(w, r));
            const target = 'c' in c ? seated[c.c]?.roomId : 'room' in c ? rooms[c.room] : undefined;
            const accepted = await run(w, c, rooms);

            // nothing is accepted for a closed room or a sealed sitting
            if (target !== undefined && endedBefore.includes(target) && c.k !== 'mark' && c.k !== 'submit')
              expect(accepted, `${c.k} accepted in an ended room`).toBe(false);
            if (wasSealed && (c.k === 'close' || c.k === 'act' || c.k === 'answer' || c.k === 'start'))
              expect(accepted).toBe(false);

            // the sealed export is what the database holds and what the result sheet prints
            const file = sealedFile(w);
            if (file) {
              const live = liveRows(w);
              sealedRows ??= live;
              expect(live).toEqual(sealedRows);
              const doc = parseSealedExport(file);
              const exported = doc.candidates.flatMap((x) =>
                x.attempts.map((a) => ({ candidateId: x.id, partId: a.partId, status: a.status, score: a.score })),
              );
              expect(exported).toEqual(
                live.map((a) => ({ candidateId: a.candidateId, partId: a.partId, status: a.status, score: a.score })),
              );
              for (const r of rooms) {
                const sheet = await w.proctor.resultSheetData(ctx.sittingId, r);
                for (const row of sheet.rows) {
                  const inFile = doc.candidates.find((x) => x.id === row.id);
                  expect(row.attempts.map((a) => a.score)).toEqual(inFile?.attempts.map((a) => a.score));
                  expect(row.absentParts).toEqual(inFile?.absentParts);
                }
              }
            }

            // published only with every computer part sat or confirmed absent, and the sitting sealed
            if (c.k === 'publish' && accepted) {
              expect(file).toBeDefined();
              for (const s of seated) {
                const a = w.db.$client
                  .prepare('SELECT status FROM attempts WHERE candidate_id = ? AND part_id = ?')
                  .pluck()
                  .get(s.candidateId, parts.ktc);
                const absent = w.db.$client
                  .prepare('SELECT 1 FROM absences WHERE candidate_id = ? AND part_id = ?')
                  .get(s.candidateId, parts.ktc);
                expect(a === 'submitted' || !!absent, `candidate ${s.number} unsat at publication`).toBe(true);
              }
            }

            // a deadline moves only through a recorded clock action
            const after = deadlines(w);
            for (const [id, d] of before) {
              if (!after.has(id)) continue; // submitted
              const moved = after.get(id) !== d;
              if (moved) {
                expect(['act', 'extend'].includes(c.k) && accepted, `deadline of attempt ${id} moved by ${c.k}`).toBe(true);
                const recorded = w.db.$client
                  .prepare("SELECT COUNT(*) FROM incidents WHERE action IN ('pause', 'resume', 'extend')")
                  .pluck()
                  .get() as number;
                expect(recorded).toBeGreaterThan(0);
              }
            }
          }
        } finally {
          await shut(w, n - 1);
          if (process.env.LIFECYCLE_TRACE) console.log(`sequence ${n}: ${cmds.length} steps, ${Date.now() - started} ms so far`);
        }
      }),
      {
        numRuns: RUNS,
        // the seed and the shrunk counterexample are printed on failure (fast-check's report)
        verbose: 1,
      },
    );
  }, 600_000);
});
