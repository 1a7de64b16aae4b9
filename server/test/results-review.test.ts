import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  ExamResultsDto,
  PublicationVersionDto,
  RepublicationReportDto,
  ResultLookupDto,
  ReviewRequestDto,
  ReviewSettingsDto,
} from '@exam/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CandidateService } from '../src/modules/exams/candidates.js';
import { EligibilityService } from '../src/modules/exams/eligibility.js';
import { ExamService } from '../src/modules/exams/service.js';
import { vnDate } from '../src/modules/results/review.js';
import { createUser, makeApp, seedBank, type TestApp } from './helpers.js';

/**
 * Issue 13: phúc khảo. A promotion exam (quota 1, parts marked by hand) is published; candidate 2
 * asks for a review of the written paper; two reviewers who did not mark it give 80 and 82; the
 * review mark (81) stands; the results are republished as version 2 with a before/after report and
 * both SHA-256s; the notice PDF says so; a late request is refused; the audit log has every step.
 */
let t: TestApp;
let board: string;
let examId: number;
let written: number;
let ktc: number;
let reviewers: number[];
const PIN = '975310';
const actor = { id: null, name: 'test' };
const numberOf = (n: number) => `PK${String(n).padStart(4, '0')}`;

const inject = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
  const r = await t.app.inject({ method, url, headers: { cookie: board }, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: (r.body ? r.json() : null) as T & { error?: { code: string; message: string } } };
};

beforeEach(async () => {
  t = await makeApp();
  const s = await seedBank(t);
  board = s.board;
  reviewers = [
    await createUser(t.db, { username: 'phuckhao1', fullName: 'Người chấm phúc khảo Một', roles: ['board'] }),
    await createUser(t.db, { username: 'phuckhao2', fullName: 'Người chấm phúc khảo Hai', roles: ['board'] }),
  ];
  const exams = new ExamService(t.db);
  examId = await exams.create(actor, { code: 'PK', name: 'Thi nâng ngạch (phúc khảo)', profileId: 'promotion-nd138-2020' });
  for (const p of exams.parts(examId)) await exams.updatePart(actor, p.id, { mode: 'written' });
  const pos = await exams.addPosition(actor, examId, { code: 'CVC', name: 'Chuyên viên chính', quota: 1, grade: '01.002' });
  const ins = t.db.$client.prepare(
    `INSERT INTO candidates (exam_id, number, full_name, date_of_birth, gender, ethnicity, id_number, position_id)
     VALUES (?, ?, ?, '1980-01-01', 'male', 'Kinh', ?, ?)`,
  );
  for (let n = 1; n <= 3; n++) ins.run(examId, numberOf(n), `Thí sinh ${n}`, String(1080000000 + n).padStart(12, '0'), pos);
  await new CandidateService(t.db, exams, new EligibilityService(t.db, exams)).issuePins(actor, examId, false, PIN);
  // marks are entered once the exam is past its set-up (issue 11)
  await exams.markReady(actor, examId);
  const parts = exams.parts(examId);
  const id = (c: string) => parts.find((p) => p.code === c)?.id ?? 0;
  written = id('cm_written');
  ktc = id('ktc');
  const marks: [number, number[]][] = [
    [id('ktc'), [40, 40, 40]],
    [id('nn'), [20, 20, 20]],
    [id('th'), [20, 20, 20]],
    [written, [75, 70, 60]],
  ];
  for (const [partId, scores] of marks) {
    const r = await inject('POST', `/api/exams/${examId}/scores`, {
      partId,
      marker: 1,
      rows: scores.map((score, i) => ({ number: numberOf(i + 1), score, scoreAgain: score })),
    });
    expect(r.status).toBe(200);
  }
  expect((await inject('POST', `/api/exams/${examId}/results/publish`, { reason: 'Quyết định 1' })).status).toBe(200);
});
afterEach(async () => {
  await t.close();
});

const request = (n: number, requestedOn: string, partId = written) =>
  inject<ReviewRequestDto>('POST', `/api/exams/${examId}/reviews`, { number: numberOf(n), partId, requestedOn });

