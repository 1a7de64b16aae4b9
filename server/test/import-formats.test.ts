/**
 * Issue 18 through the real app (Fastify, SQLite file, the import process): Word, Moodle XML, QTI
 * and GIFT as Moodle reads it; the samples and the public fixtures import; bad questions are
 * reported with their line or number; nothing is written on failure; "valid only" writes exactly
 * the valid questions and is audited; exports round-trip to an equal bank; the QTI 2.1 export is
 * valid against 1EdTech's XSDs (xmllint).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { BankFile, ImportReport, QuestionDto } from '@exam/shared';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser, json, login, makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

// every import runs in its own process: on a loaded 2-core machine a test here can take minutes
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const FIX = new URL('./fixtures/import-formats/', import.meta.url);
const XSD = new URL('./fixtures/xsd/', import.meta.url);
const BANKS = new URL('../../question-banks/', import.meta.url);
const SAMPLES = ['kien-thuc-chung.json', 'tin-hoc.json', 'tieng-anh.json'] as const;

const fixture = (p: string) => readFileSync(new URL(p, FIX));

/** A folder of fixture files as a zip (an IMS content package). */
function zipDir(dir: string): Buffer {
  const root = new URL(dir, FIX).pathname;
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(root, full)] = new Uint8Array(readFileSync(full));
    }
  };
  walk(root);
  return Buffer.from(zipSync(files));
}

interface Platform {
  t: TestApp;
  board: string;
  subject(code: string, name?: string): Promise<number>;
  importFile(
    subjectId: number,
    body: Buffer,
    q?: Record<string, string | boolean>,
  ): Promise<{ status: number; report: ImportReport; body: string }>;
  exportFile(subjectId: number, format: string, extra?: string): Promise<Buffer>;
  bankJson(subjectId: number): Promise<BankFile>;
  count(table: string): number;
}

