import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportReport, QuestionDto } from '@exam/shared';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser, json, login, makeApp, seedBank, singleQuestion, type TestApp } from './helpers.js';

let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
beforeEach(async () => {
  t = await makeApp();
  s = await seedBank(t);
});
afterEach(async () => {
  await t.close();
});

const count = (table: string) => (t.db.$client.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

async function create(cookie: string, subjectId: number, body = singleQuestion(s.topicA)) {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/subjects/${subjectId}/questions`,
    headers: { cookie },
    payload: body,
  });
  expect(r.statusCode, r.body).toBe(201);
  return json<QuestionDto>(r);
}
async function move(cookie: string, id: number, to: string, comment?: string) {
  return t.app.inject({ method: 'POST', url: `/api/questions/${id}/transition`, headers: { cookie }, payload: { to, comment } });
}

describe('access rules per role and subject', () => {
  it('an author of subject A gets 403 reading subject B', async () => {
    const r = await t.app.inject({ url: `/api/subjects/${s.subjectB}/questions`, headers: { cookie: s.authorA } });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('FORBIDDEN_SUBJECT');
    expect(r.json().error.message).toMatch(/không được phân công môn thi/);
    const q = await create(s.authorB, s.subjectB, singleQuestion(s.topicB, 'Thiết bị nào là thiết bị nhập?'));
    const r2 = await t.app.inject({ url: `/api/questions/${q.id}`, headers: { cookie: s.authorA } });
    expect(r2.statusCode).toBe(403);
    const list = json<{ code: string }[]>(await t.app.inject({ url: '/api/subjects', headers: { cookie: s.authorA } }));
    expect(list.map((x) => x.code)).toEqual(['KTC']);
    const all = json<{ code: string }[]>(await t.app.inject({ url: '/api/subjects', headers: { cookie: s.board } }));
    expect(all.map((x) => x.code).sort()).toEqual(['KTC', 'TH']);
  });

  it('a reviewer cannot write questions, an invigilator cannot see banks', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/subjects/${s.subjectA}/questions`,
      headers: { cookie: s.reviewerA },
      payload: singleQuestion(s.topicA),
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('FORBIDDEN_ROLE');
  });
});

describe('workflow and versioning', () => {
  it('draft → submitted → approved, and the author cannot approve their own question', async () => {
    const q = await create(s.authrev, s.subjectA);
    expect(q.status).toBe('draft');
    expect((await move(s.authrev, q.id, 'submitted')).json().status).toBe('submitted');
    const self = await move(s.authrev, q.id, 'approved');
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('SELF_APPROVAL');
    const bad = await move(s.reviewerA, q.id, 'retired' as string);
    expect(bad.statusCode).toBe(200); // reviewers may retire
    const q2 = await create(s.authorA, s.subjectA);
    await move(s.authorA, q2.id, 'submitted');
    const noReason = await move(s.reviewerA, q2.id, 'draft');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('COMMENT_REQUIRED');
    expect((await move(s.reviewerA, q2.id, 'draft', 'Phương án C chưa chính xác')).json().status).toBe('draft');
    await move(s.authorA, q2.id, 'submitted');
    const ok = await move(s.reviewerA, q2.id, 'approved');
    expect(ok.json()).toMatchObject({ status: 'approved', approvedBy: expect.any(Number) });
    const skip = await move(s.authorA, q2.id, 'submitted');
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error.code).toBe('INVALID_TRANSITION');
    const detail = (await t.app.inject({ url: `/api/questions/${q2.id}`, headers: { cookie: s.authorA } })).json();
    expect(detail.comments.map((c: { kind: string }) => c.kind)).toEqual(['return', 'approve']);
  });

  it('editing an approved question makes a new version; the old one stays for papers that used it', async () => {
    const q = await create(s.authorA, s.subjectA);
    await move(s.authorA, q.id, 'submitted');
    const v1 = (await move(s.reviewerA, q.id, 'approved')).json() as QuestionDto;
    const edited = singleQuestion(s.topicA, 'Theo Hiến pháp 2013, cơ quan nào là cơ quan quyền lực nhà nước cao nhất?');
    const r = await t.app.inject({
      method: 'PUT',
      url: `/api/questions/${q.id}`,
      headers: { cookie: s.authorA },
      payload: edited,
    });
    const v2 = r.json() as QuestionDto;
    expect(v2).toMatchObject({ id: q.id, version: 2, status: 'draft' });
    expect(v2.versionId).not.toBe(v1.versionId);
    const detail = (await t.app.inject({ url: `/api/questions/${q.id}`, headers: { cookie: s.authorA } })).json();
    expect(detail.versions.map((v: QuestionDto) => [v.version, v.status])).toEqual([
      [2, 'draft'],
      [1, 'approved'],
    ]);
    expect(detail.versions[1].stem).toBe(v1.stem);
    // the approved row cannot be changed even with SQL
    expect(() => t.db.$client.prepare("UPDATE question_versions SET stem = 'x' WHERE id = ?").run(v1.versionId)).toThrow(
      /immutable/,
    );
    // approving v2 supersedes v1
    await move(s.authorA, q.id, 'submitted');
    await move(s.reviewerA, q.id, 'approved');
    const after = (await t.app.inject({ url: `/api/questions/${q.id}`, headers: { cookie: s.authorA } })).json();
    expect(after.versions.map((v: QuestionDto) => [v.version, v.status])).toEqual([
      [2, 'approved'],
      [1, 'retired'],
    ]);
    const summary = (await t.app.inject({ url: `/api/subjects/${s.subjectA}/summary`, headers: { cookie: s.authorA } })).json();
    expect(summary.total).toBe(1);
    expect(summary.totals.nhan_biet).toBe(1);
  });

  it('searches and filters by topic, difficulty, status and text (with or without diacritics)', async () => {
    await create(s.authorA, s.subjectA);
    const other = singleQuestion(s.topicA, 'Chủ tịch nước do ai bầu?');
    other.difficulty = 'van_dung';
    await create(s.authorA, s.subjectA, other);
    const q = async (qs: string) =>
      json<{ total: number; items: QuestionDto[] }>(
        await t.app.inject({ url: `/api/subjects/${s.subjectA}/questions?${qs}`, headers: { cookie: s.authorA } }),
      );
    expect((await q('')).total).toBe(2);
    expect((await q('difficulty=van_dung')).total).toBe(1);
    expect((await q('q=chu%20tich%20nuoc')).items[0]?.stem).toContain('Chủ tịch nước');
    expect((await q(`q=${encodeURIComponent('quyền lực')}`)).total).toBe(1);
    expect((await q('status=approved')).total).toBe(0);
    expect((await q(`topicId=${s.topicA}&status=draft`)).total).toBe(2);
  });
});

