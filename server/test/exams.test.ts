import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePaper, encodePaper } from '../src/modules/exams/papers.js';
import { makeApp, seedBank, singleQuestion, type TestApp } from './helpers.js';

let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
beforeEach(async () => {
  t = await makeApp();
  s = await seedBank(t);
});
afterEach(async () => {
  await t.close();
});

/** Approves `n` questions in subject A at the given difficulty; every 3rd has a pinned last option. */
async function approved(n: number, difficulty: 'nhan_biet' | 'thong_hieu' = 'nhan_biet') {
  for (let i = 0; i < n; i++) {
    const body = singleQuestion(s.topicA, `Câu ${difficulty} số ${i}?`);
    body.difficulty = difficulty;
    body.options = [
      { text: `A${i}`, correct: true },
      { text: `B${i}`, correct: false },
      { text: `C${i}`, correct: false },
      { text: 'Tất cả các phương án trên', correct: false, pinned: i % 3 === 0 },
    ];
    const q = (
      await t.app.inject({
        method: 'POST',
        url: `/api/subjects/${s.subjectA}/questions`,
        headers: { cookie: s.authorA },
        payload: body,
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
}

async function exam(profileId = 'nd138-2020') {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/exams',
    headers: { cookie: s.board },
    payload: { code: 'T1', name: 'Kỳ thi thử', profileId, organisingBody: 'Sở Nội vụ' },
  });
  expect(r.statusCode, r.body).toBe(201);
  const id = r.json().id as number;
  const detail = (await t.app.inject({ url: `/api/exams/${id}`, headers: { cookie: s.board } })).json();
  return { id, detail };
}

function addCandidates(examId: number, n: number) {
  const sqlite = t.db.$client;
  const pos = Number(
    sqlite.prepare("INSERT INTO exam_positions (exam_id, code, name, quota) VALUES (?, 'VT1', 'Chuyên viên', 5)").run(examId)
      .lastInsertRowid,
  );
  const ins = sqlite.prepare(
    "INSERT INTO candidates (exam_id, number, full_name, date_of_birth, gender, id_number, position_id) VALUES (?, ?, ?, '1995-01-01', 'female', ?, ?)",
  );
  return Array.from({ length: n }, (_, i) =>
    Number(ins.run(examId, `T1${String(i + 1).padStart(4, '0')}`, `Nguyễn Thị ${i}`, `0010${i}`, pos).lastInsertRowid),
  );
}

async function waitJob(jobId: number) {
  for (let i = 0; i < 200; i++) {
    const j = (await t.app.inject({ url: `/api/jobs/${jobId}`, headers: { cookie: s.board } })).json();
    if (j.status !== 'running') return j;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('job did not finish');
}

describe('exams and papers', () => {
  it('creates an exam from a profile and shows what the board overrode', async () => {
    const { id, detail } = await exam();
    const ktc = detail.parts.find((p: { code: string }) => p.code.includes('ktc'));
    expect(ktc).toMatchObject({ questionCount: 60, durationMin: 60, mode: 'computer_mc' });
    expect(detail.overridden).toEqual([]);
    const r = await t.app.inject({
      method: 'PUT',
      url: `/api/exam-parts/${ktc.id}`,
      headers: { cookie: s.board },
      payload: { durationMin: 75 },
    });
    expect(r.statusCode, r.body).toBe(200);
    const after = (await t.app.inject({ url: `/api/exams/${id}`, headers: { cookie: s.board } })).json();
    expect(after.overridden).toEqual([expect.objectContaining({ old: 60, new: 75 })]);
    expect(JSON.stringify(after)).not.toContain(t.db.$client.prepare('SELECT secret FROM exams').pluck().get() as string);
  });

  it('a blueprint shortfall blocks readiness with a precise list', async () => {
    await approved(10, 'nhan_biet');
    await approved(4, 'thong_hieu');
    const { id, detail } = await exam();
    const ktc = detail.parts.find((p: { code: string }) => p.code.includes('ktc'));
    await t.app.inject({
      method: 'PUT',
      url: `/api/exam-parts/${ktc.id}`,
      headers: { cookie: s.board },
      payload: {
        subjectId: s.subjectA,
        questionCount: 5,
        blueprint: {
          cells: [
            { topicId: s.topicA, difficulty: 'nhan_biet', count: 3 },
            { topicId: s.topicA, difficulty: 'thong_hieu', count: 2 },
          ],
        },
      },
    });
    const check = (await t.app.inject({ url: `/api/exams/${id}/blueprint-check`, headers: { cookie: s.board } })).json();
    expect(check.multiple).toBe(3);
    const part = check.parts.find((p: { partId: number }) => p.partId === ktc.id);
    expect(part.shortfalls).toHaveLength(1);
    expect(part.shortfalls[0]).toMatchObject({ needed: 6, available: 4 });
    expect(part.shortfalls[0].message).toContain('Thông hiểu');
    const ready = await t.app.inject({ method: 'POST', url: `/api/exams/${id}/ready`, headers: { cookie: s.board } });
    expect(ready.statusCode).toBe(409);
    expect(ready.json().error.code).toBe('BLUEPRINT_SHORTFALL');
    expect(ready.json().error.message).toContain('cần 6 câu');
  });

  it('papers are deterministic, match the blueprint, keep pinned options, differ per candidate, and verify', async () => {
    await approved(12, 'nhan_biet');
    await approved(9, 'thong_hieu');
    const { id, detail } = await exam();
    // keep only the KTC part on computer for this test
    for (const p of detail.parts as { id: number; code: string }[]) {
      if (!p.code.includes('ktc'))
        await t.app.inject({
          method: 'PUT',
          url: `/api/exam-parts/${p.id}`,
          headers: { cookie: s.board },
          payload: { mode: 'written' },
        });
    }
    const ktc = detail.parts.find((p: { code: string }) => p.code.includes('ktc'));
    await t.app.inject({
      method: 'PUT',
      url: `/api/exam-parts/${ktc.id}`,
      headers: { cookie: s.board },
      payload: {
        subjectId: s.subjectA,
        questionCount: 7,
        blueprint: {
          cells: [
            { topicId: null, difficulty: 'nhan_biet', count: 4 },
            { topicId: s.topicA, difficulty: 'thong_hieu', count: 3 },
          ],
        },
      },
    });
    const cands = addCandidates(id, 12);
    // two rooms and a sitting, seats assigned
    const room = async (code: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/exams/${id}/rooms`,
          headers: { cookie: s.board },
          payload: { code, name: `Phòng ${code}`, seats: 8, seatsPerRow: 4 },
        })
      ).json().id;
    await room('P1');
    await room('P2');
    const sitting = (
      await t.app.inject({
        method: 'POST',
        url: `/api/exams/${id}/sittings`,
        headers: { cookie: s.board },
        payload: { name: 'Ca 1', startsAt: '2026-12-20T01:00:00.000Z', partIds: [ktc.id] },
      })
    ).json().id;
    const assign = (
      await t.app.inject({ method: 'POST', url: `/api/sittings/${sitting}/assign`, headers: { cookie: s.board } })
    ).json();
    expect(assign).toEqual({ assigned: 12, perRoom: { P1: 6, P2: 6 } });

    const gen = async () => {
      const r = await t.app.inject({ method: 'POST', url: `/api/exams/${id}/papers`, headers: { cookie: s.board } });
      expect(r.statusCode, r.body).toBe(202);
      const job = await waitJob(r.json().jobId);
      expect(job.status, job.message).toBe('done');
      expect(job.done).toBe(job.total);
      return job;
    };
    const job = await gen();
    expect(job.result[0]).toMatchObject({ papers: 12 });
    const read = () =>
      t.db.$client
        .prepare('SELECT candidate_id AS c, items, digest FROM papers WHERE part_id = ? ORDER BY candidate_id')
        .all(ktc.id) as {
        c: number;
        items: string;
        digest: string;
      }[];
    const first = read();
    await gen();
    const second = read();
    expect(second).toEqual(first); // byte-identical on regeneration
    const p0 = decodePaper(first[0]?.items ?? '[]');
    const p1 = decodePaper(first[1]?.items ?? '[]');
    expect(first[0]?.items).not.toBe(first[1]?.items);
    expect(p0.items).toHaveLength(7);
    expect(new Set(p0.items.map((i) => i.questionId)).size).toBe(7);
    // blueprint counts exactly
    const diffOf = t.db.$client.prepare('SELECT difficulty FROM question_versions WHERE id = ?').pluck();
    for (const p of [p0, p1]) {
      const d = p.items.map((i) => diffOf.get(i.versionId));
      expect(d.filter((x) => x === 'nhan_biet')).toHaveLength(4);
      expect(d.filter((x) => x === 'thong_hieu')).toHaveLength(3);
    }
    // pinned options stay at their place (the last one)
    const optsOf = t.db.$client.prepare('SELECT options FROM question_versions WHERE id = ?').pluck();
    let pinnedSeen = 0;
    for (const row of first) {
      for (const item of decodePaper(row.items).items) {
        const opts = JSON.parse(optsOf.get(item.versionId) as string) as { id: string; pinned?: boolean }[];
        opts.forEach((o, idx) => {
          if (o.pinned) {
            pinnedSeen++;
            expect(item.optionOrder[idx]).toBe(o.id);
          }
        });
      }
    }
    expect(pinnedSeen).toBeGreaterThan(0);
    // the auditor's regeneration matches what was stored
    const v = (
      await t.app.inject({
        url: `/api/exams/${id}/papers/verify?partId=${ktc.id}&candidateId=${cands[3]}`,
        headers: { cookie: s.board },
      })
    ).json();
    expect(v.match).toBe(true);
    // tampering with a stored paper is detected
    const stored = t.db.$client.prepare('SELECT items FROM papers WHERE candidate_id = ?').pluck().get(cands[3]) as string;
    const forged = decodePaper(stored);
    const firstItem = forged.items[0];
    if (firstItem) firstItem.optionOrder.reverse();
    t.db.$client.prepare('UPDATE papers SET items = ? WHERE candidate_id = ?').run(encodePaper(forged), cands[3]);
    const v2 = (
      await t.app.inject({
        url: `/api/exams/${id}/papers/verify?partId=${ktc.id}&candidateId=${cands[3]}`,
        headers: { cookie: s.board },
      })
    ).json();
    expect(v2.match).toBe(false);
  });
});
