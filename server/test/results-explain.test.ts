import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExamResultsDto, ResultLookupDto, ResultRowDto } from '@exam/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CandidateService } from '../src/modules/exams/candidates.js';
import { EligibilityService } from '../src/modules/exams/eligibility.js';
import { ExamService } from '../src/modules/exams/service.js';
import { createUser, login, makeApp, seedBank, type TestApp } from './helpers.js';

/**
 * Issue 13: every place explained. A promotion exam (promotion-nd138-2020, to 01.002, quota 2) whose
 * parts are all marked by hand: one top scorer, one who fails a condition part, and five candidates
 * on 70 points at the quota boundary, separated by the profile's chain (woman → ethnic minority →
 * older → longer service → the head decides). Each row's explanation names the deciding criterion
 * with both values; the same text is in the ranking PDF (pdftotext) and in the candidate's lookup.
 */
let t: TestApp;
let board: string;
let chair: string;
let examId: number;
let positionId: number;
const PIN = '135790';
const actor = { id: null, name: 'test' };

interface Person {
  n: number;
  name: string;
  gender: 'male' | 'female';
  ethnicity: string;
  dob: string;
  serviceMonths: number;
  /** KTC, NN, TH (condition parts, out of 60/30/30) and the written part (/100) */
  marks: [number, number, number, number];
}

const PEOPLE: Person[] = [
  {
    n: 1,
    name: 'Trần Văn Cao',
    gender: 'male',
    ethnicity: 'Kinh',
    dob: '1980-01-01',
    serviceMonths: 200,
    marks: [50, 20, 20, 80],
  },
  // the best written mark, but fails the IT condition part
  {
    n: 2,
    name: 'Lê Văn Giỏi',
    gender: 'male',
    ethnicity: 'Kinh',
    dob: '1981-01-01',
    serviceMonths: 200,
    marks: [50, 20, 10, 95],
  },
  // the five on 70: B and C equal on every criterion (the head decides), D Kinh, E and F men
  {
    n: 3,
    name: 'Hoàng Thị Bích',
    gender: 'female',
    ethnicity: 'Tày',
    dob: '1985-05-05',
    serviceMonths: 151,
    marks: [40, 20, 20, 70],
  },
  {
    n: 4,
    name: 'Nông Thị Cúc',
    gender: 'female',
    ethnicity: 'Tày',
    dob: '1985-05-05',
    serviceMonths: 151,
    marks: [40, 20, 20, 70],
  },
  {
    n: 5,
    name: 'Nguyễn Thị Dung',
    gender: 'female',
    ethnicity: 'Việt (Kinh)',
    dob: '1979-01-01',
    serviceMonths: 300,
    marks: [40, 20, 20, 70],
  },
  {
    n: 6,
    name: 'Phạm Văn Em',
    gender: 'male',
    ethnicity: 'Kinh',
    dob: '1980-03-01',
    serviceMonths: 151,
    marks: [40, 20, 20, 70],
  },
  {
    n: 7,
    name: 'Vũ Văn Phúc',
    gender: 'male',
    ethnicity: 'Kinh',
    dob: '1980-03-01',
    serviceMonths: 120,
    marks: [40, 20, 20, 70],
  },
];

const numberOf = (n: number) => `NN${String(n).padStart(4, '0')}`;
const idOf = (n: number) => t.db.$client.prepare('SELECT id FROM candidates WHERE number = ?').pluck().get(numberOf(n)) as number;

