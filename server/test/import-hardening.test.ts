import type { AddressInfo } from 'node:net';
import type { AnswerAck, AttemptDto, CandidateClientToServer, CandidateServerToClient, ImportReport } from '@exam/shared';
import { Zip, ZipDeflate } from 'fflate';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { generateBank } from '../src/bench/scenarios/import.js';
import { exportBank } from '../src/modules/banks/formats/index.js';
import { ExamService } from '../src/modules/exams/service.js';
import {
  BANK_IMPORT_MAX_ROWS,
  checkZip,
  IMPORT_MAX_FILE_BYTES,
  IMPORT_MAX_LISTED_ISSUES,
  IMPORT_MAX_XML_FILE_BYTES,
} from '../src/modules/imports/limits.js';
import { importsInProgress } from '../src/modules/imports/run.js';
import { createUser, login, makeApp, readyExam, seedBank, singleQuestion, type TestApp } from './helpers.js';

/**
 * Issue 14, part A: imports cannot stop a sitting. Files over the limits are refused with a stable
 * code, the report is bounded, parsing happens off the event loop (an answer is acked while a big
 * import is still being read), bodies are small unless the route takes uploads, and bank images are
 * read only by staff of their subject.
 */
let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
let base: string;
let exam: Awaited<ReturnType<typeof readyExam>>;

beforeAll(async () => {
  t = await makeApp();
  s = await seedBank(t);
  exam = await readyExam(t, s, { candidates: 1 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const questionCount = (subjectId: number) =>
  Number(t.db.$client.prepare('SELECT COUNT(*) FROM questions WHERE subject_id = ?').pluck().get(subjectId));

function importBank(
  cookie: string,
  subjectId: number,
  format: string,
  body: Buffer,
  dryRun = true,
  type = 'application/octet-stream',
) {
  return t.app.inject({
    method: 'POST',
    url: `/api/subjects/${subjectId}/import?format=${format}&dryRun=${dryRun}`,
    headers: { cookie, 'content-type': type },
    payload: body,
  });
}

/** A real zip bomb: one sheet of `mb` MB of zeros, deflated (about 1 KB per MB), sizes in the central directory. */
function zipBomb(mb: number): Buffer {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    chunks.push(data);
  });
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 1 });
  zip.add(sheet);
  const zeros = new Uint8Array(1024 * 1024);
  for (let i = 0; i < mb; i++) sheet.push(zeros, i === mb - 1);
  zip.end();
  return Buffer.concat(chunks);
}

