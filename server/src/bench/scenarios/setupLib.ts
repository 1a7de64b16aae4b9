// Prepares a data directory holding one ready exam for the delivery benchmarks, through the same
// services the board screens use (bank import, exam from a profile, rooms, sitting, seating,
// papers, PINs, ready); the candidate list is inserted directly, as the test helpers do.
import { join } from 'node:path';
import { DIFFICULTIES } from '@exam/shared';
import Database from 'better-sqlite3';
import { openDatabase } from '../../db/connection.js';
import { BankService } from '../../modules/banks/service.js';
import { CandidateService } from '../../modules/exams/candidates.js';
import { EligibilityService } from '../../modules/exams/eligibility.js';
import { ExamService } from '../../modules/exams/service.js';
import { UserService } from '../../modules/users/service.js';
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
  try {
    const actor = { id: null, name: 'bench' };
    const u = await new UserService(db).create(actor, {
      username: 'benchboard',
      fullName: 'Bench',
      password: 'Bench@12345',
      roles: ['board'],
    });
    const user: AuthUser = { id: u.id, username: u.username, fullName: u.fullName, roles: ['board'], subjectIds: [] };
    const banks = new BankService(db);
    const subject = await banks.createSubject(actor, { code: 'KTC', name: 'Kiến thức chung' });
    // the bank multiple of NĐ 138 is 3: every difficulty needs 3 × its share of the paper
    const bankSize = Math.max(400, perPaper * 3 * 2);
    const rep = await banks.importFile(user, subject.id, 'json', Buffer.from(JSON.stringify(generateBank(bankSize, 'KTC'))), {
      dryRun: false,
    });
    if (!rep.ok) throw new Error(`bank import failed: ${JSON.stringify(rep.issues.slice(0, 3))}`);

    const exams = new ExamService(db);
    const examId = await exams.create(actor, { code: 'BENCH', name: 'Kỳ thi đo hiệu năng', profileId: 'nd138-2020' });
    const parts = exams.parts(examId);
    const part = parts.find((p) => p.mode === 'computer_mc' && p.code.toLowerCase().includes('ktc'));
    if (!part) throw new Error('profile nd138-2020 has no KTC computer part');
    for (const p of parts)
      if (p.id !== part.id && p.mode === 'computer_mc') await exams.updatePart(actor, p.id, { mode: 'written' });
    const cells = DIFFICULTIES.map((difficulty, i) => ({
      topicId: null,
      difficulty,
      count: Math.floor(perPaper / 4) + (i < perPaper % 4 ? 1 : 0),
    }));
    await exams.updatePart(actor, part.id, {
      subjectId: subject.id,
      questionCount: perPaper,
      durationMin: opts.durationMin ?? 60,
      blueprint: { cells },
    });
    await exams.addPosition(actor, examId, { code: 'VT', name: 'Chuyên viên', quota: 100 });
    const sqlite = db.$client;
    const pos = sqlite.prepare('SELECT id FROM exam_positions WHERE exam_id = ?').pluck().get(examId) as number;
    const ins = sqlite.prepare(
      "INSERT INTO candidates (exam_id, number, full_name, date_of_birth, gender, id_number, position_id) VALUES (?, ?, ?, '1990-01-01', 'male', ?, ?)",
    );
    sqlite.transaction(() => {
      for (let i = 1; i <= opts.candidates; i++) {
        ins.run(examId, `BENCH${String(i).padStart(5, '0')}`, `Thí sinh ${i}`, String(1090000000 + i).padStart(12, '0'), pos);
      }
    })();
    const rooms = Math.ceil(opts.candidates / ROOM_SEATS);
    for (let r = 1; r <= rooms; r++) {
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
    await new CandidateService(db, exams, new EligibilityService(db, exams)).issuePins(actor, examId, false, BENCH_PIN);
    await exams.markReady(actor, examId);
    const numbers = sqlite
      .prepare(
        `SELECT c.number FROM seat_assignments a JOIN candidates c ON c.id = a.candidate_id JOIN rooms r ON r.id = a.room_id
          WHERE a.sitting_id = ? ORDER BY r.code, a.seat_no`,
      )
      .pluck()
      .all(sittingId) as string[];
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