const inject = async <T>(cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const r = await t.app.inject({ method, url, headers: { cookie }, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: (r.body ? r.json() : null) as T & { error?: { code: string; message: string } } };
};

const rowOf = (r: ExamResultsDto, n: number): ResultRowDto => {
  const row = r.positions[0]?.rows.find((x) => x.number === numberOf(n));
  if (!row) throw new Error(`no row ${n}`);
  return row;
};
const textOf = (row: ResultRowDto) => row.explanation.lines.map((l) => l.vi).join(' ');
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

beforeEach(async () => {
  t = await makeApp();
  const s = await seedBank(t);
  board = s.board;
  await createUser(t.db, { username: 'chutich', fullName: 'Chủ tịch Hội đồng', roles: ['board', 'chair'] });
  chair = await login(t.app, 'chutich');
  const exams = new ExamService(t.db);
  examId = await exams.create(actor, { code: 'NN', name: 'Thi nâng ngạch chuyên viên chính', profileId: 'promotion-nd138-2020' });
  for (const p of exams.parts(examId)) await exams.updatePart(actor, p.id, { mode: 'written' });
  positionId = await exams.addPosition(actor, examId, { code: 'CVC', name: 'Chuyên viên chính', quota: 2, grade: '01.002' });
  const ins = t.db.$client.prepare(
    `INSERT INTO candidates (exam_id, number, full_name, date_of_birth, gender, ethnicity, id_number, position_id, extra)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const p of PEOPLE)
    ins.run(
      examId,
      numberOf(p.n),
      p.name,
      p.dob,
      p.gender,
      p.ethnicity,
      String(1090000000 + p.n).padStart(12, '0'),
      positionId,
      JSON.stringify({ serviceMonths: p.serviceMonths }),
    );
  await new CandidateService(t.db, exams, new EligibilityService(t.db, exams)).issuePins(actor, examId, false, PIN);
  // marks are entered once the exam is past its set-up (issue 11)
  await exams.markReady(actor, examId);
  const parts = exams.parts(examId);
  const code = (c: string) => parts.find((p) => p.code === c)?.id ?? 0;
  const order = [code('ktc'), code('nn'), code('th'), code('cm_written')];
  for (let i = 0; i < order.length; i++) {
    const r = await inject(board, 'POST', `/api/exams/${examId}/scores`, {
      partId: order[i],
      marker: 1,
      rows: PEOPLE.map((p) => ({ number: numberOf(p.n), score: p.marks[i], scoreAgain: p.marks[i] })),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
});
afterEach(async () => {
  await t.close();
});

describe('explanations of places (five-way tie at the quota boundary)', () => {
  it('names the deciding criterion with both values, the head decision with its record, in the API, the PDF and the lookup', async () => {
    let r = (await inject<ExamResultsDto>(board, 'GET', `/api/exams/${examId}/results`)).body;
    expect(r.blockers.map((b) => b.code)).toEqual(['TIES_PENDING']);
    // the top scorer is placed first; the failed condition part excludes the best written mark
    expect(rowOf(r, 1)).toMatchObject({ rank: 1, selected: true, total: 80 });
    expect(rowOf(r, 2)).toMatchObject({ status: 'failed', rank: null });
    expect(textOf(rowOf(r, 2))).toMatch(/Không đạt/);
    // B and C tie for the last seat; the explanation says they are still equal and wait for the head
    expect(rowOf(r, 3).status).toBe('tie_pending');
    expect(textOf(rowOf(r, 3))).toContain(`Vẫn bằng SBD ${numberOf(4)} sau mọi tiêu chí`);

    // the head's decision: only the chair records it, with number, date and signer
    const body = {
      positionId,
      candidateIds: [idOf(3), idOf(4)],
      reason: 'Thủ trưởng quyết định sau khi xin ý kiến cơ quan quản lý',
      decisionNumber: '15/QĐ-UBND',
      decisionDate: '2026-12-01',
      signer: 'Nguyễn Văn Thủ, Chủ tịch UBND tỉnh',
    };
    const byBoard = await inject(board, 'POST', `/api/exams/${examId}/results/ties`, body);
    expect(byBoard.status).toBe(403);
    const noNumber = await inject(chair, 'POST', `/api/exams/${examId}/results/ties`, { ...body, decisionNumber: '  ' });
    expect(noNumber.body.error?.code).toBe('DECISION_NUMBER_REQUIRED');
    const decided = await inject<ExamResultsDto>(chair, 'POST', `/api/exams/${examId}/results/ties`, body);
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    r = decided.body;
    expect(r.blockers).toEqual([]);
    expect(r.positions[0]?.tiedGroups[0]?.decision?.ref).toEqual({
      decisionNumber: '15/QĐ-UBND',
      decisionDate: '2026-12-01',
      signer: 'Nguyễn Văn Thủ, Chủ tịch UBND tỉnh',
    });
    const audit = t.db.$client
      .prepare("SELECT detail FROM audit_log WHERE action = 'results.tie_decision'")
      .pluck()
      .get() as string;
    expect(JSON.parse(audit)).toMatchObject({ decisionNumber: '15/QĐ-UBND', signer: 'Nguyễn Văn Thủ, Chủ tịch UBND tỉnh' });

    // the places: 1 (80), then the five on 70 in the chain's order
    expect([3, 4, 5, 6, 7].map((n) => rowOf(r, n).rank)).toEqual([2, 3, 4, 5, 6]);
    expect(rowOf(r, 3).selected).toBe(true);
    const tie = rowOf(r, 5).explanation.tie;
    expect(tie?.numbers).toEqual([3, 4, 5, 6, 7].map(numberOf));
    expect(tie?.steps.map((s) => [s.otherNumber, s.direction, s.criterion])).toEqual([
      [numberOf(4), 'below', 'ethnic_minority'],
      [numberOf(6), 'above', 'female'],
    ]);

    const expected: Record<number, string[]> = {
      3: [`Xếp trên SBD ${numberOf(4)}: Thủ trưởng quyết định — Quyết định số 15/QĐ-UBND ngày 01/12/2026`, 'Trúng tuyển'],
      4: [
        `Xếp sau SBD ${numberOf(3)}: Thủ trưởng quyết định — Quyết định số 15/QĐ-UBND ngày 01/12/2026 (người ký: Nguyễn Văn Thủ, Chủ tịch UBND tỉnh).`,
        `Xếp trên SBD ${numberOf(5)} theo tiêu chí "Người dự thi là người dân tộc thiểu số": thí sinh dân tộc Tày (thiểu số), SBD ${numberOf(5)} dân tộc Việt (Kinh) (không phải dân tộc thiểu số).`,
        'Không trúng tuyển: xếp hạng 3, ngoài chỉ tiêu 2',
      ],
      5: [`Xếp trên SBD ${numberOf(6)} theo tiêu chí "Người dự thi là nữ": thí sinh nữ, SBD ${numberOf(6)} nam.`],
      6: [
        `Xếp trên SBD ${numberOf(7)} theo tiêu chí "Người có thời gian công tác dài hơn": thí sinh 12 năm 7 tháng công tác (151 tháng), SBD ${numberOf(7)} 10 năm công tác (120 tháng).`,
      ],
      7: [`Bằng 70 điểm với 4 người khác`, 'Không trúng tuyển: xếp hạng 6, ngoài chỉ tiêu 2'],
    };
    for (const [n, parts] of Object.entries(expected))
      for (const p of parts) expect(textOf(rowOf(r, Number(n))), `row ${n}`).toContain(p);
    // the priority line: no priority points in a promotion exam (NĐ 138/2020 Điều 38)
    expect(rowOf(r, 1).explanation.lines.find((l) => l.kind === 'priority')?.vi).toMatch(/không cộng điểm ưu tiên/);
    // English too
    expect(
      rowOf(r, 5)
        .explanation.lines.map((l) => l.en)
        .join(' '),
    ).toContain(`Placed above ${numberOf(6)} by "Candidate is a woman": this candidate woman, ${numberOf(6)} man.`);

    // publish; the ranking PDF carries the same sentences
    expect((await inject(board, 'POST', `/api/exams/${examId}/results/publish`, {})).status).toBe(200);
    const pdf = await t.app.inject({ url: `/api/exams/${examId}/results/ranking.pdf`, headers: { cookie: board } });
    expect(pdf.statusCode).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'explain-pdf-'));
    try {
      const file = join(dir, 'ranking.pdf');
      writeFileSync(file, pdf.rawPayload);
      const text = flat(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
      expect(text).toContain('Giải thích thứ hạng');
      // promotion wording; only the parts of this grade; no priority column of zeros (issue 13)
      expect(text).toContain('Ngạch dự thi: Chuyên viên chính (CVC)');
      expect(text).not.toContain('Điểm ưu tiên');
      expect(text).not.toContain('Không áp dụng');
      expect(text).not.toContain('Viết đề án');
      for (const n of [1, 3, 7]) expect(text).toContain(numberOf(n)); // numbers are never split
      for (const n of [4, 5, 6]) for (const p of expected[n] ?? []) expect(text, `pdf row ${n}`).toContain(flat(p));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // the notices carry it too
    const notices = await t.app.inject({ url: `/api/exams/${examId}/results/notices.pdf`, headers: { cookie: board } });
    expect(notices.statusCode).toBe(200);

    // the candidate's lookup: the same lines
    const look = await t.app.inject({
      method: 'POST',
      url: '/api/results/lookup',
      payload: { number: numberOf(6), pin: PIN },
    });
    expect(look.statusCode).toBe(200);
    const mine = look.json() as ResultLookupDto;
    expect(mine.explanation).toEqual(rowOf(r, 6).explanation);
    expect(mine.explanation.lines.map((l) => l.vi).join(' ')).toContain(expected[6]?.[0] ?? '');
  });
});

describe('a mark of 0', () => {
  it('is a mark, not an absence (the validator used to coerce 0 to null)', async () => {
    const partId = new ExamService(t.db).parts(examId).find((p) => p.code === 'cm_written')?.id ?? 0;
    const r = await inject(board, 'POST', `/api/exams/${examId}/scores`, {
      partId,
      marker: 1,
      rows: [{ number: numberOf(7), score: 0, scoreAgain: 0 }],
    });
    expect(r.status).toBe(200);
    const marks = await inject<{ number: string; marks: { state: string; final: number | null } }[]>(
      board,
      'GET',
      `/api/exams/${examId}/scores?partId=${partId}`,
    );
    expect(marks.body.find((m) => m.number === numberOf(7))?.marks).toMatchObject({ state: 'done', final: 0 });
  });
});
