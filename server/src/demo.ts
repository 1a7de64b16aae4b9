import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as XLSX from '@e965/xlsx';
import { BankFileSchema, DIFFICULTIES, type Role } from '@exam/shared';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyInstance } from 'fastify';
import { columnsFor, positionHeader } from './modules/exams/candidates-import/index.js';
import type { AuthUser } from './plugins/auth.js';

export const QUESTION_BANKS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../question-banks');

export const DEMO_PASSWORD = 'Demo@2026';
const DEMO_ACCOUNTS: { username: string; fullName: string; roles: Role[]; allSubjects: boolean; label: string }[] = [
  { username: 'hoidong', fullName: 'Nguyễn Văn Hội', roles: ['board'], allSubjects: false, label: 'Hội đồng thi' },
  {
    username: 'chutich',
    fullName: 'Đỗ Văn Chủ',
    roles: ['board', 'chair'],
    allSubjects: false,
    label: 'Chủ tịch Hội đồng thi (ghi quyết định của Thủ trưởng)',
  },
  { username: 'tacgia', fullName: 'Trần Thị Soạn', roles: ['author'], allSubjects: true, label: 'Người ra đề (mọi môn)' },
  { username: 'duyetde', fullName: 'Lê Văn Duyệt', roles: ['reviewer'], allSubjects: true, label: 'Người duyệt đề (mọi môn)' },
  { username: 'giamthi', fullName: 'Phạm Thị Coi', roles: ['invigilator'], allSubjects: false, label: 'Giám thị' },
];

export function sampleBankFiles(): string[] {
  return readdirSync(QUESTION_BANKS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(QUESTION_BANKS_DIR, f));
}

const BankFileCheck = TypeCompiler.Compile(BankFileSchema);

/** A sample bank file, checked against the bank file format before its subject is read. */
function readBankFile(file: string) {
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (BankFileCheck.Check(value)) return value;
  const first = BankFileCheck.Errors(value).First();
  throw new Error(`Ngân hàng mẫu ${file} sai định dạng tại ${first?.path || '/'}: ${first?.message ?? 'không hợp lệ'}`);
}

/**
 * Loads the sample banks through the ordinary import (as the board account) and creates the demo
 * accounts, with the services the app registered (its plugins). Running it twice changes nothing.
 */
export async function loadDemo(
  app: FastifyInstance,
): Promise<{ summary: string[]; accounts: { username: string; password: string; role: string }[] }> {
  const { users, banks } = app;
  const system = { id: null, name: 'demo' };
  const summary: string[] = [];

  for (const a of DEMO_ACCOUNTS) {
    if (!(await users.findByUsername(a.username))) {
      await users.create(system, { username: a.username, fullName: a.fullName, password: DEMO_PASSWORD, roles: a.roles });
    }
  }
  const board = await users.findByUsername('hoidong');
  if (!board) throw new Error('demo board account missing');
  const boardUser: AuthUser = {
    id: board.id,
    username: board.username,
    fullName: board.fullName,
    roles: ['board'],
    subjectIds: [],
  };

  for (const file of sampleBankFiles()) {
    const bank = readBankFile(file);
    let subject = (await banks.listSubjects(boardUser)).find((s) => s.code === bank.subject.code);
    if (!subject) subject = await banks.createSubject(system, bank.subject);
    if (subject.questionCount > 0) {
      summary.push(`Môn ${bank.subject.code} đã có ${subject.questionCount} câu hỏi (giữ nguyên).`);
      continue;
    }
    const report = await banks.importFile(boardUser, subject.id, 'json', readFileSync(file), { dryRun: false });
    if (!report.ok) {
      throw new Error(`Ngân hàng mẫu ${file} lỗi: ${JSON.stringify(report.issues.slice(0, 5))}`);
    }
    summary.push(`Môn ${bank.subject.code} — ${bank.subject.name}: đã nạp ${report.created} câu hỏi.`);
  }
  const allSubjects = (await banks.listSubjects(boardUser)).map((s) => s.id);
  for (const a of DEMO_ACCOUNTS.filter((x) => x.allSubjects)) {
    const u = await users.findByUsername(a.username);
    // only when something changed: a restart with --demo appends no audit rows (issue 14)
    if (u && (await users.get(u.id)).subjectIds.join(',') !== [...allSubjects].sort((x, y) => x - y).join(','))
      await users.update(system, u.id, { subjectIds: allSubjects });
  }
  const candidateLogins = await demoExam(app, summary);
  return {
    summary,
    accounts: [
      ...DEMO_ACCOUNTS.map((a) => ({ username: a.username, password: DEMO_PASSWORD, role: a.label })),
      ...candidateLogins.map((c) => ({ username: c.number, password: c.pin, role: `Thí sinh ${c.fullName} (SBD + PIN)` })),
    ],
  };
}

