import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BankFile, Role } from '@exam/shared';
import type { Db } from './db/connection.js';
import { BankService } from './modules/banks/service.js';
import { UserService } from './modules/users/service.js';
import type { AuthUser } from './plugins/auth.js';

export const QUESTION_BANKS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../question-banks');

export const DEMO_PASSWORD = 'Demo@2026';
const DEMO_ACCOUNTS: { username: string; fullName: string; roles: Role[]; allSubjects: boolean; label: string }[] = [
  { username: 'hoidong', fullName: 'Nguyễn Văn Hội', roles: ['board'], allSubjects: false, label: 'Hội đồng thi' },
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

/**
 * Loads the sample banks through the ordinary import (as the board account) and creates the demo
 * accounts. Running it twice changes nothing.
 */
export async function loadDemo(
  db: Db,
): Promise<{ summary: string[]; accounts: { username: string; password: string; role: string }[] }> {
  const users = new UserService(db);
  const banks = new BankService(db);
  const system = { id: null, name: 'demo' };
  const summary: string[] = [];

  for (const a of DEMO_ACCOUNTS) {
    if (!users.findByUsername(a.username)) {
      await users.create(system, { username: a.username, fullName: a.fullName, password: DEMO_PASSWORD, roles: a.roles });
    }
  }
  const board = users.findByUsername('hoidong');
  if (!board) throw new Error('demo board account missing');
  const boardUser: AuthUser = {
    id: board.id,
    username: board.username,
    fullName: board.fullName,
    roles: ['board'],
    subjectIds: [],
  };

  for (const file of sampleBankFiles()) {
    const bank = JSON.parse(readFileSync(file, 'utf8')) as BankFile;
    let subject = banks.listSubjects(boardUser).find((s) => s.code === bank.subject.code);
    if (!subject) subject = banks.createSubject(system, bank.subject);
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
  const allSubjects = banks.listSubjects(boardUser).map((s) => s.id);
  for (const a of DEMO_ACCOUNTS.filter((x) => x.allSubjects)) {
    const u = users.findByUsername(a.username);
    if (u) await users.update(system, u.id, { subjectIds: allSubjects });
  }
  return {
    summary,
    accounts: DEMO_ACCOUNTS.map((a) => ({ username: a.username, password: DEMO_PASSWORD, role: a.label })),
  };
}