describe('sanitizer', () => {
  it('strips <script>, event handlers and outside images from question text', async () => {
    const body = singleQuestion(s.topicA);
    body.stem =
      '<p onclick="steal()">Câu <b>in đậm</b><script>alert(1)</script><img src="x" onerror="alert(2)"><img src="http://evil.example/a.png"></p><table><tr><td>1</td></tr></table><a href="javascript:alert(3)">link</a>';
    body.options[1] = { text: '<span onmouseover="x()">Chính phủ</span><iframe src="//x"></iframe>', correct: false };
    const q = await create(s.authorA, s.subjectA, body);
    expect(q.stem).not.toMatch(/script|onclick|onerror|alert|evil|javascript|<a /i);
    expect(q.stem).toContain('<b>in đậm</b>');
    expect(q.stem).toContain('<table>');
    expect(q.options[1]?.text).toBe('<span>Chính phủ</span>');
  });

  it('stores embedded images and serves them only to signed-in users', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
      'base64',
    );
    const body = singleQuestion(s.topicA);
    body.stem = `<p>Hình bên là gì?</p><img src="data:image/png;base64,${png.toString('base64')}" alt="hình">`;
    const q = await create(s.authorA, s.subjectA, body);
    const m = /\/api\/images\/([0-9a-f]{64})/.exec(q.stem);
    expect(m).not.toBeNull();
    const anon = await t.app.inject({ url: `/api/images/${m?.[1]}` });
    expect(anon.statusCode).toBe(401);
    const ok = await t.app.inject({ url: `/api/images/${m?.[1]}`, headers: { cookie: s.authorA } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('image/png');
    expect(ok.rawPayload.equals(png)).toBe(true);
  });
});

