import type {
  ChoiceOption,
  ExamResultsDto,
  KeyCorrectionReport,
  ResultLookupDto,
  ResultRowDto,
  ScoreEntryIssue,
} from '@exam/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePaper } from '../src/modules/exams/papers.js';
import { createUser, endSitting, json, login, makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

/**
 * Issue 6 integration: six candidates sit the computer part (2 questions out of 60 points, ≥ 50 %
 * passes), markers enter the foreign-language paper and the round-2 written paper (two markers),
 * the ranking has a tie at the quota that the head decides, publication freezes, a candidate looks
 * the result up, and a key correction re-scores exactly the attempts that hold the question.
 */
let t: TestApp;
let board: string;
/** the council chair records the head's decisions (issue 13) */
let chair: string;
const DECISION = { decisionNumber: '07/QĐ-HĐT', decisionDate: '2026-01-05', signer: 'Nguyễn Văn A, Giám đốc Sở' };
let ctx: Awaited<ReturnType<typeof readyExam>>;
let parts: { ktc: number; nn: number; r2: number };
const PIN = '246810';

const db = () => t.db.$client;
const inject = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, cookie = board) => {
  const r = await t.app.inject({ method, url, headers: { cookie }, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: (r.body ? r.json() : null) as T & { error?: { code: string; details?: unknown } } };
};

/** The version ids on a candidate's paper, in order, with each version's correct and wrong option ids. */
function paperOf(candidateId: number) {
  const items = db()
    .prepare('SELECT items FROM papers WHERE candidate_id = ? AND part_id = ?')
    .pluck()
    .get(candidateId, parts.ktc) as string;
  return decodePaper(items).items.map((it) => {
    const opts = JSON.parse(
      db().prepare('SELECT options FROM question_versions WHERE id = ?').pluck().get(Number(it.versionId)) as string,
    ) as ChoiceOption[];
    return {
      versionId: Number(it.versionId),
      right: opts.find((o) => o.correct)?.id ?? '',
      wrong: opts.find((o) => !o.correct)?.id ?? '',
    };
  });
}

const idOf = (n: number) => ctx.pins[n - 1]?.candidateId ?? 0;
const numberOf = (n: number) => ctx.pins[n - 1]?.number ?? '';

/** Candidate n answers `right` of the two questions correctly (or is absent) and submits. */
async function sit(n: number, right: number) {
  const id = idOf(n);
  const a = await t.delivery.start(id, parts.ktc);
  const paper = paperOf(id);
  for (let q = 0; q < 2; q++) {
    const ack = await t.delivery.saveAnswer(id, a.attemptId, {
      questionNo: q + 1,
      choice: [q < right ? (paper[q]?.right ?? '') : (paper[q]?.wrong ?? '')],
      seq: q + 1,
    });
    expect(ack.ok).toBe(true);
  }
  await t.delivery.submit(a.attemptId, 'candidate');
}

const scores = (partId: number, marker: number, rows: [number, number | null, (number | null)?][], reason?: string) =>
  inject<{ saved: number }>('POST', `/api/exams/${ctx.examId}/scores`, {
    partId,
    marker,
    reason,
    rows: rows.map(([n, score, again]) => ({ number: numberOf(n), score, scoreAgain: again === undefined ? score : again })),
  });

const rowOf = (r: ExamResultsDto, n: number): ResultRowDto => {
  const row = r.positions[0]?.rows.find((x) => x.candidateId === idOf(n));
  if (!row) throw new Error(`no row for candidate ${n}`);
  return row;
};

beforeEach(async () => {
  t = await makeApp();
  const s = await seedBank(t);
  board = s.board;
  await createUser(t.db, { username: 'chutich', fullName: 'Chủ tịch Hội đồng', roles: ['board', 'chair'] });
  chair = await login(t.app, 'chutich');
  ctx = await readyExam(t, s, {
    candidates: 6,
    durationMin: 30,
    pin: PIN,
    overrides: { choices: [{ id: 'round2_format', selected: 'written' }] },
  });
  const list = ctx.exams.parts(ctx.examId);
  const code = (c: string) => list.find((p) => p.code === c)?.id ?? 0;
  parts = { ktc: code('r1_ktc'), nn: code('r1_nn'), r2: code('r2_written') };
  expect(parts.r2).toBeGreaterThan(0); // the chosen round-2 format became a part of the exam
  await sit(1, 2);
  await sit(2, 2);
  await sit(3, 1);
  await sit(4, 0);
  await sit(5, 2);
  // candidate 6 is absent
});
afterEach(async () => {
  await t.close();
});

describe('marks of parts not sat on computer', () => {
  it('double entry: a batch with one mismatch, unknown number or out-of-range score saves nothing and reports rows', async () => {
    const bad = await scores(parts.nn, 1, [
      [1, 20],
      [2, 18, 19],
      [3, 31],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('SCORES_INVALID');
    const issues = (bad.body.error?.details as { issues: ScoreEntryIssue[] } | undefined)?.issues ?? [];
    expect(issues.map((i) => [i.row, i.code])).toEqual([
      [2, 'MISMATCH'],
      [3, 'OUT_OF_RANGE'],
    ]);
    const unknown = await inject('POST', `/api/exams/${ctx.examId}/scores`, {
      partId: parts.nn,
      marker: 1,
      rows: [{ number: 'KHONGCO', score: 1, scoreAgain: 1 }],
    });
    expect(unknown.status).toBe(400);
    expect(db().prepare('SELECT COUNT(*) FROM part_marks').pluck().get()).toBe(0);
    // the computer part is not entered by hand
    expect((await scores(parts.ktc, 1, [[1, 30]])).body.error?.code).toBe('PART_NOT_MANUAL');
  });

  it('two markers within the difference average; beyond it the board resolves with a reason; every entry is audited', async () => {
    expect(
      (
        await inject('PUT', `/api/exams/${ctx.examId}/parts/${parts.r2}/marking`, {
          markers: 2,
          maxDifference: 5,
          combine: 'average',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await scores(parts.r2, 1, [
          [1, 85],
          [5, 70],
        ])
      ).status,
    ).toBe(200);
    expect(
      (
        await scores(parts.r2, 2, [
          [1, 87],
          [5, 90],
        ])
      ).status,
    ).toBe(200);
    const marks = await inject<{ candidateId: number; marks: { state: string; final: number | null } }[]>(
      'GET',
      `/api/exams/${ctx.examId}/scores?partId=${parts.r2}`,
    );
    const m = (n: number) => marks.body.find((x) => x.candidateId === idOf(n))?.marks;
    expect(m(1)).toMatchObject({ state: 'done', final: 86 });
    expect(m(5)).toMatchObject({ state: 'needs_resolution', final: null });
    const r = json<ExamResultsDto>(await t.app.inject({ url: `/api/exams/${ctx.examId}/results`, headers: { cookie: board } }));
    expect(r.blockers.map((b) => b.code)).toContain('NEEDS_RESOLUTION');
    // the board's resolution needs a reason and only applies where the markers differ too much
    expect((await scores(parts.r2, 0, [[5, 80]])).body.error?.code).toBe('REASON_REQUIRED');
    expect((await scores(parts.r2, 0, [[1, 80]], 'Hội đồng chấm lại')).body.error?.code).toBe('SCORES_INVALID');
    expect((await scores(parts.r2, 0, [[5, 80]], 'Hội đồng chấm lại')).status).toBe(200);
    expect(
      db()
        .prepare("SELECT COUNT(*) FROM audit_log WHERE action IN ('results.score.enter', 'results.score.resolve')")
        .pluck()
        .get(),
    ).toBe(5);
  });
});

describe('ranking, ties, publication and lookup', () => {
  async function enterAll() {
    // the computer part's sitting ends: the room closes with candidate 6 confirmed absent, and is sealed
    await endSitting(t, ctx, board);
    // foreign language (out of 30, ≥ 50 % passes): candidate 3 fails it
    expect(
      (
        await scores(parts.nn, 1, [
          [1, 20],
          [2, 20],
          [3, 10],
          [4, 20],
          [5, 20],
          [6, null],
        ])
      ).status,
    ).toBe(200);
    // round 2: candidates 1 and 2 tie at 86 for the one seat
    expect(
      (
        await scores(parts.r2, 1, [
          [1, 86],
          [2, 86],
          [5, 70],
          [6, null],
        ])
      ).status,
    ).toBe(200);
    // candidates 3 and 4 did not pass round 1: their round-2 marks are refused, row by row …
    const refused = await scores(parts.r2, 1, [
      [3, 90],
      [4, 95],
    ]);
    expect(refused.status).toBe(400);
    const issues = (refused.body.error?.details as { issues: { code: string; message: string }[] } | undefined)?.issues ?? [];
    expect(issues.map((i) => i.code)).toEqual(['PREVIOUS_ROUND', 'PREVIOUS_ROUND']);
    expect(issues[1]?.message).toMatch(/không đạt phần "Vòng 1.*Kiến thức chung/);
    // … unless the board overrides with a reason, which the audit log keeps
    const overridden = await inject<{ saved: number }>('POST', `/api/exams/${ctx.examId}/scores`, {
      partId: parts.r2,
      marker: 1,
      overridePreviousRound: true,
      reason: 'Hội đồng cho chấm để lưu hồ sơ',
      rows: [
        { number: numberOf(3), score: 90, scoreAgain: 90 },
        { number: numberOf(4), score: 95, scoreAgain: 95 },
      ],
    });
    expect(overridden.status).toBe(200);
  }

  it('ranks within the quota, flags the tie, records the head decision, publishes and freezes; a candidate looks the result up', async () => {
    await enterAll();
    let r = (await inject<ExamResultsDto>('GET', `/api/exams/${ctx.examId}/results`)).body;
    expect(r.positions[0]?.quota).toBe(1);
    expect(rowOf(r, 4)).toMatchObject({ status: 'failed', selected: false }); // 0/2 on the computer part
    expect(rowOf(r, 4).reason).toMatch(/Kiến thức chung/);
    expect(rowOf(r, 3).status).toBe('failed'); // foreign language 10/30
    expect(rowOf(r, 6).status).toBe('failed'); // absent
    expect(rowOf(r, 5)).toMatchObject({ status: 'below_quota', rank: 3 });
    expect(rowOf(r, 1)).toMatchObject({ status: 'tie_pending', rank: 1, total: 86 });
    // computer parts report the correct answers (issue 13: they were null)
    expect(rowOf(r, 3).parts.find((p) => p.partId === parts.ktc)).toMatchObject({ correct: 1, total: 2 });
    expect(rowOf(r, 2)).toMatchObject({ status: 'tie_pending', rank: 1, total: 86 });
    const group = r.positions[0]?.tiedGroups[0];
    expect(group?.candidateIds.sort()).toEqual([idOf(1), idOf(2)].sort());
    expect(group?.decision).toBeNull();

    const blocked = await inject('POST', `/api/exams/${ctx.examId}/results/publish`, {});
    expect(blocked.status).toBe(409);
    expect(blocked.body.error?.code).toBe('RESULTS_BLOCKED');

    const noReason = await inject(
      'POST',
      `/api/exams/${ctx.examId}/results/ties`,
      {
        positionId: r.positions[0]?.positionId,
        candidateIds: [idOf(2), idOf(1)],
        reason: ' ',
        ...DECISION,
      },
      chair,
    );
    expect(noReason.status).toBe(400);
    const decided = await inject<ExamResultsDto>(
      'POST',
      `/api/exams/${ctx.examId}/results/ties`,
      {
        positionId: r.positions[0]?.positionId,
        candidateIds: [idOf(2), idOf(1)],
        reason: 'Thủ trưởng cơ quan quyết định theo Điều 15 khoản 2',
        ...DECISION,
      },
      chair,
    );
    expect(decided.status).toBe(200);
    r = decided.body;
    expect(rowOf(r, 2)).toMatchObject({ selected: true, status: 'selected' });
    expect(rowOf(r, 1)).toMatchObject({ selected: false, status: 'below_quota' });
    expect(r.positions[0]?.tiedGroups[0]?.decision?.reason).toMatch(/Thủ trưởng/);
    expect(r.blockers).toEqual([]);

    const pub = await inject<ExamResultsDto>('POST', `/api/exams/${ctx.examId}/results/publish`, { reason: 'Đã phê duyệt' });
    expect(pub.status).toBe(200);
    expect(pub.body.published?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // frozen: no more marks, ties or rules
    expect((await scores(parts.nn, 1, [[1, 25]])).body.error?.code).toBe('RESULTS_PUBLISHED');
    expect(
      (
        await inject('PUT', `/api/exams/${ctx.examId}/parts/${parts.r2}/marking`, {
          markers: 2,
          maxDifference: 5,
          combine: 'average',
        })
      ).status,
    ).toBe(409);
    expect(db().prepare('SELECT status FROM exams WHERE id = ?').pluck().get(ctx.examId)).toBe('published');

    const look = await t.app.inject({ method: 'POST', url: '/api/results/lookup', payload: { number: numberOf(2), pin: PIN } });
    expect(look.statusCode).toBe(200);
    expect(json<ResultLookupDto>(look)).toMatchObject({ selected: true, total: 86, rank: 1 });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/results/lookup',
      payload: { number: numberOf(2), pin: '000000' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('the board cancels a result (hủy kết quả) with a reason: the candidate drops out and the next one is selected', async () => {
    await enterAll();
    const noReason = await inject('POST', `/api/exams/${ctx.examId}/candidates/${idOf(1)}/cancel-result`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    const r = await inject<ExamResultsDto>('POST', `/api/exams/${ctx.examId}/candidates/${idOf(1)}/cancel-result`, {
      reason: 'Phát hiện thi hộ sau kỳ thi',
    });
    expect(r.status).toBe(200);
    expect(rowOf(r.body, 1)).toMatchObject({ selected: false, sanctions: ['huy_ket_qua'] });
    expect(['sanction', 'failed']).toContain(rowOf(r.body, 1).status);
    // the tie is gone: candidate 2 alone has the best total
    expect(rowOf(r.body, 2)).toMatchObject({ selected: true, status: 'selected' });
    expect(db().prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'results.cancel_result'").pluck().get()).toBe(1);
    const again = await inject('POST', `/api/exams/${ctx.examId}/candidates/${idOf(1)}/cancel-result`, { reason: 'lần hai' });
    expect(again.status).toBe(409);
  });

  it('a key correction re-scores exactly the attempts holding the question, in one transaction, and reopens published results', async () => {
    await enterAll();
    const before = db().prepare('SELECT id, candidate_id AS c, correct, score, passed FROM attempts ORDER BY id').all() as {
      id: number;
      c: number;
      correct: number;
      score: number;
      passed: number;
    }[];
    // the second question of candidate 4's paper (answered wrongly): rekey it to the option 4 chose
    const target = paperOf(idOf(4))[1];
    if (!target) throw new Error('no question');
    const holders = new Set(
      [1, 2, 3, 4, 5].filter((n) => paperOf(idOf(n)).some((q) => q.versionId === target.versionId)).map(idOf),
    );
    const positionId = (await inject<ExamResultsDto>('GET', `/api/exams/${ctx.examId}/results`)).body.positions[0]?.positionId;
    await inject(
      'POST',
      `/api/exams/${ctx.examId}/results/ties`,
      {
        positionId,
        candidateIds: [idOf(1), idOf(2)],
        reason: 'Người đứng đầu quyết định',
        ...DECISION,
      },
      chair,
    );
    expect((await inject('POST', `/api/exams/${ctx.examId}/results/publish`, {})).status).toBe(200);

    const bad = await inject('POST', `/api/exams/${ctx.examId}/key-corrections`, {
      versionId: target.versionId,
      kind: 'rekey',
      correct: ['Z'],
      reason: 'sai',
    });
    expect(bad.status).toBe(400);
    const res = await inject<KeyCorrectionReport>('POST', `/api/exams/${ctx.examId}/key-corrections`, {
      versionId: target.versionId,
      kind: 'rekey',
      correct: [target.wrong],
      reason: 'Đáp án gốc sai theo Luật Tổ chức Quốc hội 2014',
    });
    expect(res.status).toBe(200);
    expect(res.body.affected).toBe(holders.size);
    expect(res.body.unpublished).toBe(true);
    const after = db()
      .prepare('SELECT id, candidate_id AS c, correct, score, passed FROM attempts ORDER BY id')
      .all() as typeof before;
    for (const b of before) {
      const a = after.find((x) => x.id === b.id);
      if (!holders.has(b.c)) expect(a).toEqual(b); // untouched
    }
    // candidate 4 chose the now-correct option
    const c4 = after.find((x) => x.c === idOf(4));
    expect(c4?.correct).toBe(1);
    expect(c4?.score).toBe(30);
    expect(res.body.changed.map((x) => x.attemptId)).toContain(c4?.id);
    expect(res.body.changed.every((x) => holders.has(after.find((a) => a.id === x.attemptId)?.c ?? 0))).toBe(true);
    const r = (await inject<ExamResultsDto>('GET', `/api/exams/${ctx.examId}/results`)).body;
    expect(r.published).toBeNull();
    expect(rowOf(r, 4).parts.find((p) => p.code === 'r1_ktc')?.score).toBe(30);
    expect(db().prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'results.key_correction'").pluck().get()).toBe(1);
    const list = await inject<{ affected: number; changed: number }[]>('GET', `/api/exams/${ctx.examId}/key-corrections`);
    expect(list.body[0]).toMatchObject({ affected: holders.size, changed: res.body.changed.length });

    // voiding a question with "drop" removes it from every holder's total
    const drop = await inject<KeyCorrectionReport>('POST', `/api/exams/${ctx.examId}/key-corrections`, {
      versionId: target.versionId,
      kind: 'void',
      mode: 'drop',
      reason: 'Câu hỏi có hai đáp án đúng',
    });
    expect(drop.status).toBe(200);
    const totals = db().prepare('SELECT candidate_id AS c, total FROM attempts').all() as { c: number; total: number }[];
    for (const x of totals) expect(x.total).toBe(holders.has(x.c) ? 1 : 2);
  });
});

describe('key correction during the sitting', () => {
  it('applies to a paper still being sat when it is submitted', async () => {
    // candidate 6 starts and picks the keyed-wrong option on question 1
    const id = idOf(6);
    const a = await t.delivery.start(id, parts.ktc);
    const q1 = paperOf(id)[0];
    if (!q1) throw new Error('no question');
    expect((await t.delivery.saveAnswer(id, a.attemptId, { questionNo: 1, choice: [q1.wrong], seq: 1 })).ok).toBe(true);
    const res = await inject<KeyCorrectionReport>('POST', `/api/exams/${ctx.examId}/key-corrections`, {
      versionId: q1.versionId,
      kind: 'rekey',
      correct: [q1.wrong],
      reason: 'Sửa đáp án trong ca thi',
    });
    expect(res.status).toBe(200);
    // not re-scored now (still running) …
    expect(res.body.changed.map((c) => c.attemptId)).not.toContain(a.attemptId);
    // … but graded with the corrected key when submitted
    const done = await t.delivery.submit(a.attemptId, 'candidate');
    expect(done.reason).toBe('candidate');
    expect(db().prepare('SELECT correct FROM attempts WHERE id = ?').pluck().get(a.attemptId)).toBe(1);
  });
});