describe('import limits', () => {
  it('refuses a file over the size limit with 413 and writes nothing', async () => {
    const before = questionCount(s.subjectA);
    const res = await importBank(s.board, s.subjectA, 'csv', Buffer.alloc(IMPORT_MAX_FILE_BYTES + 1, 0x41), false);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('BODY_TOO_LARGE');
    expect(res.json().error.message).toMatch(/quá lớn/);
    expect(questionCount(s.subjectA)).toBe(before);
  });

  it('takes a Moodle XML file over 20 MB (XML formats: 64 MB), refuses one over 64 MB, and keeps 20 MB for candidate lists', async () => {
    // Moodle XML is verbose (~1.4 KB per question): 20,000 questions are ~29 MB
    const xml = (await exportBank('moodlexml', generateBank(1, 'MXL'))).toString('utf8');
    const padded = Buffer.from(xml.replace('<quiz>', `<quiz><!-- ${'x'.repeat(IMPORT_MAX_FILE_BYTES)} -->`), 'utf8');
    expect(padded.length).toBeGreaterThan(IMPORT_MAX_FILE_BYTES);
    for (const format of ['moodlexml', 'auto']) {
      const res = await importBank(s.board, s.subjectA, format, padded);
      expect(res.statusCode).toBe(200);
      expect(res.json().questions).toBe(1);
    }
    const over = await importBank(s.board, s.subjectA, 'moodlexml', Buffer.alloc(IMPORT_MAX_XML_FILE_BYTES + 1, 0x20));
    expect(over.statusCode).toBe(413);
    expect(over.json().error.code).toBe('BODY_TOO_LARGE');

    const exams = new ExamService(t.db);
    const actor = { id: null, name: 'test' };
    const draft = await exams.create(actor, { code: 'BIGLIST', name: 'Kỳ thi nháp', profileId: 'nd138-2020' });
    const cand = await t.app.inject({
      method: 'POST',
      url: `/api/exams/${draft}/candidates/import?dryRun=true`,
      headers: { cookie: s.board, 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(IMPORT_MAX_FILE_BYTES + 1, 0x41),
    });
    expect(cand.statusCode).toBe(413);
    expect(cand.json().error.code).toBe('BODY_TOO_LARGE');
    expect(cand.json().error.message).toMatch(/quá lớn/);
  }, 120_000);

  it('refuses a zip bomb from its central directory, before inflating anything', async () => {
    const bomb = zipBomb(260);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    // the check itself reads sizes only: no large allocation
    const rss = process.memoryUsage().rss;
    expect(() => checkZip(bomb)).toThrow(/giải nén/);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);

    const res = await importBank(s.board, s.subjectA, 'xlsx', bomb);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('IMPORT_UNZIPPED_TOO_LARGE');
    expect(res.json().error.message).toMatch(/giải nén/);

    // the candidate list import goes through the same check
    const exams = new ExamService(t.db);
    const actor = { id: null, name: 'test' };
    const draft = await exams.create(actor, { code: 'BOMB', name: 'Kỳ thi nháp', profileId: 'nd138-2020' });
    await exams.addPosition(actor, draft, { code: 'VT', name: 'Vị trí', quota: 1 });
    const cand = await t.app.inject({
      method: 'POST',
      url: `/api/exams/${draft}/candidates/import?dryRun=true`,
      headers: { cookie: s.board, 'content-type': 'application/octet-stream' },
      payload: bomb,
    });
    expect(cand.statusCode).toBe(413);
    expect(cand.json().error.code).toBe('IMPORT_UNZIPPED_TOO_LARGE');
  }, 60_000);

  it('refuses more rows than allowed with 413 IMPORT_TOO_MANY_ROWS', async () => {
    const csv = await exportBank('csv', generateBank(BANK_IMPORT_MAX_ROWS + 1, 'KTC'));
    const before = questionCount(s.subjectA);
    const res = await importBank(s.board, s.subjectA, 'csv', csv, false, 'text/csv');
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('IMPORT_TOO_MANY_ROWS');
    expect(res.json().error.details).toMatchObject({ maxRows: BANK_IMPORT_MAX_ROWS });
    expect(questionCount(s.subjectA)).toBe(before);
  }, 120_000);

  it('bounds the issue list: the first N, then counts per code', async () => {
    // an author may not import approved questions: one error on each of 1,200 rows
    const csv = await exportBank('csv', generateBank(1200, 'KTC'));
    const res = await importBank(s.authorA, s.subjectA, 'csv', csv, true, 'text/csv');
    expect(res.statusCode).toBe(200);
    const rep = res.json() as ImportReport;
    expect(rep.ok).toBe(false);
    expect(rep.errors).toBe(1200);
    expect(rep.issues).toHaveLength(IMPORT_MAX_LISTED_ISSUES);
    expect(rep.issuesTotal).toBe(1200);
    expect(rep.issueCounts).toEqual({ STATUS_NOT_ALLOWED: 1200 });
    expect(rep.issues[0]?.row).toBe(2);
  }, 60_000);
});

type CandSocket = Socket<CandidateServerToClient, CandidateClientToServer>;

