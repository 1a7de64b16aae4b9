/**
 * Issue 18, images inside exported files, through the real app (Fastify, SQLite file, the import
 * and export process): a bank whose stems, options and explanations show stored images exports
 * to Word (inline pictures), Moodle XML (`<file encoding="base64">` beside `@@PLUGINFILE@@`, as
 * Moodle writes them) and QTI 2.1 / 3.0 (files of the package, referenced from the item and listed
 * in imsmanifest.xml); each file imports into a second platform whose image store is empty, and
 * gives back the same bank with the same image bytes. The QTI 3.0 export validates against
 * 1EdTech's QTI 3.0 XSDs with xmllint (fixtures/qti3/README.md says which and why).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BankFile, ImportReport } from '@exam/shared';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser, json, login, makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

// every import and export runs in its own process: on a loaded 2-core machine a test here can take minutes
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const FIX = new URL('./fixtures/', import.meta.url);
const fixture = (p: string) => readFileSync(new URL(p, FIX));
const QTI3_XSD = new URL('./fixtures/qti3/xsd/', import.meta.url).pathname;
const QTI21_XSD = new URL('./fixtures/xsd/', import.meta.url).pathname;

const PNG = fixture('images/sign.png');
const JPEG = fixture('images/sample.jpg');
/** The smallest GIF: one transparent pixel. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const uri = (mime: string, b: Buffer) => `data:${mime};base64,${b.toString('base64')}`;

/** A bank whose stems, options and explanations show images of the three kinds Word can hold. */
const BANK: BankFile = {
  format: 'vn-exam-bank/1',
  subject: { code: 'ANH', name: 'Câu hỏi có hình' },
  topics: [
    { code: 'BB', name: 'Biển báo' },
    { code: 'BB1', name: 'Biển cấm', parent: 'BB' },
  ],
  questions: [
    {
      ref: 'ANH-001',
      type: 'single',
      topic: 'BB',
      difficulty: 'nhan_biet',
      stem: `<p>Biển báo nào dưới đây là biển báo cấm?</p><p><img alt="Biển báo" src="${uri('image/png', PNG)}" /></p>`,
      options: [
        { text: 'Biển hình tròn viền đỏ', correct: true },
        { text: `Hình <img alt="Điểm" src="${uri('image/gif', GIF)}" /> màu trắng`, correct: false },
        { text: 'Biển hình tam giác', correct: false },
        { text: 'Biển hình vuông xanh', correct: false },
      ],
      explanation: `Xem ảnh minh họa <img alt="Ảnh minh họa" src="${uri('image/jpeg', JPEG)}" />`,
      status: 'draft',
    },
    {
      ref: 'ANH-002',
      type: 'multiple',
      topic: 'BB1',
      difficulty: 'thong_hieu',
      stem: `<p>Những ảnh nào là ảnh chụp?</p><p><img alt="Ảnh 1" src="${uri('image/jpeg', JPEG)}" /></p>`,
      options: [
        // Word: the reader keeps an image inside an option's line (one at its very start or end is not kept yet)
        { text: `Ảnh <img alt="Ảnh A" src="${uri('image/jpeg', JPEG)}" /> (A)`, correct: true },
        { text: `Ảnh <img alt="Ảnh B" src="${uri('image/png', PNG)}" /> (B)`, correct: false },
        { text: 'Không ảnh nào', correct: false },
        { text: 'Cả hai', correct: true },
      ],
      status: 'draft',
    },
  ],
};

interface Platform {
  t: TestApp;
  board: string;
  subject(code: string): Promise<number>;
  importFile(subjectId: number, body: Buffer): Promise<ImportReport>;
  exportFile(subjectId: number, format: string, extra?: string): Promise<Buffer>;
  bankJson(subjectId: number): Promise<BankFile>;
  image(id: string): Promise<{ status: number; bytes: Buffer }>;
  imageCount(): number;
}