async function platform(): Promise<Platform> {
  const t = await makeApp();
  await createUser(t.db, { username: 'board', fullName: 'Hội đồng', roles: ['board'] });
  const board = await login(t.app, 'board');
  return {
    t,
    board,
    async subject(code, name = code) {
      const r = await t.app.inject({ method: 'POST', url: '/api/subjects', headers: { cookie: board }, payload: { code, name } });
      return json<{ id: number }>(r).id;
    },
    async importFile(subjectId, body, q = {}) {
      const query = new URLSearchParams({ format: 'auto', dryRun: 'false' });
      for (const [k, v] of Object.entries(q)) query.set(k, String(v));
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/subjects/${subjectId}/import?${query}`,
        headers: { cookie: board, 'content-type': 'application/octet-stream' },
        payload: body,
      });
      return { status: r.statusCode, report: r.json() as ImportReport, body: r.body };
    },
    async exportFile(subjectId, format, extra = '') {
      const r = await t.app.inject({
        url: `/api/subjects/${subjectId}/export?format=${format}${extra}`,
        headers: { cookie: board },
      });
      expect(r.statusCode).toBe(200);
      return r.rawPayload;
    },
    async bankJson(subjectId) {
      const r = await t.app.inject({ url: `/api/subjects/${subjectId}/export?format=json`, headers: { cookie: board } });
      return r.json() as BankFile;
    },
    count(table) {
      return (t.db.$client.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    },
  };
}

const list0 = (r: ImportReport) => r.issues.filter((i) => i.severity === 'warning').map((i) => i.code);

/** The same bank whatever order the file listed things in. */
function sorted(b: BankFile): BankFile {
  return {
    ...b,
    topics: [...b.topics].sort((x, y) => x.code.localeCompare(y.code)),
    questions: [...b.questions].sort((x, y) => x.ref.localeCompare(y.ref)),
  };
}

let A: Platform;
const sampleSubjects = new Map<string, number>();
const originals = new Map<string, BankFile>();

beforeAll(async () => {
  A = await platform();
  for (const file of SAMPLES) {
    const data = readFileSync(new URL(file, BANKS));
    const bank = JSON.parse(data.toString('utf8')) as BankFile;
    const id = await A.subject(bank.subject.code, bank.subject.name);
    const r = await A.importFile(id, data);
    expect(r.report.errors).toBe(0);
    sampleSubjects.set(file, id);
    originals.set(file, await A.bankJson(id));
  }
}, 300_000);

afterAll(async () => {
  await A.t.close();
});

describe('round trip through our export and import gives an equal bank (sample banks)', () => {
  const cases = [
    ['json', ''],
    ['xlsx', ''],
    ['moodlexml', ''],
    ['qti', ''],
    ['qti', '&qtiVersion=3.0'],
    ['docx', ''],
  ] as const;
  it.each(cases)(
    '%s%s',
    async (format, extra) => {
      const B = await platform();
      try {
        for (const file of SAMPLES) {
          const id = sampleSubjects.get(file) ?? 0;
          const original = await A.bankJson(id);
          const exported = await A.exportFile(id, format, extra);
          const target = await B.subject(original.subject.code, original.subject.name);
          const r = await B.importFile(target, exported);
          expect(r.status, r.body).toBe(200);
          expect(r.report.format).toBe(format);
          expect(r.report.issues.filter((i) => i.severity !== 'info')).toEqual([]);
          expect(r.report.created).toBe(original.questions.length);
          expect(sorted(await B.bankJson(target))).toEqual(sorted(original));
        }
      } finally {
        await B.t.close();
      }
    },
    600_000,
  );
});

describe('QTI', () => {
  it('our QTI 2.1 package validates against the 1EdTech XSDs (xmllint)', async () => {
    const zip = unzipSync(new Uint8Array(await A.exportFile(sampleSubjects.get('tieng-anh.json') ?? 0, 'qti')));
    const dir = mkdtempSync(join(tmpdir(), 'qti-xsd-'));
    try {
      const items: string[] = [];
      for (const [name, bytes] of Object.entries(zip)) {
        const path = join(dir, name.replace(/\//g, '_'));
        writeFileSync(path, bytes);
        if (name.startsWith('items/')) items.push(path);
      }
      expect(items.length).toBe(114);
      const xsd = (p: string) => new URL(p, XSD).pathname;
      // throws (non-zero exit) when a file does not validate; xmllint must be installed (.ci/run)
      const out = execFileSync('xmllint', ['--noout', '--schema', xsd('qtiv2p1/imsqti_v2p1.xsd'), ...items], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).toBe('');
      execFileSync('xmllint', ['--noout', '--schema', xsd('imscp_v1p1.xsd'), join(dir, 'imsmanifest.xml')], { stdio: 'pipe' });
      // the check can fail: a broken item is refused
      const broken = join(dir, 'broken.xml');
      writeFileSync(broken, strFromU8(zip['items/00001.xml'] ?? new Uint8Array()).replace('maxChoices="1"', 'maxChoices="x"'));
      expect(() =>
        execFileSync('xmllint', ['--noout', '--schema', xsd('qtiv2p1/imsqti_v2p1.xsd'), broken], { stdio: 'pipe' }),
      ).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['qti21', 'QTI 2.1'],
    ['qti30', 'QTI 3.0'],
  ])('1EdTech %s sample package: choice items import (pinned, multiple, images), other interactions skipped', async (dir) => {
    const B = await platform();
    try {
      const id = await B.subject('ENG', 'Tiếng Anh');
      const topic = await B.t.app.inject({
        method: 'POST',
        url: `/api/subjects/${id}/topics`,
        headers: { cookie: B.board },
        payload: { code: 'EN', name: 'English' },
      });
      expect(topic.statusCode).toBe(201);
      // without a default topic the foreign items are reported, numbered, and nothing is written
      const bad = await B.importFile(id, zipDir(`${dir}/`), { defaultDifficulty: 'nhan_biet' });
      expect(bad.report.created).toBe(0);
      expect(bad.report.issues.filter((i) => i.code === 'TOPIC_REQUIRED').map((i) => i.row)).toEqual([1, 2, 3]);
      expect(B.count('questions')).toBe(0);

      const r = await B.importFile(id, zipDir(`${dir}/`), { defaultTopic: 'EN', defaultDifficulty: 'nhan_biet' });
      expect(r.report.format).toBe('qti');
      expect(r.report.created).toBe(3);
      expect(list0(r.report)).toEqual(dir === 'qti21' ? ['QTI_ID_REPEATED'] : []);
      const skipped = r.report.issues.filter((i) => i.severity === 'skipped');
      expect(skipped.map((i) => [i.row, i.code])).toEqual([[4, 'QTI_UNSUPPORTED_INTERACTION']]);
      expect(skipped[0]?.message).toMatch(/extendedTextInteraction/);
      const list = json<{ items: QuestionDto[] }>(
        await B.t.app.inject({ url: `/api/subjects/${id}/questions?limit=50`, headers: { cookie: B.board } }),
      ).items;
      const byRef = new Map(list.map((q) => [q.ref, q]));
      // the item with a fixed "None of the above" (its identifier repeats another item's in the 2.1 samples)
      const fixed = list.find((q) => q.options.length === 4);
      expect(fixed?.title).toBe('Unattended Luggage');
      expect(fixed?.options.map((o) => [o.correct, !!o.pinned])).toEqual([
        [true, false],
        [false, false],
        [false, false],
        [false, true],
      ]);
      // the picture came from the package into the image store
      expect(fixed?.stem).toMatch(/<img[^>]+src="\/api\/images\/[0-9a-f]{64}"/);
      expect(B.count('images')).toBe(1);
      const water = byRef.get('choiceMultiple');
      expect(water?.type).toBe('multiple');
      expect(water?.partialCredit).toBe(true);
      expect(water?.options.filter((o) => o.correct).map((o) => o.text)).toEqual(['Hydrogen', 'Oxygen']);
    } finally {
      await B.t.close();
    }
  });
});

describe('GIFT as Moodle reads it (Moodle fixtures)', () => {
  it("questions.gift.txt: Moodle's supported questions import, the rest is skipped with its line", async () => {
    const B = await platform();
    try {
      const id = await B.subject('MOODLE');
      await B.t.app.inject({
        method: 'POST',
        url: `/api/subjects/${id}/topics`,
        headers: { cookie: B.board },
        payload: { code: 'T', name: 'Chung' },
      });
      const r = await B.importFile(id, fixture('moodle-gift/questions.gift.txt'), {
        defaultTopic: 'T',
        defaultDifficulty: 'nhan_biet',
      });
      expect(r.report.format).toBe('gift');
      expect(r.report.errors).toBe(0);
      // Moodle imports 10; in our subset: Q2, colours, Q1, and both "2-08 TSL" (same title: not a code, no clash)
      expect(r.report.created).toBe(5);
      expect(r.report.issues.map((i) => [i.row, i.code])).toEqual([
        [2, 'GIFT_UNSUPPORTED_TYPE'],
        [5, 'GIFT_UNSUPPORTED_TYPE'],
        [31, 'GIFT_UNSUPPORTED_TYPE'],
        [34, 'GIFT_UNSUPPORTED_TYPE'],
      ]);
      expect(r.report.issues[2]?.message).toContain('Numerical');
      const list = json<{ items: QuestionDto[] }>(
        await B.t.app.inject({ url: `/api/subjects/${id}/questions?q=tsl`, headers: { cookie: B.board } }),
      ).items;
      expect(list.map((q) => q.title)).toEqual(['2-08 TSL', '2-08 TSL']);
      expect(new Set(list.map((q) => q.ref)).size).toBe(2);
      // a title is searchable
      const byTitle = json<{ items: QuestionDto[] }>(
        await B.t.app.inject({ url: `/api/subjects/${id}/questions?q=colours`, headers: { cookie: B.board } }),
      ).items;
      expect(byTitle.map((q) => q.type)).toEqual(['multiple']);
    } finally {
      await B.t.close();
    }
  });

  it('questions_in_category.gift.txt: $CATEGORY needs no default topic; the dry run counts the topics the import creates; codes are short and clean', async () => {
    const B = await platform();
    try {
      const id = await B.subject('MOODLE');
      const file = fixture('moodle-gift/questions_in_category.gift.txt');
      const dry = await B.importFile(id, file, { dryRun: true, defaultDifficulty: 'nhan_biet' });
      expect(dry.report.errors).toBe(0);
      expect(dry.report.newTopics).toBe(1);
      const r = await B.importFile(id, file, { defaultDifficulty: 'nhan_biet' });
      expect(r.report.created).toBe(2);
      expect(r.report.topicsCreated).toBe(dry.report.newTopics);
      const topics = json<{ code: string; name: string }[]>(
        await B.t.app.inject({ url: `/api/subjects/${id}/topics`, headers: { cookie: B.board } }),
      );
      expect(topics.map((t) => [t.code, t.name])).toEqual([['DEFAULT-FOR-NEW', 'Default for New Features']]);
    } finally {
      await B.t.close();
    }
  });
});

describe('Moodle XML', () => {
  it("Moodle's nested-category fixture: nested topics, the essay skipped with its name and line", async () => {
    const B = await platform();
    try {
      const id = await B.subject('MOODLE');
      const file = fixture('moodle-xml/nested_categories_with_questions.xml');
      const dry = await B.importFile(id, file, { dryRun: true, defaultDifficulty: 'thong_hieu' });
      expect(dry.report.newTopics).toBe(4);
      const r = await B.importFile(id, file, { defaultDifficulty: 'thong_hieu' });
      expect(r.report.format).toBe('moodlexml');
      expect(r.report.created).toBe(4);
      expect(r.report.topicsCreated).toBe(4);
      expect(r.report.issues.map((i) => [i.row, i.code, i.severity])).toEqual([[55, 'MOODLE_UNSUPPORTED_TYPE', 'skipped']]);
      expect(r.report.issues[0]?.message).toContain('Kappa Essay Question');
      const bank = await B.bankJson(id);
      expect(bank.topics).toEqual([
        { code: 'IOTA', name: 'Iota' },
        { code: 'KAPPA', name: 'Kappa', parent: 'IOTA' },
        { code: 'LAMBDA', name: 'Lambda', parent: 'KAPPA' },
        { code: 'MU', name: 'Mu', parent: 'IOTA' },
      ]);
      expect(bank.questions.map((q) => [q.title, q.topic, q.type])).toEqual([
        ['Iota Question', 'IOTA', 'true_false'],
        ['Kappa Question', 'KAPPA', 'true_false'],
        ['Lambda Question', 'LAMBDA', 'true_false'],
        ['Mu Question', 'MU', 'true_false'],
      ]);
    } finally {
      await B.t.close();
    }
  });

  it('multichoice with fractions, @@PLUGINFILE@@ images, general feedback; a bad question is reported by line and nothing is written; "valid only" writes exactly the valid ones', async () => {
    const png = readFileSync(new URL('qti21/items/images/sign.png', FIX)).toString('base64');
    const q = (name: string, single: boolean, answers: [number, string][], extra = '') => `
  <question type="multichoice">
    <name><text>${name}</text></name>
    <questiontext format="html"><text><![CDATA[<p>${name}: câu hỏi <img src="@@PLUGINFILE@@/bien%20bao.png" alt="biển báo"></p>]]></text>
      <file name="bien bao.png" path="/" encoding="base64">${png}</file></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>Giải thích ${name}</p>]]></text></generalfeedback>
    <single>${single}</single>${extra}
    ${answers.map(([f, t]) => `<answer fraction="${f}" format="html"><text>${t}</text></answer>`).join('\n    ')}
  </question>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Luật Cán bộ, công chức</text></category><idnumber>CBCC</idnumber></question>
${q('Một đáp án', true, [
  [100, 'Quốc hội'],
  [0, 'Chính phủ'],
  [0, 'Tòa án'],
])}
${q('Nhiều đáp án có điểm từng phần', false, [
  [50, 'Hai'],
  [50, 'Bốn'],
  [-50, 'Ba'],
])}
${q('Không có đáp án đúng', true, [
  [0, 'Một'],
  [0, 'Hai'],
])}
  <question type="shortanswer"><name><text>Trả lời ngắn</text></name><questiontext format="html"><text>x</text></questiontext></question>
</quiz>
`;
    const B = await platform();
    try {
      const id = await B.subject('CB');
      const body = Buffer.from(xml);
      const before = { q: B.count('questions'), t: B.count('topics'), i: B.count('images'), a: B.count('audit_log') };
      const r = await B.importFile(id, body, { defaultDifficulty: 'nhan_biet' });
      expect(r.report.ok).toBe(false);
      expect(r.report.created).toBe(0);
      const bad = r.report.issues.filter((i) => i.severity === 'error');
      expect(bad.map((i) => i.row)).toEqual([xml.split('\n').findIndex((l) => l.includes('Không có đáp án đúng')) - 1 + 1]);
      expect(r.report.issues.find((i) => i.severity === 'skipped')?.message).toContain('Trả lời ngắn');
      expect(r.report.valid).toBe(2);
      expect({ q: B.count('questions'), t: B.count('topics'), i: B.count('images'), a: B.count('audit_log') }).toEqual(before);

      const v = await B.importFile(id, body, { defaultDifficulty: 'nhan_biet', validOnly: true });
      expect(v.status).toBe(200);
      expect(v.report.created).toBe(2);
      expect(v.report.leftOut).toEqual([{ row: bad[0]?.row, codes: [bad[0]?.code] }]);
      const bank = await B.bankJson(id);
      expect(bank.topics).toEqual([{ code: 'CBCC', name: 'Luật Cán bộ, công chức' }]);
      expect(bank.questions.map((x) => x.title)).toEqual(['Một đáp án', 'Nhiều đáp án có điểm từng phần']);
      const multi = bank.questions[1];
      expect(multi?.type).toBe('multiple');
      expect(multi?.partialCredit).toBe(true);
      expect(multi?.explanation).toBe('<p>Giải thích Nhiều đáp án có điểm từng phần</p>');
      expect(bank.questions[0]?.stem).toMatch(/src="\/api\/images\/[0-9a-f]{64}"/);
      expect(B.count('images')).toBe(1);
      const audit = B.t.db.$client
        .prepare("SELECT detail FROM audit_log WHERE action = 'bank.import' ORDER BY id DESC LIMIT 1")
        .get() as { detail: string };
      expect(JSON.parse(audit.detail)).toMatchObject({ validOnly: true, questions: 2, leftOut: v.report.leftOut });
    } finally {
      await B.t.close();
    }
  });
});

describe('Word (.docx)', () => {
  it('the sample in question-banks/ imports with every key convention named, the table kept and the image stored', async () => {
    const B = await platform();
    try {
      const id = await B.subject('KTC', 'Kiến thức chung');
      const r = await B.importFile(id, readFileSync(new URL('mau-ngan-hang-word.docx', BANKS)));
      expect(r.status, r.body).toBe(200);
      expect(r.report.format).toBe('docx');
      expect(r.report.errors).toBe(0);
      expect(r.report.created).toBe(7);
      expect(r.report.issues.filter((i) => i.code === 'DOCX_KEY_SOURCE').map((i) => i.message)).toEqual([
        'Câu 1: đáp án đúng theo chữ gạch chân',
        'Câu 2: đáp án đúng theo chữ in đậm',
        'Câu 3: đáp án đúng theo dấu *',
        'Câu 4: đáp án đúng theo chữ màu đỏ',
        'Câu 5: đáp án đúng theo dòng "Đáp án:"',
        'Câu 6–7: đáp án đúng theo bảng đáp án cuối tệp',
      ]);
      const bank = await B.bankJson(id);
      const right = bank.questions.map((q) => q.options.flatMap((o, i) => (o.correct ? [i] : [])));
      expect(right).toEqual([[0], [1], [0, 1], [2], [2], [0], [1]]);
      // the key's formatting does not stay in the option
      expect(bank.questions[1]?.options[1]?.text).toBe('5 năm');
      expect(bank.questions[4]?.stem).toContain('<table><thead><tr><th>Đơn vị</th>');
      expect(bank.questions[5]?.stem).toMatch(/<img[^>]+src="\/api\/images\/[0-9a-f]{64}"/);
      expect(bank.questions[5]?.type).toBe('true_false');
      expect(bank.topics.map((t) => t.code)).toEqual(['HP2013-QH', 'CBCC']);
    } finally {
      await B.t.close();
    }
  });

  it('equations, a missing key and a missing topic are reported by question number and paragraph; nothing is written', async () => {
    const B = await platform();
    try {
      const id = await B.subject('KTC');
      const tpl = await B.t.app.inject({ url: '/api/import-templates/docx', headers: { cookie: B.board } });
      expect(tpl.statusCode).toBe(200);
      const files = unzipSync(new Uint8Array(tpl.rawPayload));
      let xml = strFromU8(files['word/document.xml'] ?? new Uint8Array());
      const para = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
      const eq = '<w:p><w:r><w:t xml:space="preserve">Câu 4. Tính </w:t></w:r><m:oMath><m:r><m:t>x</m:t></m:r></m:oMath></w:p>';
      const extra = [eq, para('A. 1'), para('B. 2'), para('Câu 5. Câu không có đáp án?'), para('A. Một'), para('B. Hai')].join(
        '',
      );
      xml = xml.replace(/(<w:p>(?:(?!<w:p>).)*?--- HẾT ---)/, `${extra}$1`);
      files['word/document.xml'] = strToU8(xml);
      const body = Buffer.from(zipSync(files));
      const r = await B.importFile(id, body, { defaultDifficulty: 'nhan_biet' });
      expect(r.report.created).toBe(0);
      const errors = r.report.issues.filter((i) => i.severity === 'error');
      expect(errors.map((i) => i.code).sort()).toEqual([
        'DOCX_EQUATION',
        'DOCX_NO_KEY',
        'TOPIC_REQUIRED',
        'TOPIC_REQUIRED',
        'TOPIC_REQUIRED',
      ]);
      expect(errors.find((i) => i.code === 'DOCX_EQUATION')?.message).toMatch(/^Câu 4 \(đoạn \d+\): có công thức/);
      expect(errors.find((i) => i.code === 'DOCX_NO_KEY')?.message).toMatch(/^Câu 5 \(đoạn \d+\)/);
      expect(B.count('questions')).toBe(0);
      expect(B.count('topics')).toBe(0);
    } finally {
      await B.t.close();
    }
  });
});

describe('every format', () => {
  it('XLSX: NFC on the way in, duplicate options and stray apostrophes reported as warnings on the row', async () => {
    const B = await platform();
    try {
      const id = await B.subject('KTC');
      await B.t.app.inject({
        method: 'POST',
        url: `/api/subjects/${id}/topics`,
        headers: { cookie: B.board },
        payload: { code: 'HP', name: 'Hiến pháp' },
      });
      const tpl = await B.t.app.inject({ url: '/api/import-templates/xlsx', headers: { cookie: B.board } });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('Câu hỏi');
      if (!ws) throw new Error('no sheet');
      const header = (ws.getRow(1).values as unknown[]).slice(1).map((v) => String(v ?? ''));
      // the template's header, our row only
      const out = new ExcelJS.Workbook();
      const sheet = out.addWorksheet('Câu hỏi');
      sheet.addRow(header);
      const row = (cells: Record<string, string>) => header.map((h) => cells[h] ?? '');
      const nfd = 'Quốc hội'.normalize('NFD');
      sheet.addRow(
        row({
          'Mã câu hỏi': 'NFC-1',
          'Mã chuyên đề': 'HP',
          'Loại câu hỏi': 'Một đáp án',
          'Mức độ': 'Nhận biết',
          'Nội dung câu hỏi': `'Cơ quan nào là ${nfd}?`,
          'Phương án A': nfd,
          'Phương án B': 'Chính phủ',
          'Phương án C': 'Quốc hội',
          'Đáp án đúng': 'A',
        }),
      );
      const body = Buffer.from(await out.xlsx.writeBuffer());
      const r = await B.importFile(id, body);
      expect(r.report.created).toBe(1);
      expect(r.report.warnings).toBe(2);
      expect(r.report.issues.map((i) => [i.row, i.column, i.code, i.severity])).toEqual([
        [2, 'Nội dung câu hỏi', 'LEADING_APOSTROPHE', 'warning'],
        [2, 'Phương án C', 'OPTION_DUPLICATE', 'warning'],
      ]);
      const q = (await B.bankJson(id)).questions[0];
      expect(q?.stem).toBe('Cơ quan nào là Quốc hội?');
      expect(q?.stem).toBe(q?.stem.normalize('NFC'));
      expect(q?.options[0]?.text).toBe('Quốc hội'.normalize('NFC'));
    } finally {
      await B.t.close();
    }
  });

  it('the format is recognised from the content; an unknown one is refused naming the supported formats', async () => {
    const id = sampleSubjects.get('tin-hoc.json') ?? 0;
    const unknown = await A.importFile(id, Buffer.from('%PDF-1.7 not a bank'), { dryRun: true });
    expect(unknown.status).toBe(415);
    expect(unknown.body).toContain('IMPORT_FORMAT_UNKNOWN');
    expect(unknown.body).toContain('Word (.docx), Moodle XML (.xml), QTI 2.1/2.2/3.0');
    const legacy = await A.importFile(id, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), { dryRun: true });
    expect(legacy.status).toBe(415);
    expect(legacy.body).toContain('.doc, .xls');
    for (const [format, extra] of [
      ['docx', ''],
      ['moodlexml', ''],
      ['qti', ''],
      ['xlsx', ''],
      ['gift', ''],
    ] as const) {
      const r = await A.importFile(id, await A.exportFile(id, format, extra), { dryRun: true, defaultDifficulty: 'nhan_biet' });
      expect(r.report.format).toBe(format);
    }
  }, 120_000);
});