describe('phúc khảo', () => {
  it('request → two reviewers → a changed written mark → republished with a report, both SHA-256s, notices and an audit trail', async () => {
    const v1 = (await inject<ExamResultsDto>('GET', `/api/exams/${examId}/results`)).body;
    const sha1 = v1.published?.sha256 ?? '';
    expect(v1.positions[0]?.rows.find((r) => r.number === numberOf(1))?.selected).toBe(true);
    const publishedOn = vnDate(v1.published?.publishedAt ?? '');

    // no window set yet: the law gives none, the board must set it
    expect((await request(2, publishedOn)).body.error?.code).toBe('REVIEW_SETTINGS_REQUIRED');
    const set = await inject<ReviewSettingsDto>('PUT', `/api/exams/${examId}/reviews/settings`, {
      windowDays: 15,
      markRule: 'review',
    });
    expect(set.status).toBe(200);
    expect(set.body.note).toMatch(/NOT FOUND/);
    expect(set.body.computerParts).toMatch(/trên máy tính/);

    const late = new Date(`${publishedOn}T00:00:00Z`);
    late.setUTCDate(late.getUTCDate() + 16);
    const lateDay = late.toISOString().slice(0, 10);
    const refused = await request(2, lateDay);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('REVIEW_LATE');
    expect(refused.body.error?.message).toMatch(/đã quá thời hạn 15 ngày kể từ ngày công bố kết quả/);

    const req = await request(2, publishedOn);
    expect(req.status, JSON.stringify(req.body)).toBe(201);
    expect(req.body).toMatchObject({ status: 'open', original: 70, number: numberOf(2) });
    expect((await request(2, publishedOn)).body.error?.code).toBe('REVIEW_EXISTS');
    // another candidate's request on another part stays open (not republished)
    expect((await request(3, publishedOn, ktc)).status).toBe(201);

    // the reviewers: two different people, not the one who entered the marks
    const boardId = t.db.$client.prepare("SELECT id FROM users WHERE username = 'board'").pluck().get() as number;
    const assignUrl = `/api/exams/${examId}/reviews/${req.body.id}/reviewers`;
    const options = (await inject<{ id: number; markedPaper: boolean }[]>('GET', assignUrl)).body;
    expect(options.find((o) => o.id === boardId)?.markedPaper).toBe(true);
    expect(options.filter((o) => reviewers.includes(o.id)).map((o) => o.markedPaper)).toEqual([false, false]);
    expect((await inject('POST', assignUrl, { reviewer1: boardId, reviewer2: reviewers[1] })).body.error?.code).toBe(
      'REVIEWER_WAS_MARKER',
    );
    expect((await inject('POST', assignUrl, { reviewer1: reviewers[0], reviewer2: reviewers[0] })).body.error?.code).toBe(
      'SAME_REVIEWER',
    );
    expect((await inject('POST', assignUrl, { reviewer1: reviewers[0], reviewer2: reviewers[1] })).status).toBe(200);

    // marks typed twice
    const markUrl = `/api/exams/${examId}/reviews/${req.body.id}/marks`;
    expect((await inject('POST', markUrl, { reviewer: 1, score: 80, scoreAgain: 8 })).body.error?.code).toBe('MISMATCH');
    expect((await inject('POST', markUrl, { reviewer: 1, score: 80, scoreAgain: 80 })).status).toBe(200);
    const marked = await inject<ReviewRequestDto>('POST', markUrl, { reviewer: 2, score: 82, scoreAgain: 82 });
    expect(marked.body).toMatchObject({ status: 'marked', review: 81, final: 81, marks: { reviewer1: 80, reviewer2: 82 } });

    // republish: version 2, both digests, the before/after report
    expect((await inject('POST', `/api/exams/${examId}/reviews/republish`, { reason: ' ' })).body.error?.code).toBe(
      'REASON_REQUIRED',
    );
    const rep = await inject<RepublicationReportDto>('POST', `/api/exams/${examId}/reviews/republish`, {
      reason: 'Quyết định công nhận kết quả phúc khảo số 3/QĐ-HĐT',
    });
    expect(rep.status, JSON.stringify(rep.body)).toBe(200);
    expect(rep.body).toMatchObject({ version: 2, previousSha256: sha1, requestIds: [req.body.id] });
    expect(rep.body.sha256).not.toBe(sha1);
    expect(rep.body.changes.map((c) => [c.number, c.before.total, c.after.total, c.before.selected, c.after.selected])).toEqual([
      [numberOf(1), 75, 75, true, false],
      [numberOf(2), 70, 81, false, true],
    ]);
    const v2 = (await inject<ExamResultsDto>('GET', `/api/exams/${examId}/results`)).body;
    expect(v2.published?.sha256).toBe(rep.body.sha256);
    const pubs = (await inject<PublicationVersionDto[]>('GET', `/api/exams/${examId}/results/publications`)).body;
    expect(pubs.map((p) => [p.version, p.sha256, p.previousSha256, p.revokedAt === null])).toEqual([
      [2, rep.body.sha256, sha1, true],
      [1, sha1, null, false],
    ]);
    // each digest is the SHA-256 of the snapshot kept for its version
    const snaps = t.db.$client
      .prepare('SELECT sha256, snapshot FROM result_publications WHERE exam_id = ? ORDER BY id')
      .all(examId) as { sha256: string; snapshot: string }[];
    for (const sn of snaps) expect(createHash('sha256').update(sn.snapshot).digest('hex')).toBe(sn.sha256);

    // the candidate sees the new result
    const look = await t.app.inject({ method: 'POST', url: '/api/results/lookup', payload: { number: numberOf(2), pin: PIN } });
    expect((look.json() as ResultLookupDto).selected).toBe(true);

    // the notice of the outcome
    const notice = await t.app.inject({
      url: `/api/exams/${examId}/reviews/${req.body.id}/notice.pdf`,
      headers: { cookie: board },
    });
    expect(notice.statusCode).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'review-notice-'));
    try {
      const file = join(dir, 'n.pdf');
      writeFileSync(file, notice.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('THÔNG BÁO KẾT QUẢ PHÚC KHẢO');
      expect(text).toContain(numberOf(2));
      expect(text).toMatch(/70 80 82 81 81/);
      expect(text).toContain('Tổng điểm 70; xếp hạng 2; Không trúng tuyển (ngoài chỉ tiêu)');
      expect(text).toContain('Tổng điểm 81; xếp hạng 1; Trúng tuyển');
      expect(text).toContain(`SHA-256 bản trước: ${sha1}`);
      expect(text).toContain(`SHA-256 bản mới: ${rep.body.sha256}`);
      expect(text).not.toContain('Người chấm phúc khảo Một'); // reviewers' names stay with the board
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // the other request is not marked: no notice yet
    const pending = (await inject<ReviewRequestDto[]>('GET', `/api/exams/${examId}/reviews`)).body.find(
      (x) => x.number === numberOf(3),
    );
    expect(pending?.status).toBe('open');
    const noNotice = await inject('GET', `/api/exams/${examId}/reviews/${pending?.id}/notice.pdf`);
    expect(noNotice.body.error?.code).toBe('REVIEW_NOT_PUBLISHED');

    // the audit log holds every step, in order
    const actions = t.db.$client
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'results.review.%' ORDER BY id")
      .pluck()
      .all() as string[];
    expect(actions).toEqual([
      'results.review.settings',
      'results.review.request',
      'results.review.request',
      'results.review.assign',
      'results.review.mark',
      'results.review.mark',
      'results.review.republish',
    ]);
    const last = JSON.parse(
      t.db.$client.prepare("SELECT detail FROM audit_log WHERE action = 'results.review.republish'").pluck().get() as string,
    );
    expect(last).toMatchObject({ previousSha256: sha1, sha256: rep.body.sha256, version: 2 });
  });
});