async function xlsxWith(rows: (string | number)[][]): Promise<Buffer> {
  const tpl = await t.app.inject({ url: '/api/import-templates/xlsx', headers: { cookie: s.authorA } });
  expect(tpl.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('template has no sheet');
  const last = ws.rowCount;
  for (let i = 2; i <= Math.max(last, rows.length + 1); i++) {
    const r = rows[i - 2];
    ws.getRow(i).values = r ?? [];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function row(values: Record<string, string>, header: string[]): string[] {
  return header.map((h) => values[h] ?? '');
}

async function templateHeader(): Promise<string[]> {
  const tpl = await t.app.inject({ url: '/api/import-templates/xlsx', headers: { cookie: s.authorA } });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('template has no sheet');
  return (ws.getRow(1).values as unknown[]).slice(1).map(String);
}

describe('import', () => {
  const good = (ref: string) => ({
    'Mã câu hỏi': ref,
    'Mã chuyên đề': 'HP',
    'Tên chuyên đề': 'Hiến pháp 2013',
    'Loại câu hỏi': 'Một đáp án',
    'Mức độ': 'Thông hiểu',
    'Nội dung câu hỏi': `Câu hỏi ${ref}?`,
    'Phương án A': 'Đáp án A',
    'Phương án B': 'Đáp án B',
    'Phương án C': 'Đáp án C',
    'Phương án D': 'Đáp án D',
    'Đáp án đúng': 'B',
    'Căn cứ pháp lý': 'Hiến pháp năm 2013',
  });

  it('names a bad row by row and column, and writes nothing', async () => {
    const header = await templateHeader();
    const file = await xlsxWith([
      row(good('X-1'), header),
      row({ ...good('X-2'), 'Đáp án đúng': 'G' }, header),
      row({ ...good('X-3'), 'Mức độ': 'Rất khó' }, header),
      row({ ...good('X-4'), 'Đáp án đúng': 'A, B' }, header),
      row(good('X-1'), header),
    ]);
    const before = { q: count('questions'), a: count('audit_log'), tp: count('topics') };
    const rep = json<ImportReport>(
      await t.app.inject({
        method: 'POST',
        url: `/api/subjects/${s.subjectA}/import?format=xlsx&dryRun=false`,
        headers: { cookie: s.authorA, 'content-type': 'application/octet-stream' },
        payload: file,
      }),
    );
    expect(rep.ok).toBe(false);
    expect(rep.created).toBe(0);
    const at = (r: number) => rep.issues.filter((i) => i.row === r);
    expect(at(3)[0]).toMatchObject({ column: 'Đáp án đúng', severity: 'error' });
    expect(at(4)[0]).toMatchObject({ column: 'Mức độ' });
    expect(at(5)[0]).toMatchObject({ column: 'Đáp án đúng', code: 'CORRECT_COUNT' });
    expect(at(6)[0]).toMatchObject({ column: 'Mã câu hỏi', code: 'REF_DUPLICATE' });
    expect(at(2)).toEqual([]);
    expect({ q: count('questions'), a: count('audit_log'), tp: count('topics') }).toEqual(before);
  });

  it('dry run first, then all-or-nothing import', async () => {
    const header = await templateHeader();
    const file = await xlsxWith([
      row(good('Y-1'), header),
      row({ ...good('Y-2'), 'Mã chuyên đề': 'LCB', 'Tên chuyên đề': 'Luật CBCC' }, header),
    ]);
    const send = (dryRun: boolean) =>
      t.app.inject({
        method: 'POST',
        url: `/api/subjects/${s.subjectA}/import?format=xlsx&dryRun=${dryRun}`,
        headers: { cookie: s.authorA, 'content-type': 'application/octet-stream' },
        payload: file,
      });
    const dry = json<ImportReport>(await send(true));
    expect(dry).toMatchObject({ ok: true, dryRun: true, questions: 2, created: 0 });
    expect(count('questions')).toBe(0);
    const real = json<ImportReport>(await send(false));
    expect(real).toMatchObject({ ok: true, created: 2, topicsCreated: 1 });
    const list = json<{ items: QuestionDto[] }>(
      await t.app.inject({ url: `/api/subjects/${s.subjectA}/questions`, headers: { cookie: s.authorA } }),
    );
    expect(list.items.map((q) => [q.ref, q.status, q.options.find((o) => o.correct)?.id])).toEqual([
      ['Y-1', 'draft', 'B'],
      ['Y-2', 'draft', 'B'],
    ]);
    // importing the same file again clashes on refs and writes nothing
    const again = json<ImportReport>(await send(false));
    expect(again.ok).toBe(false);
    expect(again.issues.every((i) => i.code === 'REF_EXISTS')).toBe(true);
    expect(count('questions')).toBe(2);
  });

  it('only the board may import questions as already approved', async () => {
    const header = await templateHeader();
    const file = await xlsxWith([row({ ...good('Z-1'), 'Trạng thái': 'Đã duyệt' }, header)]);
    const r = json<ImportReport>(
      await t.app.inject({
        method: 'POST',
        url: `/api/subjects/${s.subjectA}/import?format=xlsx&dryRun=true`,
        headers: { cookie: s.authorA, 'content-type': 'application/octet-stream' },
        payload: file,
      }),
    );
    expect(r.issues[0]).toMatchObject({ row: 2, column: 'Trạng thái', code: 'STATUS_NOT_ALLOWED' });
  });
});

describe('export and re-import', () => {
  async function fillBank() {
    const b1 = singleQuestion(s.topicA);
    await create(s.authorA, s.subjectA, b1);
    const b2 = singleQuestion(s.topicA, 'Những cơ quan nào do Quốc hội thành lập?');
    b2.type = 'multiple';
    b2.partialCredit = true;
    b2.options = [
      { text: 'Chính phủ', correct: true },
      { text: 'Hội đồng bầu cử quốc gia', correct: true },
      { text: 'Ủy ban nhân dân tỉnh', correct: false },
    ];
    b2.tags = [];
    b2.explanation = '';
    await create(s.authorA, s.subjectA, b2);
    const b3 = singleQuestion(s.topicA, 'Quốc hội có nhiệm kỳ 5 năm.');
    b3.type = 'true_false';
    b3.options = [
      { text: 'Đúng', correct: true },
      { text: 'Sai', correct: false },
    ];
    const q3 = await create(s.authorA, s.subjectA, b3);
    await move(s.authorA, q3.id, 'submitted');
    await move(s.reviewerA, q3.id, 'approved');
  }

  it.each(['json', 'xlsx', 'csv'] as const)('%s: exporting and re-importing gives an equal bank', async (format) => {
    await fillBank();
    const exp = await t.app.inject({ url: `/api/subjects/${s.subjectA}/export?format=${format}`, headers: { cookie: s.board } });
    expect(exp.statusCode).toBe(200);
    const original = json<{ questions: unknown[] }>(
      await t.app.inject({ url: `/api/subjects/${s.subjectA}/export?format=json`, headers: { cookie: s.board } }),
    );

    // a second platform with an empty subject of the same code
    const t2 = await makeApp();
    try {
      const s2 = await seedBank(t2);
      const imp = json<ImportReport>(
        await t2.app.inject({
          method: 'POST',
          url: `/api/subjects/${s2.subjectA}/import?format=${format}&dryRun=false`,
          headers: { cookie: s2.board, 'content-type': 'application/octet-stream' },
          payload: exp.rawPayload,
        }),
      );
      expect(imp.issues).toEqual([]);
      expect(imp.created).toBe(3);
      const again = await t2.app.inject({
        url: `/api/subjects/${s2.subjectA}/export?format=json`,
        headers: { cookie: s2.board },
      });
      expect(again.json()).toEqual(original);
      if (format === 'json') {
        const first = await t.app.inject({ url: `/api/subjects/${s.subjectA}/export?format=json`, headers: { cookie: s.board } });
        expect(again.body).toBe(first.body); // byte-identical
      }
    } finally {
      await t2.close();
    }
  });
});

describe('backup', () => {
  it('writes a consistent copy while the database is in use, and the copy restores', async () => {
    for (let i = 0; i < 20; i++) await create(s.authorA, s.subjectA, singleQuestion(s.topicA, `Câu số ${i}?`));
    await createUser(t.db, { username: 'root', fullName: 'Admin', roles: ['admin'] });
    const admin = await login(t.app, 'root');
    // writes keep going while the backup runs
    const writes = Promise.all(
      Array.from({ length: 10 }, (_, i) => create(s.authorA, s.subjectA, singleQuestion(s.topicA, `Câu ghi song song ${i}?`))),
    );
    const r = await t.app.inject({ method: 'POST', url: '/api/admin/backups', headers: { cookie: admin } });
    await writes;
    expect(r.statusCode).toBe(201);
    const name = r.json().name as string;
    const list = (await t.app.inject({ url: '/api/admin/backups', headers: { cookie: admin } })).json();
    expect(list[0].name).toBe(name);
    const dl = await t.app.inject({ url: `/api/admin/backups/${name}`, headers: { cookie: admin } });
    expect(dl.statusCode).toBe(200);

    // restore: the documented procedure is to stop the server and put the copy in place of exam.db
    const dir = mkdtempSync(join(tmpdir(), 'exam-restore-'));
    writeFileSync(join(dir, 'exam.db'), dl.rawPayload);
    // the audit key lives outside the database (issue 14): a restore keeps DATA_DIR/audit.key (or AUDIT_KEY)
    copyFileSync(join(t.dir, 'audit.key'), join(dir, 'audit.key'));
    const check = new Database(join(dir, 'exam.db'), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const t3 = await makeApp({ dataDir: dir, dbFile: join(dir, 'exam.db') });
    try {
      const cookie = await login(t3.app, 'authorA');
      const q = (await t3.app.inject({ url: `/api/subjects/${s.subjectA}/questions`, headers: { cookie } })).json();
      expect(q.total).toBeGreaterThanOrEqual(20);
      const v = (await t3.app.inject({ url: '/api/audit/verify', headers: { cookie: await login(t3.app, 'root') } })).json();
      expect(v.ok).toBe(true);
    } finally {
      await t3.close();
    }
  });
});