const DEMO_NAMES = [
  'Nguyễn Thị Lan',
  'Trần Văn Minh',
  'Lê Thị Hồng',
  'Phạm Quốc Bảo',
  'Hoàng Thị Mai',
  'Võ Văn Tâm',
  'Đặng Thị Thu',
  'Bùi Văn Hải',
  'Đỗ Thị Ngọc',
  'Hồ Văn Phúc',
  'Ngô Thị Yến',
  'Dương Văn Khoa',
  'Lý Thị Hạnh',
  'Trịnh Văn Đức',
  'Phan Thị Loan',
  'Vũ Văn Nam',
  'Châu Thị Kim',
  'Tạ Văn Lộc',
  'Mai Thị Diệu',
  'Lâm Văn Sơn',
];

/**
 * A ready demo exam under NĐ 138/2020 built through the ordinary paths: parts from the profile,
 * blueprints the sample banks can cover at the ×3 rule, 20 candidates imported from an XLSX made
 * like the template, one room and a sitting ten minutes from now, papers generated, PINs issued.
 */
async function demoExam(app: FastifyInstance, summary: string[]): Promise<{ number: string; fullName: string; pin: string }[]> {
  const { exams, banks, users, candidates } = app;
  if ((await exams.list()).some((e) => e.code === 'DEMO')) {
    summary.push('Kỳ thi mẫu DEMO đã có (giữ nguyên; mã PIN đã in lần trước).');
    return [];
  }
  const actor = { id: null, name: 'demo' };
  const id = await exams.create(actor, {
    code: 'DEMO',
    name: 'Kỳ thi tuyển công chức mẫu năm 2026',
    profileId: 'nd138-2020',
    organisingBody: 'Sở Nội vụ tỉnh Hậu Giang',
    examDate: new Date().toISOString().slice(0, 10),
    // NĐ 138/2020 ceased to govern on 16/9/2024: the board confirms its use for a practice exam
    profileOutOfForceReason: 'Kỳ thi mẫu để tập huấn, dùng quy chế NĐ 138/2020 làm ví dụ; không phải kỳ tuyển dụng thật.',
  });
  // the board's choice of round-2 format (NĐ 138/2020 Điều 9: phỏng vấn or thi viết): a written paper
  exams.update(actor, id, { overrides: { choices: [{ id: 'round2_format', selected: 'written' }] } });
  const multiple = exams.bankMultiple(exams.examRow(id));
  for (const part of exams.parts(id)) {
    if (part.mode !== 'computer_mc' || !part.subjectId || !part.questionCount) continue;
    // whole-subject cells by difficulty, each within what the bank holds at the bank multiple
    // (the bank's approved questions per level; every sample question has a topic)
    const { totals } = await banks.summary(part.subjectId);
    const cap = DIFFICULTIES.map((d) => Math.floor((totals[d] ?? 0) / multiple));
    const total = cap.reduce((a, b) => a + b, 0);
    if (total < part.questionCount) continue;
    const counts = cap.map((c) => Math.floor((c * part.questionCount!) / total));
    for (let i = 0, rest = part.questionCount - counts.reduce((a, b) => a + b, 0); rest > 0; i = (i + 1) % 4) {
      if ((counts[i] ?? 0) < (cap[i] ?? 0)) {
        counts[i] = (counts[i] ?? 0) + 1;
        rest--;
      }
    }
    exams.updatePart(actor, part.id, {
      blueprint: {
        cells: DIFFICULTIES.map((d, i) => ({ topicId: null, difficulty: d, count: counts[i] ?? 0 })).filter((c) => c.count > 0),
      },
    });
  }
  await exams.addPosition(actor, id, { code: 'VT01', name: 'Chuyên viên quản lý nhân sự', quota: 3 });
  // the candidate list, as a board clerk would fill the template
  const cols = columnsFor('recruitment');
  const header = cols.map((c) => (c.key === 'position' ? positionHeader('recruitment') : c.header));
  const value = (key: string, i: number): string =>
    ({
      fullName: DEMO_NAMES[i] ?? `Thí sinh ${i + 1}`,
      dateOfBirth: `${String((i % 27) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/${1988 + (i % 10)}`,
      gender: /Thị/.test(DEMO_NAMES[i] ?? '') ? 'Nữ' : 'Nam',
      idNumber: `0930${String(90000000 + i * 7919).padStart(8, '0')}`,
      ethnicity: 'Kinh',
      position: 'VT01',
    })[key] ?? '';
  const sheet = XLSX.utils.aoa_to_sheet([header, ...DEMO_NAMES.map((_, i) => cols.map((c) => value(c.key, i)))]);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, sheet, 'Danh sách thí sinh');
  const file = Buffer.from(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Uint8Array);
  const rep = await candidates.importFile(actor, id, file, false);
  if (!rep.ok) throw new Error(`Demo candidates: ${JSON.stringify(rep.issues.slice(0, 3))}`);
  const room = await exams.addRoom(actor, id, {
    code: 'P01',
    name: 'Phòng máy 01',
    location: 'Tầng 2, Trung tâm Tin học',
    seats: 24,
    seatsPerRow: 6,
  });
  // DEMO_SITTING_OFFSET_MIN: minutes from now until the sitting opens (default 10; 0 = open now)
  const offsetMin = Number(process.env.DEMO_SITTING_OFFSET_MIN ?? 10);
  const start = new Date(Date.now() + offsetMin * 60_000);
  if (offsetMin > 0) start.setSeconds(0, 0);
  // DEMO_PART_MINUTES: a shorter duration for the demo's computer parts (training, tests)
  const partMinutes = Number(process.env.DEMO_PART_MINUTES ?? 0);
  if (partMinutes > 0) {
    for (const p of exams.parts(id)) if (p.mode === 'computer_mc') exams.updatePart(actor, p.id, { durationMin: partMinutes });
  }
  const computerParts = exams
    .parts(id)
    .filter((p) => p.mode === 'computer_mc')
    .map((p) => p.id);
  const sitting = await exams.addSitting(actor, id, {
    name: 'Ca 1 — Vòng 1',
    startsAt: start.toISOString(),
    partIds: computerParts,
  });
  await exams.autoAssign(actor, sitting);
  const inv = await users.findByUsername('giamthi');
  if (inv) await exams.assignInvigilator(actor, sitting, room, inv.id);
  await exams.generatePapers(id, () => {});
  // DEMO_CANDIDATE_PIN: one known PIN for every demo candidate (training rooms, end-to-end tests)
  const pins = await candidates.issuePins(actor, id, false, process.env.DEMO_CANDIDATE_PIN);
  await exams.markReady(actor, id);
  summary.push(
    `Kỳ thi mẫu DEMO (NĐ 138/2020): ${pins.length} thí sinh, phòng P01, ca thi lúc ${start.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })}; đề đã tạo và khóa.`,
  );
  return pins.slice(0, 5);
}
