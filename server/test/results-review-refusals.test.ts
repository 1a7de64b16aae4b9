import type { ChoiceOption, ExamResultsDto, ReviewSettingsDto } from '@exam/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePaper } from '../src/modules/exams/papers.js';
import { vnDate } from '../src/modules/results/review.js';
import { endSitting, makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

/**
 * Issue 13, the refusals not covered elsewhere, through the real app: a phúc khảo request on a
 * computer part is refused with the reason the profile gives (NĐ 138/2020: round-1 computer results
 * are not reviewed), and a position can no longer be edited once papers exist.
 */
let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
const PIN = '314159';

beforeEach(async () => {
  t = await makeApp();
  s = await seedBank(t);
});
afterEach(async () => {
  await t.close();
});

const call = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, cookie = s.board) => {
  const r = await t.app.inject({ method, url, headers: { cookie }, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: (r.body ? r.json() : null) as T & { error?: { code: string; message: string } } };
};

describe('refusals', () => {
  it('a position is not edited once papers exist', async () => {
    const ctx = await readyExam(t, s, { candidates: 1, pin: PIN });
    const positionId = t.db.$client.prepare('SELECT id FROM exam_positions WHERE exam_id = ?').pluck().get(ctx.examId);
    const before = t.db.$client.prepare('SELECT name, quota FROM exam_positions WHERE id = ?').get(positionId);
    const r = await call('PUT', `/api/exams/${ctx.examId}/positions/${positionId}`, { quota: 5, name: 'Đổi tên' });
    expect(r.status).toBe(409);
    expect(r.body.error?.code).toBe('PAPERS_EXIST');
    expect(r.body.error?.message).toMatch(/Đã tạo đề cho thí sinh nên không sửa được/);
    expect(t.db.$client.prepare('SELECT name, quota FROM exam_positions WHERE id = ?').get(positionId)).toEqual(before);
    expect(t.db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'exam.position.update'").pluck().get()).toBe(0);
  });

  it('phúc khảo on a computer part is refused, saying the profile excludes it', async () => {
    const ctx = await readyExam(t, s, {
      candidates: 2,
      pin: PIN,
      overrides: { choices: [{ id: 'round2_format', selected: 'written' }] },
    });
    const db = t.db.$client;
    // both candidates answer both questions correctly
    for (const p of ctx.pins) {
      const a = await t.delivery.start(p.candidateId, ctx.partId);
      const items = db
        .prepare('SELECT items FROM papers WHERE candidate_id = ? AND part_id = ?')
        .pluck()
        .get(p.candidateId, ctx.partId);
      const paper = decodePaper(String(items)).items;
      for (const [i, it] of paper.entries()) {
        const opts = JSON.parse(
          String(db.prepare('SELECT options FROM question_versions WHERE id = ?').pluck().get(Number(it.versionId))),
        ) as ChoiceOption[];
        const right = opts.find((o) => o.correct)?.id ?? '';
        expect(
          (await t.delivery.saveAnswer(p.candidateId, a.attemptId, { questionNo: i + 1, choice: [right], seq: i + 1 })).ok,
        ).toBe(true);
      }
      await t.delivery.submit(a.attemptId, 'candidate');
    }
    await endSitting(t, ctx, s.board);
    // the parts marked by hand
    for (const part of ctx.exams.parts(ctx.examId).filter((p) => p.mode !== 'computer_mc')) {
      const r = await call('POST', `/api/exams/${ctx.examId}/scores`, {
        partId: part.id,
        marker: 1,
        rows: ctx.pins.map((p, i) => ({ number: p.number, score: 20 + i, scoreAgain: 20 + i })),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const pub = await call<ExamResultsDto>('POST', `/api/exams/${ctx.examId}/results/publish`, { reason: 'Quyết định 1' });
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    const settings = await call<ReviewSettingsDto>('PUT', `/api/exams/${ctx.examId}/reviews/settings`, {
      windowDays: 15,
      markRule: 'review',
    });
    expect(settings.body.computerParts).toMatch(/NĐ 138\/2020/);
    const number = ctx.pins[0]?.number ?? '';
    const r = await call('POST', `/api/exams/${ctx.examId}/reviews`, {
      number,
      partId: ctx.partId,
      requestedOn: vnDate(pub.body.published?.publishedAt ?? ''),
    });
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('REVIEW_COMPUTER_PART');
    expect(r.body.error?.message).toBe(
      'Bài thi trên máy tính không được phúc khảo: kết quả vòng 1 thi trên máy được thông báo ngay sau khi thi và không phúc khảo (NĐ 138/2020 Điều 14–15).',
    );
    expect(t.db.$client.prepare('SELECT COUNT(*) FROM review_requests').pluck().get()).toBe(0);
    expect(t.db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'results.review.request'").pluck().get()).toBe(0);
  });
});