async function platform(): Promise<Platform> {
  const t = await makeApp();
  await createUser(t.db, { username: 'board', fullName: 'Hội đồng', roles: ['board'] });
  const board = await login(t.app, 'board');
  return {
    t,
    board,
    async subject(code) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/subjects',
        headers: { cookie: board },
        payload: { code, name: BANK.subject.name },
      });
      return json<{ id: number }>(r).id;
    },
    async importFile(subjectId, body) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/subjects/${subjectId}/import?format=auto&dryRun=false`,
        headers: { cookie: board, 'content-type': 'application/octet-stream' },
        payload: body,
      });
      return r.json() as ImportReport;
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
    async image(id) {
      const r = await t.app.inject({ url: `/api/images/${id}`, headers: { cookie: board } });
      return { status: r.statusCode, bytes: r.rawPayload };
    },
    imageCount() {
      return (t.db.$client.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
    },
  };
}

/** The same bank whatever order the file listed things in, without the subject (each platform names its own). */
function comparable(b: BankFile): Omit<BankFile, 'subject'> {
  return {
    format: b.format,
    topics: [...b.topics].sort((x, y) => x.code.localeCompare(y.code)),
    questions: [...b.questions].sort((x, y) => x.ref.localeCompare(y.ref)),
  };
}

const IDS = { png: sha(PNG), jpeg: sha(JPEG), gif: sha(GIF) };

let A: Platform;
let source: number;
let original: BankFile;

beforeAll(async () => {
  A = await platform();
  source = await A.subject('ANH');
  const r = await A.importFile(source, Buffer.from(JSON.stringify(BANK)));
  expect(r.errors).toBe(0);
  original = await A.bankJson(source);
  // the import moved every data: image into the store: the bank refers to them by their SHA-256
  const text = JSON.stringify(original);
  expect(text).not.toContain('data:image');
  for (const id of Object.values(IDS)) expect(text).toContain(`/api/images/${id}`);
}, 600_000);

afterAll(async () => {
  await A.t.close();
});

describe('images travel inside the exported files', () => {
  it('QTI 2.1 and 3.0: each image a file of the package, referenced from the item and listed in imsmanifest.xml', async () => {
    for (const extra of ['', '&qtiVersion=3.0']) {
      const zip = unzipSync(new Uint8Array(await A.exportFile(source, 'qti', extra)));
      expect(Buffer.from(zip[`items/images/${IDS.png}.png`] ?? [])).toEqual(PNG);
      expect(Buffer.from(zip[`items/images/${IDS.gif}.gif`] ?? [])).toEqual(GIF);
      expect(Buffer.from(zip[`items/images/${IDS.jpeg}.jpg`] ?? [])).toEqual(JPEG);
      const item1 = strFromU8(zip['items/00001.xml'] ?? new Uint8Array());
      expect(item1).toContain(`src="images/${IDS.png}.png"`);
      expect(item1).toContain(`src="images/${IDS.gif}.gif"`);
      expect(item1).not.toContain('/api/images/');
      const manifest = strFromU8(zip['imsmanifest.xml'] ?? new Uint8Array());
      const resource1 = /<resource identifier="ITEM-1"[\s\S]*?<\/resource>/.exec(manifest)?.[0] ?? '';
      expect(resource1).toContain(`<file href="items/images/${IDS.png}.png"/>`);
      expect(resource1).toContain(`<file href="items/images/${IDS.gif}.gif"/>`);
      const resource2 = /<resource identifier="ITEM-2"[\s\S]*?<\/resource>/.exec(manifest)?.[0] ?? '';
      expect(resource2).toContain(`<file href="items/images/${IDS.jpeg}.jpg"/>`);
      expect(resource2).toContain(`<file href="items/images/${IDS.png}.png"/>`);
    }
  });

  it("Moodle XML: `@@PLUGINFILE@@/name` in the text and the base64 `<file>` beside it, as Moodle's format.php writes them", async () => {
    const xml = (await A.exportFile(source, 'moodlexml')).toString('utf8');
    expect(xml).not.toContain('/api/images/');
    expect(xml).toContain(`@@PLUGINFILE@@/${IDS.png}.png`);
    const files = [...xml.matchAll(/<file name="([^"]+)" path="\/" encoding="base64">([A-Za-z0-9+/=]+)<\/file>/g)];
    const byName = new Map(files.map((m) => [m[1], Buffer.from(m[2] ?? '', 'base64')]));
    expect(byName.get(`${IDS.png}.png`)).toEqual(PNG);
    expect(byName.get(`${IDS.gif}.gif`)).toEqual(GIF);
    expect(byName.get(`${IDS.jpeg}.jpg`)).toEqual(JPEG);
    // the GIF of question 1's option B sits inside that <answer>, after its <text>
    const answer = /<answer fraction="0" format="html"><text><!\[CDATA\[Hình <img[\s\S]*?<\/answer>/.exec(xml)?.[0] ?? '';
    expect(answer).toContain(`<file name="${IDS.gif}.gif" path="/" encoding="base64">`);
    // the explanation's image in <generalfeedback>
    const feedback = /<generalfeedback format="html">[\s\S]*?<\/generalfeedback>/.exec(xml)?.[0] ?? '';
    expect(feedback).toContain(`<file name="${IDS.jpeg}.jpg"`);
  });

  it('Word: inline pictures with the stored bytes', async () => {
    const zip = unzipSync(new Uint8Array(await A.exportFile(source, 'docx')));
    const media = Object.entries(zip)
      .filter(([name]) => name.startsWith('word/media/') && !name.endsWith('/'))
      .map(([, bytes]) => sha(bytes));
    expect(new Set(media)).toEqual(new Set(Object.values(IDS)));
    const doc = strFromU8(zip['word/document.xml'] ?? new Uint8Array());
    expect(doc).not.toContain('[ảnh]');
    expect(doc).toContain('descr="Biển báo"');
    // the picture keeps its own size (170 × 99 px = 1,619,250 × 942,975 EMU)
    expect(doc).toContain('cx="1619250" cy="942975"');
  });
});

describe('round trip through our export and import: an equal bank and the same image bytes', () => {
  it.each([
    ['docx', ''],
    ['moodlexml', ''],
    ['qti', ''],
    ['qti', '&qtiVersion=3.0'],
  ])('%s%s into a platform whose image store is empty', async (format, extra) => {
    const file = await A.exportFile(source, format, extra);
    const B = await platform();
    try {
      expect(B.imageCount()).toBe(0);
      const id = await B.subject('ANH');
      const r = await B.importFile(id, file);
      expect(r.errors).toBe(0);
      expect(r.issues.filter((i) => /IMAGE/.test(i.code))).toEqual([]);
      expect(comparable(await B.bankJson(id))).toEqual(comparable(original));
      for (const [kind, bytes] of [
        ['png', PNG],
        ['gif', GIF],
        ['jpeg', JPEG],
      ] as const) {
        const img = await B.image(IDS[kind]);
        expect(img.status, kind).toBe(200);
        expect(img.bytes.equals(bytes), kind).toBe(true);
      }
    } finally {
      await B.t.close();
    }
  });
});

describe('our QTI export against 1EdTech XSDs (xmllint)', () => {
  /** The package's files in a folder, for xmllint; returns the folder, the item paths and the manifest path. */
  function unpack(zip: Record<string, Uint8Array>): { dir: string; items: string[]; manifest: string } {
    const dir = mkdtempSync(join(tmpdir(), 'qti3-xsd-'));
    const items: string[] = [];
    for (const [name, bytes] of Object.entries(zip)) {
      if (!name.endsWith('.xml')) continue;
      const path = join(dir, name.replace(/\//g, '_'));
      writeFileSync(path, bytes);
      if (name.startsWith('items/')) items.push(path);
    }
    return { dir, items, manifest: join(dir, 'imsmanifest.xml') };
  }
  const xmllint = (schema: string, files: string[]) =>
    execFileSync('xmllint', ['--nonet', '--noout', '--schema', schema, ...files], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // the one import given by URL (xlink, from the packaging extension) read from the fixture
      env: { ...process.env, XML_CATALOG_FILES: join(QTI3_XSD, 'catalog.xml') },
    });

  it('QTI 3.0: items (with images) valid against the ASI XSD, the manifest against the QTI 3.0 packaging XSD but for our own metadata; a broken item is refused', async () => {
    const banks = JSON.parse(readFileSync(new URL('../../question-banks/tieng-anh.json', import.meta.url), 'utf8')) as BankFile;
    const sample = await A.subject('TA');
    expect((await A.importFile(sample, Buffer.from(JSON.stringify(banks)))).errors).toBe(0);
    for (const subject of [source, sample]) {
      const zip = unzipSync(new Uint8Array(await A.exportFile(subject, 'qti', '&qtiVersion=3.0')));
      const { dir, items, manifest } = unpack(zip);
      try {
        expect(items.length).toBe(subject === source ? 2 : banks.questions.length);
        // the schema is the SBAC profile, which differs from the base schema only in data-* attributes: we write none
        for (const f of items) expect(readFileSync(f, 'utf8')).not.toMatch(/\sdata-[a-z-]+=/);
        // throws (non-zero exit) when a file does not validate
        const asi = join(QTI3_XSD, 'qtiv3p0/imsqti_asiv3p0_sbacv1p0_v1p0.xsd');
        expect(xmllint(asi, items)).toBe('');
        // The QTI 3.0 packaging profile allows only lom / qtiMetadata / curriculum standards in <metadata>,
        // and our round-trip metadata (urn:vn-exam-bank:1, which our import reads there) is none of them:
        // the rest of the manifest (schema, resources, their types and files, the images) is checked.
        const text = readFileSync(manifest, 'utf8');
        const standard = text.replace(/<vn:bank\b[\s\S]*?<\/vn:bank>/g, '').replace(/<vn:question\b[\s\S]*?<\/vn:question>/g, '');
        expect(text.length - standard.length).toBeGreaterThan(0);
        expect(standard).not.toContain('<vn:');
        expect(standard.match(/<file href=/g)?.length).toBeGreaterThanOrEqual(items.length);
        const stripped = join(dir, 'imsmanifest-standard.xml');
        writeFileSync(stripped, standard);
        expect(xmllint(join(QTI3_XSD, 'qtiv3p0/imsqtiv3p0_imscpv1p2_v1p0.xsd'), [stripped])).toBe('');
        if (subject === source) {
          // the check can fail: an item with a wrong attribute value is refused
          const broken = join(dir, 'broken.xml');
          writeFileSync(broken, readFileSync(items[0] ?? '', 'utf8').replace('max-choices="1"', 'max-choices="x"'));
          expect(() => xmllint(asi, [broken])).toThrow();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('QTI 2.1 with images: items valid against imsqti_v2p1.xsd, the manifest against imscp_v1p1.xsd', async () => {
    const zip = unzipSync(new Uint8Array(await A.exportFile(source, 'qti')));
    const { dir, items, manifest } = unpack(zip);
    try {
      expect(items.length).toBe(2);
      expect(xmllint(join(QTI21_XSD, 'qtiv2p1/imsqti_v2p1.xsd'), items)).toBe('');
      expect(xmllint(join(QTI21_XSD, 'imscp_v1p1.xsd'), [manifest])).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("one candidate's paper as .docx", () => {
  it('prints the images of the questions as pictures with the stored bytes', async () => {
    const t = await makeApp();
    try {
      const s = await seedBank(t);
      const up = await t.app.inject({
        method: 'POST',
        url: '/api/images',
        headers: { cookie: s.authorA, 'content-type': 'image/png' },
        payload: PNG,
      });
      expect(up.statusCode).toBe(201);
      const { url } = json<{ url: string }>(up);
      const exam = await readyExam(t, s, { candidates: 1, stemHtml: `<img alt="Biển báo" src="${url}" />` });
      const cand = t.db.$client.prepare('SELECT id FROM candidates WHERE exam_id = ? LIMIT 1').get(exam.examId) as { id: number };
      const r = await t.app.inject({ url: `/api/candidates/${cand.id}/papers.docx`, headers: { cookie: s.board } });
      expect(r.statusCode).toBe(200);
      const zip = unzipSync(new Uint8Array(r.rawPayload));
      const media = Object.entries(zip).filter(([name]) => name.startsWith('word/media/') && !name.endsWith('/'));
      expect(media.map(([, bytes]) => sha(bytes))).toEqual([IDS.png]);
      const doc = strFromU8(zip['word/document.xml'] ?? new Uint8Array());
      expect(doc).not.toContain('[ảnh]');
      // both questions of the paper show the picture (one media file, two drawings)
      expect(doc.match(/descr="Biển báo"/g)?.length).toBe(2);
    } finally {
      await t.close();
    }
  });
});
