import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BankFile, type BankQuestion, DIFFICULTIES, IMPORT_FORMATS, type ImportFormat } from '@exam/shared';
import { Type } from '@sinclair/typebox';
import { strToU8, zipSync } from 'fflate';
import { exportBank } from '../../modules/banks/formats/index.js';
import { runWorker } from './child.js';

/** What importWorker.ts prints (another process: checked once, in runWorker). */
const ImportRunSchema = Type.Object({
  ms: Type.Number(),
  peakRssMb: Type.Number(),
  importPeakRssMb: Type.Number(),
  status: Type.Integer(),
  code: Type.Union([Type.String(), Type.Null()]),
  created: Type.Integer(),
  errors: Type.Integer(),
  parseMs: Type.Optional(Type.Number()),
  prepareMs: Type.Optional(Type.Number()),
  cleanMs: Type.Optional(Type.Number()),
});

/** A generated bank: `n` questions over 10 topics, all four levels, the three types. */
export function generateBank(n: number, code = 'BENCH'): BankFile {
  const topics = Array.from({ length: 10 }, (_, i) => ({ code: `T${i + 1}`, name: `Chuyên đề ${i + 1}` }));
  const questions: BankQuestion[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    const ref = `${code}-${String(i + 1).padStart(6, '0')}`;
    const base = {
      ref,
      topic: `T${(i % 10) + 1}`,
      difficulty: DIFFICULTIES[i % 4] ?? 'nhan_biet',
      stem: `Câu hỏi số ${i + 1}: theo quy định hiện hành, phương án nào dưới đây là đúng về nội dung thứ ${i % 97}?`,
      legalBasis: `Điều ${(i % 80) + 1} Luật Cán bộ, công chức`,
      explanation: 'Giải thích ngắn cho câu hỏi.',
      tags: ['bench'],
      status: 'approved' as const,
    };
    if (kind === 8) {
      questions.push({
        ...base,
        type: 'true_false',
        options: [
          { text: 'Đúng', correct: i % 2 === 0 },
          { text: 'Sai', correct: i % 2 !== 0 },
        ],
      });
    } else if (kind === 9) {
      questions.push({
        ...base,
        type: 'multiple',
        options: [
          { text: `Phương án thứ nhất ${i}`, correct: true },
          { text: `Phương án thứ hai ${i}`, correct: true },
          { text: `Phương án thứ ba ${i}`, correct: false },
          { text: `Phương án thứ tư ${i}`, correct: false },
        ],
      });
    } else {
      questions.push({
        ...base,
        type: 'single',
        options: [0, 1, 2, 3].map((k) => ({ text: `Phương án ${k + 1} của câu ${i + 1}`, correct: k === i % 4 })),
      });
    }
  }
  return { format: 'vn-exam-bank/1', subject: { code, name: 'Môn đo hiệu năng' }, topics, questions };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The bank as a minimal Word file in the boards' convention, written directly (the docx library
 * builds the whole document in memory, ~2 GB for 20,000 questions): "Chuyên đề:" lines, "Câu N.",
 * options "A."… with the right letters underlined, "Mức độ:" and "Loại:" lines.
 */
export function wordFile(bank: BankFile): Buffer {
  const p = (text: string, underline = false) =>
    `<w:p><w:r>${underline ? '<w:rPr><w:u w:val="single"/></w:rPr>' : ''}<w:t xml:space="preserve">${esc(text)}</w:t></w:r></w:p>`;
  const labels = { nhan_biet: 'Nhận biết', thong_hieu: 'Thông hiểu', van_dung: 'Vận dụng', van_dung_cao: 'Vận dụng cao' };
  const body: string[] = [];
  let n = 0;
  for (const t of bank.topics) {
    body.push(p(`Chuyên đề: ${t.code} — ${t.name}`));
    for (const q of bank.questions.filter((x) => x.topic === t.code)) {
      n++;
      body.push(p(`Câu ${n}. ${q.stem}`));
      q.options.forEach((o, i) => {
        body.push(
          `<w:p><w:r>${o.correct ? '<w:rPr><w:u w:val="single"/></w:rPr>' : ''}<w:t xml:space="preserve">${String.fromCharCode(65 + i)}.</w:t></w:r><w:r><w:t xml:space="preserve"> ${esc(o.text)}</w:t></w:r></w:p>`,
        );
      });
      body.push(p(`Mã câu hỏi: ${q.ref}`), p(`Mức độ: ${labels[q.difficulty]}`));
      if (q.type === 'multiple') body.push(p('Loại: Nhiều đáp án'));
    }
  }
  body.push(p('--- HẾT ---'));
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
      '_rels/.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
      'word/document.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body.join('')}</w:body></w:document>`,
      ),
    }),
  );
}

function isFormat(v: string): v is ImportFormat {
  return IMPORT_FORMATS.some((f) => f === v);
}

/**
 * `import --questions N [--format xlsx|docx|moodlexml|qti|…] [--stages]`: writes a generated
 * N-question file in the format (our own export), then a fresh server process imports it through
 * the HTTP route (dry run off) and reports the time of the import request, its own peak RSS and
 * the import process's. `--stages` first times the reading and the checking in-process.
 */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const n = Number(args.questions ?? 20000);
  const format = args.format ?? 'xlsx';
  if (!isFormat(format)) throw new Error(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  try {
    const file = join(dir, `bank.${format}`);
    const t0 = performance.now();
    const bank = generateBank(n);
    writeFileSync(file, format === 'docx' ? wordFile(bank) : await exportBank(format, bank));
    const genMs = Math.round(performance.now() - t0);
    const r = await runWorker(
      './importWorker.js',
      [file, dir, format, ...(args.stages !== undefined ? ['stages'] : [])],
      ImportRunSchema,
    );
    // a refused import (e.g. 413 for a file over the import limit) is a failed run, not a fast one
    if (r.status !== 200) throw new Error(`import refused: HTTP ${r.status} ${r.code ?? ''} (${statSync(file).size} bytes)`);
    return {
      scenario: 'import',
      format,
      fileBytes: statSync(file).size,
      questions: n,
      ms: r.ms,
      // the server process (route, write) and the import process it forks (reading and checking)
      peakRssMb: r.peakRssMb,
      importPeakRssMb: r.importPeakRssMb,
      created: r.created,
      errors: r.errors,
      generateMs: genMs,
      // --stages: timed in the bench process before the import (parse; parse again + clean and check)
      ...(r.parseMs !== undefined ? { stages: { parseMs: r.parseMs, prepareMs: r.prepareMs, cleanMs: r.cleanMs } } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
