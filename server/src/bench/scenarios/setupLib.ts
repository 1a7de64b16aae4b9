// Prepares a data directory holding one ready exam for the delivery benchmarks, through the same
// services the board screens use, registered by the app's own service plugins (on a bare Fastify:
// no routes, no sockets, so the set-up stays quick): bank import, exam from a profile, rooms,
// sitting, seating, papers, PINs, ready. The candidate list is inserted directly, as the test
// helpers do.
import { join } from 'node:path';
import { DIFFICULTIES } from '@exam/shared';
import Database from 'better-sqlite3';
import { asc, eq } from 'drizzle-orm';
import Fastify from 'fastify';
import { openDatabase } from '../../db/connection.js';
import { candidates, rooms, seatAssignments } from '../../db/schema.js';
import { transaction, writer } from '../../db/tx.js';
import { banksPlugin } from '../../modules/banks/plugin.js';
import { examsPlugin } from '../../modules/exams/plugin.js';
import { usersPlugin } from '../../modules/users/plugin.js';
import type { AuthUser } from '../../plugins/auth.js';
import { generateBank } from './import.js';

export const BENCH_PIN = '135790';
/** Lab rooms of 60 seats (10 rows of 6), as in a provincial computer centre. */
export const ROOM_SEATS = 60;

export interface PreparedExam {
  dbFile: string;
  examId: number;
  partId: number;
  sittingId: number;
  /** số báo danh of every candidate, in seat order */
  numbers: string[];
  pin: string;
  questionsPerPaper: number;
  setupMs: number;
}

/**
 * A ready NĐ 138/2020 exam in `dataDir`: one computer part (Kiến thức chung, 60 questions from a
 * generated 400-question bank, 60 minutes, the other parts on paper), `candidates` candidates in
 * rooms of 60, one sitting starting at `startsAt`, papers generated, one PIN for everybody.
 */
export async function prepareExam(
  dataDir: string,
  opts: { candidates: number; startsAt: string; questions?: number; durationMin?: number },
): Promise<PreparedExam> {
  const t0 = performance.now();
  const perPaper = opts.questions ?? 60;
  const dbFile = join(dataDir, 'exam.db');
  const db = openDatabase(dbFile);
  const app = Fastify({ logger: false });
  try {
    await app.register(usersPlugin, { db });
    await app.register(examsPlugin, { db });
    await app.register(banksPlugin, { db });
    await app.ready();
    const { users, banks, exams } = app;
    const actor = { id: null, name: 'bench' };
    const u = await users.create(actor, {
      username: 'benchboard',
      fullName: 'Bench',
      password: 'Bench@12345',
      roles: ['board'],
    });
    const user: AuthUser = { id: u.id, username: u.username, fullName: u.fullName, roles: ['board'], subjectIds: [] };
    const subject = await banks.createSubject(actor, { code: 'KTC', name: 'Kiến thức chung' });
    // the bank multiple of NĐ 138 is 3: every difficulty needs 3 × its share of the paper
    const bankSize = Math.max(400, perPaper * 3 * 2);
    const rep = await banks.importFile(user, subject.id, 'json', Buffer.from(JSON.stringify(generateBank(bankSize, 'KTC'))), {
      dryRun: false,
    });
    if (!rep.ok) throw new Error(`bank import failed: ${JSON.stringify(rep.issues.slice(0, 3))}`);

    const examId = await exams.create(actor, { code: 'BENCH', name: 'Kỳ thi đo hiệu năng', profileId: 'nd138-2020' });
    const parts = exams.parts(examId);
    const part = parts.find((p) => p.mode === 'computer_mc' && p.code.toLowerCase().includes('ktc'));
    if (!part) throw new Error('profile nd138-2020 has no KTC computer part');
    for (const p of parts) if (p.id !== part.id && p.mode === 'computer_mc') exams.updatePart(actor, p.id, { mode: 'written' });
    const cells = DIFFICULTIES.map((difficulty, i) => ({
      topicId: null,
      difficulty,
      count: Math.floor(perPaper / 4) + (i < perPaper % 4 ? 1 : 0),
    }));
    exams.updatePart(actor, part.id, {
      subjectId: subject.id,
      questionCount: perPaper,
      durationMin: opts.durationMin ?? 60,
      blueprint: { cells },
    });
    const positionId = await exams.addPosition(actor, examId, { code: 'VT', name: 'Chuyên viên', quota: 100 });
    const list = Array.from({ length: opts.candidates }, (_, k) => ({
      examId,
      number: `BENCH${String(k + 1).padStart(5, '0')}`,
      fullName: `Thí sinh ${k + 1}`,
      dateOfBirth: '1990-01-01',
      gender: 'male',
      idNumber: String(1090000000 + k + 1).padStart(12, '0'),
      positionId,
    }));
    await transaction(db, async () => {
      // in slices: one statement's bound parameters stay well under SQLite's limit
      for (let k = 0; k < list.length; k += 1000)
        await writer(db)
          .insert(candidates)
          .values(list.slice(k, k + 1000));
    });
    const roomCount = Math.ceil(opts.candidates / ROOM_SEATS);
    for (let r = 1; r <= roomCount; r++) {
      await exams.addRoom(actor, examId, {
        code: `P${String(r).padStart(3, '0')}`,
        name: `Phòng máy ${r}`,
        seats: ROOM_SEATS,
        seatsPerRow: 6,
      });
    }
    const sittingId = await exams.addSitting(actor, examId, { name: 'Ca 1', startsAt: opts.startsAt, partIds: [part.id] });
    await exams.autoAssign(actor, sittingId);
    await exams.generatePapers(examId, () => {});
    await app.candidates.issuePins(actor, examId, false, BENCH_PIN);
    await exams.markReady(actor, examId);
    const seated = await db
      .select({ number: candidates.number })
      .from(seatAssignments)
      .innerJoin(candidates, eq(candidates.id, seatAssignments.candidateId))
      .innerJoin(rooms, eq(rooms.id, seatAssignments.roomId))
      .where(eq(seatAssignments.sittingId, sittingId))
      .orderBy(asc(rooms.code), asc(seatAssignments.seatNo));
    const numbers = seated.map((row) => row.number);
    return {
      dbFile,
      examId,
      partId: part.id,
      sittingId,
      numbers,
      pin: BENCH_PIN,
      questionsPerPaper: perPaper,
      setupMs: Math.round(performance.now() - t0),
    };
  } finally {
    await app.close();
    db.$client.close();
  }
}

/**
 * Moves a sitting's scheduled start (a direct update: the board screens offer no such change once
 * the exam is ready). The server reads starts_at on every request, so this works while it runs.
 */
export function setSittingStart(dbFile: string, sittingId: number, at: number): void {
  const db = new Database(dbFile);
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('UPDATE sittings SET starts_at = ? WHERE id = ?').run(new Date(at).toISOString(), sittingId);
  } finally {
    db.close();
  }
}