describe("one candidate's paper as .docx", () => {
  it('prints the questions and options in the order the candidate saw them, with the key; board only, audited', async () => {
    const t = await makeApp();
    try {
      const s = await seedBank(t);
      const exam = await readyExam(t, s, { candidates: 2 });
      const cand = t.db.$client
        .prepare('SELECT id, number FROM candidates WHERE exam_id = ? ORDER BY id LIMIT 1')
        .get(exam.examId) as { id: number; number: string };
      const denied = await t.app.inject({ url: `/api/candidates/${cand.id}/papers.docx`, headers: { cookie: s.authorA } });
      expect(denied.statusCode).toBe(403);
      const r = await t.app.inject({ url: `/api/candidates/${cand.id}/papers.docx`, headers: { cookie: s.board } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('wordprocessingml');
      const text = (await mammoth.extractRawText({ buffer: r.rawPayload })).value;
      expect(text).toContain(`Số báo danh: ${cand.number}`);
      const paper = t.db.$client.prepare('SELECT items FROM papers WHERE candidate_id = ?').get(cand.id) as { items: string };
      const items = JSON.parse(paper.items) as [number, number, string][];
      const first = items[0];
      if (!first) throw new Error('empty paper');
      const v = t.db.$client.prepare('SELECT options FROM question_versions WHERE id = ?').get(first[0]) as { options: string };
      const opts = new Map((JSON.parse(v.options) as { id: string; text: string }[]).map((o) => [o.id, o.text]));
      const shown = [...first[2]].map((id, i) => `${String.fromCharCode(65 + i)}. ${opts.get(id)}`);
      const at = shown.map((line) => text.indexOf(line));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(text).toContain('HẾT');
      const audit = t.db.$client.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'paper.export.docx'").get() as {
        n: number;
      };
      expect(audit.n).toBe(1);
    } finally {
      await t.close();
    }
  });
});