describe('imports run off the event loop', () => {
  it("acks a candidate's answer while a large import is still being read", async () => {
    const p = exam.pins[0];
    if (!p) throw new Error('no candidate');
    const loginRes = await fetch(`${base}/api/candidate/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: p.number, pin: p.pin, deviceId: 'device-imp1' }),
    });
    expect(loginRes.status).toBe(200);
    const cookie = (loginRes.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const started = await fetch(`${base}/api/candidate/parts/${exam.partId}/start`, { method: 'POST', headers: { cookie } });
    const attempt = (await started.json()) as AttemptDto;
    const sock: CandSocket = connect(`${base}/candidate`, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: { cookie },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      sock.on('connect', () => resolve());
      sock.on('connect_error', reject);
    });
    try {
      const q1 = attempt.questions[0];
      if (!q1) throw new Error('no question');
      const csv = await exportBank('csv', generateBank(BANK_IMPORT_MAX_ROWS, 'KTC'));
      let importFinished = false;
      const importing = fetch(`${base}/api/subjects/${s.subjectA}/import?format=csv&dryRun=true`, {
        method: 'POST',
        headers: { cookie: s.board, 'content-type': 'text/csv' },
        body: csv,
      }).then(async (r) => {
        importFinished = true;
        return { status: r.status, report: (await r.json()) as ImportReport };
      });
      // wait until the import is being read
      while (importsInProgress() === 0 && !importFinished) await new Promise((r) => setTimeout(r, 5));
      const ack = (await sock.timeout(30_000).emitWithAck('answer', {
        attemptId: attempt.attemptId,
        questionNo: 1,
        choice: [q1.options[0]?.id ?? ''],
        seq: 1,
      })) as AnswerAck;
      expect(ack).toMatchObject({ ok: true, applied: true });
      // the ack came while the import was still being read
      expect(importFinished).toBe(false);
      expect(importsInProgress()).toBeGreaterThan(0);
      const done = await importing;
      expect(done.status).toBe(200);
      expect(done.report.questions).toBe(BANK_IMPORT_MAX_ROWS);
    } finally {
      sock.disconnect();
    }
  }, 180_000);
});

describe('all or nothing in chunks', () => {
  it('a dry run then an import of approved questions makes them visible together, with one audit entry', async () => {
    const bank = generateBank(450, 'TH');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/subjects/${s.subjectB}/import?format=json&dryRun=false`,
      headers: { cookie: s.board, 'content-type': 'application/json' },
      payload: JSON.stringify({ ...bank, questions: bank.questions.map((q) => ({ ...q, ref: `CH-${q.ref}` })) }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, created: 450 });
    const staged = t.db.$client.prepare('SELECT COUNT(*) FROM questions WHERE head_version_id IS NULL').pluck().get();
    expect(staged).toBe(0);
    const approved = t.db.$client
      .prepare(
        "SELECT COUNT(*) FROM questions q JOIN question_versions v ON v.id = q.head_version_id WHERE q.subject_id = ? AND q.ref LIKE 'CH-%' AND v.status = 'approved'",
      )
      .pluck()
      .get(s.subjectB);
    expect(approved).toBe(450);
    const audit = t.db.$client
      .prepare("SELECT detail FROM audit_log WHERE action = 'bank.import' ORDER BY id DESC LIMIT 1")
      .pluck()
      .get();
    expect(JSON.parse(String(audit))).toMatchObject({ questions: 450, contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('a restart discards questions an interrupted import had staged', async () => {
    const sqlite = t.db.$client;
    // what a crash between two chunks leaves: staged questions without a head, one of them approved
    const qid = Number(
      sqlite.prepare("INSERT INTO questions (subject_id, ref) VALUES (?, 'STAGED-1')").run(s.subjectA).lastInsertRowid,
    );
    sqlite
      .prepare(
        `INSERT INTO question_versions (question_id, version, type, topic_id, difficulty, stem, options, partial_credit, explanation,
           legal_basis, tags, status, search_text, author_id) SELECT ?, 1, 'single', ?, 'nhan_biet', 'x', '[]', 0, '', '', '[]', 'approved', 'x', id FROM users LIMIT 1`,
      )
      .run(qid, s.topicA);
    const summary = await t.app.inject({ url: `/api/subjects/${s.subjectA}/summary`, headers: { cookie: s.board } });
    const before = summary.json().total;
    const again = await buildApp(t.config, { db: t.db, loops: false });
    try {
      expect(sqlite.prepare("SELECT COUNT(*) FROM questions WHERE ref = 'STAGED-1'").pluck().get()).toBe(0);
      expect(sqlite.prepare('SELECT COUNT(*) FROM question_versions WHERE question_id = ?').pluck().get(qid)).toBe(0);
      const after = await again.app.inject({ url: `/api/subjects/${s.subjectA}/summary`, headers: { cookie: s.board } });
      expect(after.json().total).toBe(before);
    } finally {
      await again.app.close();
    }
  });
});

describe('bodies, content types and text', () => {
  it('answers 413 to an anonymous large body on a route without uploads', async () => {
    const res = await fetch(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BODY_TOO_LARGE');
  });

  it('imports a JSON bank sent as application/json', async () => {
    const bank = generateBank(5, 'TH');
    const before = questionCount(s.subjectB);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/subjects/${s.subjectB}/import?format=json&dryRun=false`,
      headers: { cookie: s.board, 'content-type': 'application/json' },
      payload: JSON.stringify(bank),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, created: 5 });
    expect(questionCount(s.subjectB)).toBe(before + 5);
  });

  it('refuses NUL characters in GIFT (and every text import) and stores nothing', async () => {
    const before = questionCount(s.subjectA);
    const gift = Buffer.from('::Q1:: Câu hỏi có\u0000 ký tự lạ {T}\n\n::Q2:: Câu hỏi thứ hai {F}\n', 'utf8');
    const res = await importBank(s.authorA, s.subjectA, 'gift', gift, false, 'text/plain');
    expect(res.statusCode).toBe(200);
    const rep = res.json() as ImportReport;
    expect(rep.ok).toBe(false);
    expect(rep.created).toBe(0);
    expect(rep.issues[0]).toMatchObject({ row: 1, code: 'NUL_CHAR' });
    expect(questionCount(s.subjectA)).toBe(before);
    const stored = t.db.$client.prepare('SELECT COUNT(*) FROM question_versions WHERE instr(stem, char(0)) > 0').pluck().get();
    expect(stored).toBe(0);
  });
});

describe('bank images', () => {
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
    'base64',
  );

  it('audits uploads and lets only staff of the subject read them', async () => {
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/images',
      headers: { cookie: s.authorA, 'content-type': 'image/png' },
      payload: PNG,
    });
    expect(up.statusCode).toBe(201);
    const { id, url } = up.json() as { id: string; url: string };
    const audit = t.db.$client
      .prepare("SELECT actor_name AS actor, detail FROM audit_log WHERE action = 'image.upload' AND entity_id = ?")
      .get(id) as { actor: string; detail: string } | undefined;
    expect(audit?.actor).toBe('authorA');
    expect(JSON.parse(audit?.detail ?? '{}')).toMatchObject({ mime: 'image/png', bytes: PNG.length });

    const q = await t.app.inject({
      method: 'POST',
      url: `/api/subjects/${s.subjectA}/questions`,
      headers: { cookie: s.authorA },
      payload: singleQuestion(s.topicA, `Xem hình <img src="${url}" alt="hình">`),
    });
    expect(q.statusCode).toBe(201);
    await createUser(t.db, { username: 'giamthi', fullName: 'Giám thị', roles: ['invigilator'] });
    const invigilator = await login(t.app, 'giamthi');
    const status = async (cookie: string) => (await t.app.inject({ url, headers: { cookie } })).statusCode;
    expect(await status(s.authorA)).toBe(200);
    expect(await status(s.reviewerA)).toBe(200);
    expect(await status(s.board)).toBe(200);
    expect(await status(s.authorB)).toBe(403);
    expect(await status(invigilator)).toBe(403);
  });
});
