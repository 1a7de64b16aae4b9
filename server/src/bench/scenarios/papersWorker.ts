// Child process of the papers benchmark: a fresh database with a 5,000-question bank and N
// candidates seated in rooms of 60; times ExamService.generatePapers (draw, shuffle, neighbour
// rule, and the one transaction that stores every paper).
import { join } from 'node:path';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/connection.js';
import { BankService } from '../../modules/banks/service.js';
import { ExamService } from '../../modules/exams/service.js';
import { UserService } from '../../modules/users/service.js';
import type { AuthUser } from '../../plugins/auth.js';
import { generateBank } from './import.js';

const [dir, nArg, bankArg, perPaperArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: papersWorker DIR N BANK PER_PAPER');
const n = Number(nArg ?? 10000);
const bankSize = Number(bankArg ?? 5000);
const perPaper = Number(perPaperArg ?? 60);
const config = loadConfig({ DATA_DIR: join(dir, 'data') }, { clientDir: null });
const db = openDatabase(config.dbFile);
const actor = { id: null, name: 'bench' };
const u = await new UserService(db).create(actor, {
  username: 'bench',
  fullName: 'Bench',
  password: 'Bench@12345',
  roles: ['board'],
});
const user: AuthUser = { id: u.id, username: u.username, fullName: u.fullName, roles: ['board'], subjectIds: [] };
const banks = new BankService(db);
const subject = await banks.createSubject(actor, { code: 'BENCH', name: 'Bench' });
const rep = await banks.importFile(user, subject.id, 'json', Buffer.from(JSON.stringify(generateBank(bankSize))), {
  dryRun: false,
});
if (!rep.ok) throw new Error(`bank import failed: ${JSON.stringify(rep.issues.slice(0, 3))}`);

const exams = new ExamService(db);
const examId = await exams.create(actor, { code: 'BENCH', name: 'Bench', profileId: 'nd170-2025' });
const parts = exams.parts(examId).filter((p) => p.mode === 'computer_mc');
const part = parts[0];
if (!part) throw new Error('profile has no computer part');
for (const p of parts.slice(1)) db.$client.prepare("UPDATE exam_parts SET mode = 'written' WHERE id = ?").run(p.id);
const perDifficulty = perPaper / 4;
await exams.updatePart(actor, part.id, {
  subjectId: subject.id,
  questionCount: perPaper,
  blueprint: {
    cells: (['nhan_biet', 'thong_hieu', 'van_dung', 'van_dung_cao'] as const).map((difficulty) => ({
      topicId: null,
      difficulty,
      count: perDifficulty,
    })),
  },
});
const sqlite = db.$client;
const pos = Number(
  sqlite.prepare("INSERT INTO exam_positions (exam_id, code, name, quota) VALUES (?, 'VT', 'Vị trí', 100)").run(examId)
    .lastInsertRowid,
);
const ins = sqlite.prepare(
  "INSERT INTO candidates (exam_id, number, full_name, date_of_birth, gender, id_number, position_id) VALUES (?, ?, ?, '1990-01-01', 'male', ?, ?)",
);
sqlite.transaction(() => {
  for (let i = 0; i < n; i++) ins.run(examId, `B${String(i).padStart(6, '0')}`, `Thí sinh ${i}`, String(100000000 + i), pos);
})();
const rooms = Math.ceil(n / 60);
for (let r = 0; r < rooms; r++)
  await exams.addRoom(actor, examId, { code: `P${r}`, name: `Phòng ${r}`, seats: 60, seatsPerRow: 6 });
const sitting = await exams.addSitting(actor, examId, { name: 'Ca 1', startsAt: '2026-12-20T01:00:00Z', partIds: [part.id] });
await exams.autoAssign(actor, sitting);

const t0 = performance.now();
const out = await exams.generatePapers(examId, () => {});
const ms = Math.round(performance.now() - t0);
const r = out[0];
console.log(
  JSON.stringify({
    ms,
    papers: r?.papers ?? 0,
    regenerated: r?.regenerated ?? 0,
    minOverlap: r?.minOverlap ?? null,
    maxOverlap: r?.maxOverlap ?? null,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
db.$client.close();
