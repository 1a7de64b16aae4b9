import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import { type BankFile, type BankQuestion, DIFFICULTIES, type ParsedImport, questionType } from '@exam/shared';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvTemplate, exportBank, parseImport, xlsxTemplate } from '../src/modules/banks/formats/index.js';

const strip = (p: ParsedImport): BankQuestion[] => p.questions.map(({ sourceRow: _, ...q }) => q);
const errors = (p: ParsedImport) => p.issues.filter((i) => i.severity === 'error');
const byCode = <T extends { code: string }>(xs: T[]) => [...xs].sort((a, b) => a.code.localeCompare(b.code));

/** A small bank touching every field: parent topic without questions, all three types, pinned, partial credit. */
const SAMPLE: BankFile = {
  format: 'vn-exam-bank/1',
  subject: { code: 'KTC', name: 'Kiến thức chung' },
  topics: [
    { code: 'HP2013', name: 'Bộ máy nhà nước theo Hiến pháp 2013' },
    { code: 'HP2013-QH', name: 'Quốc hội', parent: 'HP2013' },
    { code: 'CBCC', name: 'Luật Cán bộ, công chức' },
  ],
  questions: [
    {
      ref: 'KTC-0001',
      type: 'single',
      topic: 'HP2013-QH',
      difficulty: 'nhan_biet',
      stem: '<p>Cơ quan nào là cơ quan <b>đại biểu cao nhất</b> của Nhân dân?</p>',
      options: [
        { text: 'Quốc hội', correct: true },
        { text: 'Chính phủ', correct: false },
        { text: 'Tòa án nhân dân tối cao', correct: false },
        { text: 'Tất cả các phương án trên', correct: false, pinned: true },
      ],
      explanation: '<p>Điều 69 Hiến pháp 2013: Quốc hội là cơ quan đại biểu cao nhất của Nhân dân; {x} = y: ~z #1</p>',
      legalBasis: 'Điều 69 Hiến pháp năm 2013',
      tags: ['hiến pháp', 'quốc hội'],
      status: 'approved',
    },
    {
      ref: 'KTC-0002',
      type: 'multiple',
      topic: 'CBCC',
      difficulty: 'van_dung_cao',
      stem: 'Những ai là cán bộ, công chức?\nChọn tất cả phương án đúng.',
      options: [
        { text: 'Chủ tịch UBND xã', correct: true },
        { text: 'Công chức cấp xã', correct: true },
        { text: 'Người lao động hợp đồng', correct: false },
        { text: '=1+1 (không phải công thức)', correct: false },
        { text: '-5 °C', correct: false },
      ],
      partialCredit: true,
      tags: ['cbcc'],
      status: 'draft',
    },
    {
      ref: 'KTC-0003',
      type: 'true_false',
      topic: 'HP2013-QH',
      difficulty: 'thong_hieu',
      stem: 'Nhiệm kỳ của mỗi khóa Quốc hội là 5 năm.',
      options: [
        { text: 'Đúng', correct: true },
        { text: 'Sai', correct: false },
      ],
    },
    {
      ref: 'KTC-0004',
      type: 'multiple',
      topic: 'CBCC',
      difficulty: 'van_dung',
      stem: 'Chọn hai ý đúng, "all-or-nothing".',
      options: [
        { text: 'Một', correct: true },
        { text: 'Hai', correct: false },
        { text: 'Ba', correct: true },
      ],
    },
    {
      ref: 'KTC-0005',
      type: 'true_false',
      topic: 'CBCC',
      difficulty: 'nhan_biet',
      stem: 'Công chức được tham gia thành lập doanh nghiệp tư nhân.',
      options: [
        { text: 'Đúng', correct: false },
        { text: 'Sai', correct: true },
      ],
      status: 'submitted',
    },
  ],
};

async function xlsxFromRows(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function generatedBank(n: number): BankFile {
  const topics = Array.from({ length: 10 }, (_, i) => ({ code: `T${i + 1}`, name: `Chuyên đề ${i + 1}` }));
  const questions: BankQuestion[] = [];
  for (let i = 0; i < n; i++) {
    const base = {
      ref: `GEN-${String(i + 1).padStart(6, '0')}`,
      topic: `T${(i % 10) + 1}`,
      difficulty: DIFFICULTIES[i % 4] ?? 'nhan_biet',
      stem: `<p>Câu hỏi số ${i + 1}: theo quy định hiện hành, phương án nào dưới đây là đúng về nội dung thứ ${i % 97}?</p>`,
      explanation: 'Giải thích ngắn cho câu hỏi.',
      legalBasis: `Điều ${(i % 80) + 1} Luật Cán bộ, công chức`,
      tags: ['bench'],
      status: 'approved' as const,
    };
    if (i % 10 === 8) {
      questions.push({
        ...base,
        type: 'true_false',
        options: [
          { text: 'Đúng', correct: i % 2 === 0 },
          { text: 'Sai', correct: i % 2 !== 0 },
        ],
      });
    } else if (i % 10 === 9) {
      questions.push({
        ...base,
        type: 'multiple',
        options: [1, 2, 3, 4].map((k) => ({ text: `Phương án thứ ${k} của câu ${i + 1}`, correct: k <= 2 })),
      });
    } else {
      questions.push({
        ...base,
        type: 'single',
        options: [0, 1, 2, 3].map((k) => ({ text: `Phương án ${k + 1} của câu ${i + 1}`, correct: k === i % 4 })),
      });
    }
  }
  return { format: 'vn-exam-bank/1', subject: { code: 'GEN', name: 'Sinh tự động' }, topics, questions };
}

describe('XLSX', () => {
  it('reads a hand-made sheet: headers by name in any order, rich text, numbers, Đúng/Sai with blank options, empty rows', async () => {
    const data = await xlsxFromRows([
      // shuffled headers, some without diacritics / in other case
      [
        'Ma cau hoi',
        'Loại câu hỏi',
        'MỨC ĐỘ',
        'Mã chuyên đề',
        'Tên chuyên đề',
        'Nội dung câu hỏi',
        'Phương án A',
        'Phương án B',
        'Phương án C',
        'Đáp án đúng',
        'Thẻ',
        'Cột lạ',
      ],
      [
        1001,
        'Một đáp án',
        'nhan biet',
        'QH',
        'Quốc hội',
        { richText: [{ text: 'Cơ quan ' }, { font: { bold: true }, text: 'cao nhất' }, { text: '?' }] },
        'Quốc hội',
        'Chính phủ',
        '',
        'a',
        'hiến pháp, quốc hội',
        'bỏ qua',
      ],
      [],
      ['', 'Đúng/Sai', 'Thông hiểu', 'QH', '', 'Nhiệm kỳ Quốc hội là 5 năm', '', '', '', 'A', '', ''],
      ['Q-3', 'multiple', 'van_dung_cao', 'QH', 'Quốc hội', 'Chọn số chẵn', 2, 3, 4, 'A, C', '', ''],
    ]);
    const p = await parseImport('xlsx', data);
    expect(p.issues).toEqual([]);
    expect(p.topics).toEqual([{ code: 'QH', name: 'Quốc hội' }]);
    expect(p.questions).toEqual([
      {
        ref: '1001',
        type: 'single',
        topic: 'QH',
        difficulty: 'nhan_biet',
        stem: 'Cơ quan cao nhất?',
        options: [
          { text: 'Quốc hội', correct: true },
          { text: 'Chính phủ', correct: false },
        ],
        tags: ['hiến pháp', 'quốc hội'],
        sourceRow: 2,
      },
      {
        ref: 'ROW-4',
        type: 'true_false',
        topic: 'QH',
        difficulty: 'thong_hieu',
        stem: 'Nhiệm kỳ Quốc hội là 5 năm',
        options: [
          { text: 'Đúng', correct: true },
          { text: 'Sai', correct: false },
        ],
        sourceRow: 4,
      },
      {
        ref: 'Q-3',
        type: 'multiple',
        topic: 'QH',
        difficulty: 'van_dung_cao',
        stem: 'Chọn số chẵn',
        options: [
          { text: '2', correct: true },
          { text: '3', correct: false },
          { text: '4', correct: true },
        ],
        sourceRow: 5,
      },
    ]);
  });

  it('reports a bad row with its row number and Vietnamese column name, and keeps the good rows', async () => {
    const head = [
      'Mã câu hỏi',
      'Mã chuyên đề',
      'Tên chuyên đề',
      'Loại câu hỏi',
      'Mức độ',
      'Nội dung câu hỏi',
      'Phương án A',
      'Phương án B',
      'Phương án C',
      'Phương án D',
      'Đáp án đúng',
    ];
    const data = await xlsxFromRows([
      head,
      ['A1', 'T1', 'Chuyên đề 1', 'Một đáp án', 'Nhận biết', 'Câu 1', 'x', 'y', '', '', 'A'],
      ['A2', 'T1', 'Chuyên đề 1', 'Một đáp án', 'Khó', 'Câu 2', 'x', 'y', '', '', 'B'],
      ['A3', 'T1', 'Tên khác', 'Một đáp án', 'Nhận biết', 'Câu 3', 'x', 'y', '', 'z', 'G'],
      ['A4', 'T1', '', 'Tự luận', 'Vận dụng', 'Câu 4', 'x', 'y', '', '', 'C'],
    ]);
    const p = await parseImport('xlsx', data);
    expect(p.questions.map((q) => q.ref)).toEqual(['A1']);
    expect(p.issues.every((i) => i.severity === 'error')).toBe(true);
    expect(p.issues.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
      { row: 3, column: 'Mức độ', code: 'DIFFICULTY_INVALID' },
      { row: 4, column: 'Tên chuyên đề', code: 'TOPIC_NAME_CONFLICT' },
      { row: 4, column: 'Phương án C', code: 'OPTION_GAP' },
      { row: 4, column: 'Đáp án đúng', code: 'CORRECT_INVALID' },
      { row: 5, column: 'Loại câu hỏi', code: 'TYPE_INVALID' },
      { row: 5, column: 'Đáp án đúng', code: 'CORRECT_OPTION_EMPTY' },
    ]);
    expect(p.issues[0]?.message).toBe(
      'Mức độ "Khó" không hợp lệ; chỉ dùng "Nhận biết", "Thông hiểu", "Vận dụng", "Vận dụng cao"',
    );

    const noAnswerCol = await xlsxFromRows([head.slice(0, -1), ['A1', 'T1', '', 'Một đáp án', 'Nhận biết', 'Câu 1', 'x', 'y']]);
    const q = await parseImport('xlsx', noAnswerCol);
    expect(q.questions).toEqual([]);
    expect(q.issues).toEqual([
      {
        row: 1,
        column: 'Đáp án đúng',
        code: 'COLUMN_MISSING',
        message: 'Thiếu cột bắt buộc "Đáp án đúng" trong dòng tiêu đề (dòng 1)',
        severity: 'error',
      },
    ]);
  });

  it('reads workbooks written by other tools: guide sheet first, numbers, booleans, formula results', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Cột'], ['Giải thích']]), 'Hướng dẫn');
    const ws = XLSX.utils.aoa_to_sheet([
      ['Mã câu hỏi', 'Mã chuyên đề', 'Loại câu hỏi', 'Mức độ', 'Nội dung câu hỏi', 'Phương án A', 'Phương án B', 'Đáp án đúng'],
      [],
      [42, { t: 's', f: '"T"&"1"', v: 'T1' }, 'Một đáp án', 'nhận biết', '<p>Tom & Jerry ẠẠ của</p>', true, 'a\nc', 'B'],
    ]);
    XLSX.utils.book_append_sheet(wb, ws, 'Dữ liệu');
    const data = Buffer.from(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Uint8Array);
    const p = await parseImport('xlsx', data);
    expect(p.issues).toEqual([]);
    expect(p.questions).toEqual([
      {
        ref: '42',
        type: 'single',
        topic: 'T1',
        difficulty: 'nhan_biet',
        stem: '<p>Tom & Jerry ẠẠ của</p>',
        options: [
          { text: 'TRUE', correct: false },
          { text: 'a\nc', correct: true },
        ],
        sourceRow: 3,
      },
    ]);
  });

  it('reports a file that is not a workbook', async () => {
    const p = await parseImport('xlsx', Buffer.from('không phải excel'));
    expect(p.issues.map((i) => i.code)).toEqual(['XLSX_INVALID']);
  });

  it('round-trips a bank (questions deep-equal, topics kept)', async () => {
    const p = await parseImport('xlsx', await exportBank('xlsx', SAMPLE));
    expect(p.issues).toEqual([]);
    expect(strip(p)).toEqual(SAMPLE.questions);
    expect(byCode(p.topics)).toEqual(byCode(SAMPLE.topics));
  });

  it('template: Vietnamese headers, a "Hướng dẫn" sheet, and example rows that are valid questions', async () => {
    const buf = await xlsxTemplate();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Câu hỏi', 'Hướng dẫn']);
    expect(wb.worksheets[0]?.getRow(1).getCell(1).text).toBe('Mã câu hỏi');
    expect(wb.worksheets[1]?.getCell('A1').text).toBe('Cột');

    const p = await parseImport('xlsx', buf);
    expect(p.issues).toEqual([]);
    expect(p.questions.length).toBeGreaterThan(0);
    for (const q of p.questions) {
      const content = { ...q, options: q.options.map((o, i) => ({ ...o, id: String.fromCharCode(65 + i) })) };
      expect(questionType(q.type).validateContent(content)).toEqual([]);
    }
    expect(p.topics.map((t) => t.code).sort()).toEqual(['HP2013', 'HP2013-QH']);
  });

  it('parses a 20,000-question workbook (timing printed, not asserted)', async () => {
    const bank = generatedBank(20_000);
    let t0 = performance.now();
    const data = await exportBank('xlsx', bank);
    const writeMs = performance.now() - t0;
    t0 = performance.now();
    const p = await parseImport('xlsx', data);
    const readMs = performance.now() - t0;
    console.log(
      `XLSX 20,000 câu: ghi ${Math.round(writeMs)} ms, đọc ${Math.round(readMs)} ms, ${(data.length / 1024 / 1024).toFixed(1)} MB`,
    );
    expect(p.issues).toEqual([]);
    expect(p.questions).toHaveLength(20_000);
    expect(strip(p)[19_999]).toEqual(bank.questions[19_999]);
  });
});

describe('CSV', () => {
  it('reads UTF-8 with BOM, quoted cells with commas and line breaks', async () => {
    const csv =
      '\uFEFFMã câu hỏi,Mã chuyên đề,Tên chuyên đề,Loại câu hỏi,Mức độ,Nội dung câu hỏi,Phương án A,Phương án B,Phương án C,Đáp án đúng,Phương án cố định,Chấm điểm từng phần,Trạng thái\r\n' +
      'C1,CBCC,"Cán bộ, công chức",Nhiều đáp án,Vận dụng,"Dòng 1\nDòng 2, có ""ngoặc""",Một,Hai,Tất cả,"A,B",C,Có,Chờ duyệt\r\n' +
      ',,,,,,,,,,,,\r\n' +
      'C2,CBCC,,true_false,thong_hieu,Đúng hay sai?,Đúng,Sai,,Sai,,,\r\n';
    const p = await parseImport('csv', Buffer.from(csv, 'utf8'));
    expect(p.issues).toEqual([]);
    expect(p.topics).toEqual([{ code: 'CBCC', name: 'Cán bộ, công chức' }]);
    expect(p.questions).toEqual([
      {
        ref: 'C1',
        type: 'multiple',
        topic: 'CBCC',
        difficulty: 'van_dung',
        stem: 'Dòng 1\nDòng 2, có "ngoặc"',
        options: [
          { text: 'Một', correct: true },
          { text: 'Hai', correct: true },
          { text: 'Tất cả', correct: false, pinned: true },
        ],
        partialCredit: true,
        status: 'submitted',
        sourceRow: 2,
      },
      {
        ref: 'C2',
        type: 'true_false',
        topic: 'CBCC',
        difficulty: 'thong_hieu',
        stem: 'Đúng hay sai?',
        options: [
          { text: 'Đúng', correct: false },
          { text: 'Sai', correct: true },
        ],
        sourceRow: 4,
      },
    ]);
  });

  it('round-trips a bank and writes a BOM', async () => {
    const buf = await exportBank('csv', SAMPLE);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const p = await parseImport('csv', buf);
    expect(p.issues).toEqual([]);
    expect(strip(p)).toEqual(SAMPLE.questions);
    expect(byCode(p.topics)).toEqual(byCode(SAMPLE.topics));
  });

  it('template parses back to valid questions', async () => {
    const p = await parseImport('csv', await csvTemplate());
    expect(p.issues).toEqual([]);
    expect(p.questions.length).toBeGreaterThan(0);
  });

  it('rejects a file that is not UTF-8 instead of garbling Vietnamese', async () => {
    const latin1 = Buffer.from('M\xe3 chuy\xean \u0111\u1ec1\n', 'latin1');
    const p = await parseImport('csv', latin1);
    expect(p.issues.map(({ row, code }) => ({ row, code }))).toEqual([{ row: 0, code: 'ENCODING_INVALID' }]);
  });

  it('neutralizes formula-like cells on export and restores them on import; accepts ";" as separator', async () => {
    const text = (await exportBank('csv', SAMPLE)).toString('utf8');
    expect(text).toContain(",'=1+1 (không phải công thức),'-5 °C,");
    const semi =
      'Mã chuyên đề;Loại câu hỏi;Mức độ;Nội dung câu hỏi;Phương án A;Phương án B;Đáp án đúng\nT;Một đáp án;Nhận biết;Câu?;x;y;B\n';
    const p = await parseImport('csv', Buffer.from(semi));
    expect(p.issues).toEqual([]);
    expect(p.questions[0]?.options).toEqual([
      { text: 'x', correct: false },
      { text: 'y', correct: true },
    ]);
  });

  it('shares the bad-row reporting with XLSX', async () => {
    const csv =
      'Mã chuyên đề,Loại câu hỏi,Mức độ,Nội dung câu hỏi,Phương án A,Phương án B,Đáp án đúng\nT,Một đáp án,Nhận biết,Câu?,x,y,\n';
    const p = await parseImport('csv', Buffer.from(csv));
    expect(p.issues.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
      { row: 2, column: 'Đáp án đúng', code: 'CORRECT_REQUIRED' },
    ]);
  });
});

describe('Aiken', () => {
  const sample = [
    'Cơ quan nào là cơ quan đại biểu cao nhất của Nhân dân?',
    'A. Chính phủ',
    'B) Quốc hội',
    'C. Tòa án nhân dân tối cao',
    'ANSWER: B',
    '',
    'Nhiệm kỳ Quốc hội là 5 năm.',
    'A. Đúng',
    'B. Sai',
    'ANSWER: A',
    '',
    'Câu thiếu đáp án',
    'A. x',
    'B. y',
    '',
    'Câu sai thứ tự',
    'A. x',
    'C. y',
    'ANSWER: A',
    '',
    'Câu đáp án lạ',
    'A. x',
    'B. y',
    'ANSWER: E',
    '',
  ].join('\r\n');

  it('parses questions and reports malformed blocks by line', async () => {
    const p = await parseImport('aiken', Buffer.from(sample), { defaultTopic: 'QH', defaultDifficulty: 'nhan_biet' });
    expect(strip(p).map(({ ref: _, ...q }) => q)).toEqual([
      {
        type: 'single',
        topic: 'QH',
        difficulty: 'nhan_biet',
        stem: 'Cơ quan nào là cơ quan đại biểu cao nhất của Nhân dân?',
        options: [
          { text: 'Chính phủ', correct: false },
          { text: 'Quốc hội', correct: true },
          { text: 'Tòa án nhân dân tối cao', correct: false },
        ],
      },
      {
        type: 'true_false',
        topic: 'QH',
        difficulty: 'nhan_biet',
        stem: 'Nhiệm kỳ Quốc hội là 5 năm.',
        options: [
          { text: 'Đúng', correct: true },
          { text: 'Sai', correct: false },
        ],
      },
    ]);
    expect(p.questions.map((q) => q.sourceRow)).toEqual([1, 7]);
    expect(p.questions[0]?.ref).toMatch(/^AIKEN-[0-9A-F]{10}$/);
    expect(p.issues.map(({ row, code, severity }) => ({ row, code, severity }))).toEqual([
      { row: 12, code: 'AIKEN_ANSWER_MISSING', severity: 'error' },
      { row: 18, code: 'AIKEN_OPTION_ORDER', severity: 'error' },
      { row: 24, code: 'AIKEN_ANSWER_INVALID', severity: 'error' },
    ]);
  });

  it('needs a default topic and difficulty', async () => {
    const p = await parseImport('aiken', Buffer.from(sample.split('\r\n\r\n')[0] ?? ''));
    expect(p.questions).toEqual([]);
    expect(p.issues.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
      { row: 1, column: 'topic', code: 'TOPIC_REQUIRED' },
      { row: 1, column: 'difficulty', code: 'DIFFICULTY_REQUIRED' },
    ]);
  });

  it('round-trips single and true/false questions as plain text; multiple-answer ones are skipped', async () => {
    const text = (await exportBank('aiken', SAMPLE)).toString('utf8');
    expect(text).not.toContain('<p>');
    expect(text).not.toContain('KTC-0002');
    const p = await parseImport('aiken', Buffer.from(text), { defaultTopic: 'X', defaultDifficulty: 'van_dung' });
    expect(p.issues).toEqual([]);
    const expected = SAMPLE.questions
      .filter((q) => q.type !== 'multiple')
      .map((q) => ({
        type: q.type,
        stem: q.stem.replace(/<[^>]*>/g, ''),
        options: q.options.map((o) => ({ text: o.text, correct: o.correct })),
      }));
    expect(p.questions.map((q) => ({ type: q.type, stem: q.stem, options: q.options }))).toEqual(expected);
  });
});

describe('GIFT', () => {
  const sample = [
    '// Ngân hàng thử', // 1
    '$CATEGORY: $course$/top/HP2013', // 2
    '', // 3
    '::KTC-1:: Cơ quan nào là cơ quan đại biểu cao nhất? {', // 4
    '=Quốc hội', // 5
    '~Chính phủ # sai rồi', // 6
    '~Tòa án', // 7
    '####Điều 69 Hiến pháp 2013', // 8
    '}', // 9
    '', // 10
    '// [tag:cbcc] [tag:hiến pháp]', // 11
    '::KTC-2:: Chọn các số chẵn {~%50%2 ~%50%4 ~%-50%3}', // 12
    '', // 13
    'Trái đất quay quanh Mặt trời. {TRUE}', // 14
    '', // 15
    '::E1:: Trình bày vai trò của Quốc hội. {}', // 16
    '', // 17
    'Câu lỗi cú pháp {=a ~b', // 18
    '', // 19
    '$CATEGORY: CBCC', // 20
    '', // 21
    '::KTC-3:: Câu sai {F}', // 22
    '', // 23
    'Thủ đô của Việt Nam? {=Hà Nội =Hanoi}', // 24
    '',
  ].join('\n');

  it('parses MC, multiple-answer and true/false as Moodle does; skips other types and reports errors with their lines', async () => {
    const p = await parseImport('gift', Buffer.from(sample), { defaultDifficulty: 'thong_hieu' });
    // category names become topics with short generated codes
    expect(p.topics).toEqual([
      { code: 'HP2013', name: 'HP2013' },
      { code: 'CBCC', name: 'CBCC' },
    ]);
    const qs = strip(p);
    // a title is a title, not the ref: refs are generated from the content
    expect(qs[0]).toEqual({
      ref: expect.stringMatching(/^GIFT-[0-9A-F]{10}$/),
      title: 'KTC-1',
      type: 'single',
      topic: 'HP2013',
      difficulty: 'thong_hieu',
      stem: 'Cơ quan nào là cơ quan đại biểu cao nhất?',
      options: [
        { text: 'Quốc hội', correct: true },
        { text: 'Chính phủ', correct: false },
        { text: 'Tòa án', correct: false },
      ],
      explanation: 'Điều 69 Hiến pháp 2013',
    });
    expect(qs[1]).toMatchObject({
      title: 'KTC-2',
      type: 'multiple',
      topic: 'HP2013',
      stem: 'Chọn các số chẵn',
      options: [
        { text: '2', correct: true },
        { text: '4', correct: true },
        { text: '3', correct: false },
      ],
      partialCredit: true,
      tags: ['cbcc', 'hiến pháp'],
    });
    expect(qs[2]).toMatchObject({
      type: 'true_false',
      topic: 'HP2013',
      options: [
        { text: 'Đúng', correct: true },
        { text: 'Sai', correct: false },
      ],
    });
    expect(qs[3]).toMatchObject({
      title: 'KTC-3',
      type: 'true_false',
      topic: 'CBCC',
      options: [{ correct: false }, { correct: true }],
    });
    expect(p.questions.map((q) => q.sourceRow)).toEqual([4, 12, 14, 22]);

    expect(p.issues.map(({ row, code, severity }) => ({ row, code, severity }))).toEqual([
      { row: 16, code: 'GIFT_UNSUPPORTED_TYPE', severity: 'skipped' },
      { row: 18, code: 'GIFT_BRACE', severity: 'error' },
      { row: 24, code: 'GIFT_UNSUPPORTED_TYPE', severity: 'skipped' },
    ]);
    expect(p.issues[0]?.message).toContain('tự luận');
    expect(p.issues[2]?.message).toContain('trả lời ngắn');
  });

  it('needs a topic ($CATEGORY or default) and a default difficulty', async () => {
    const p = await parseImport('gift', Buffer.from('Câu hỏi {T}\n'));
    expect(p.issues.map((i) => i.code)).toEqual(['TOPIC_REQUIRED', 'DIFFICULTY_REQUIRED']);
    const ok = await parseImport('gift', Buffer.from('Câu hỏi {T}\n'), { defaultTopic: 'T', defaultDifficulty: 'van_dung' });
    expect(ok.issues).toEqual([]);
    expect(ok.questions[0]).toMatchObject({ topic: 'T', difficulty: 'van_dung' });
    // with $CATEGORY no default topic is needed
    const cat = await parseImport('gift', Buffer.from('$CATEGORY: Hiến pháp, Quốc hội\n\nCâu hỏi {T}\n'), {
      defaultDifficulty: 'van_dung',
    });
    expect(cat.issues).toEqual([]);
    expect(cat.topics).toEqual([{ code: 'HIEN-PHAP-QUOC', name: 'Hiến pháp, Quốc hội' }]);
  });

  it('reads an unescaped colon in a stem as Moodle does (only a leading ::title:: is a title)', async () => {
    const p = await parseImport(
      'gift',
      Buffer.from('Theo Điều 8: cơ quan nào? {=Quốc hội ~Chính phủ}\n\n::T:: Giờ: 8:30 là? {=sáng ~tối}\n'),
      {
        defaultTopic: 'T',
        defaultDifficulty: 'nhan_biet',
      },
    );
    expect(p.issues).toEqual([]);
    expect(p.questions.map((q) => [q.title, q.stem])).toEqual([
      [undefined, 'Theo Điều 8: cơ quan nào?'],
      ['T', 'Giờ: 8:30 là?'],
    ]);
  });

  it('round-trips all three types with escaping (within what GIFT holds)', async () => {
    const text = (await exportBank('gift', SAMPLE)).toString('utf8');
    expect(text).toContain('$CATEGORY: Bộ máy nhà nước theo Hiến pháp 2013/Quốc hội');
    // into a subject that has the topics: categories are matched by name, so the codes come back
    const p = await parseImport('gift', Buffer.from(text), { defaultDifficulty: 'nhan_biet', existingTopics: SAMPLE.topics });
    expect(p.issues).toEqual([]);
    expect(p.topics).toEqual([]);
    // GIFT holds ref ([id:]), type, topic, stem, options + right answers, partial credit, explanation, tags
    const expected = SAMPLE.questions.map((q) => {
      const e: BankQuestion = {
        ref: q.ref,
        type: q.type,
        topic: q.topic,
        difficulty: 'nhan_biet',
        stem: q.stem,
        options: q.options.map((o) => ({ text: o.text, correct: o.correct })),
      };
      if (q.partialCredit) e.partialCredit = true;
      if (q.explanation) e.explanation = q.explanation;
      if (q.tags) e.tags = q.tags;
      return e;
    });
    const order = (qs: BankQuestion[]) => [...qs].sort((a, b) => a.ref.localeCompare(b.ref));
    expect(order(strip(p))).toEqual(order(expected));
  });
});

describe('JSON', () => {
  it('reads the bundled bank files without issues', async () => {
    for (const file of ['tin-hoc.json', 'tieng-anh.json']) {
      const data = readFileSync(new URL(`../../question-banks/${file}`, import.meta.url));
      const p = await parseImport('json', data);
      expect(p.issues).toEqual([]);
      expect(p.questions.length).toBeGreaterThan(0);
      expect(p.subject?.code).toBeTruthy();
    }
  });

  it('export → import → export is byte-identical', async () => {
    const first = await exportBank('json', SAMPLE);
    const p = await parseImport('json', first);
    expect(p.issues).toEqual([]);
    expect(strip(p)).toEqual(SAMPLE.questions);
    const again = await exportBank('json', {
      format: 'vn-exam-bank/1',
      subject: p.subject ?? { code: '', name: '' },
      topics: p.topics,
      questions: strip(p),
    });
    expect(again.equals(first)).toBe(true);
    expect(first.toString('utf8').endsWith('}\n')).toBe(true);
    // FORMAT.md key order
    const keys = Object.keys((JSON.parse(first.toString('utf8')) as { questions: Record<string, unknown>[] }).questions[0] ?? {});
    expect(keys).toEqual([
      'ref',
      'type',
      'topic',
      'difficulty',
      'stem',
      'options',
      'explanation',
      'legalBasis',
      'tags',
      'status',
    ]);
  });

  it('reports schema errors with question index + 1 and the JSON path', async () => {
    const doc = {
      format: 'vn-exam-bank/1',
      subject: { code: 'KTC', name: '' },
      topics: [{ code: 'T', name: 'Chủ đề' }],
      questions: [
        SAMPLE.questions[0],
        { ...SAMPLE.questions[2], difficulty: 'kho', options: [{ text: 1, correct: true }] },
        { ...SAMPLE.questions[3], extra: true },
      ],
    };
    const p = await parseImport('json', Buffer.from(JSON.stringify(doc)));
    expect(p.questions.map((q) => q.ref)).toEqual(['KTC-0001']);
    expect(errors(p).map(({ row, column, code }) => ({ row, column, code }))).toEqual([
      { row: 0, column: 'subject.name', code: 'JSON_EMPTY' },
      { row: 2, column: 'difficulty', code: 'JSON_VALUE' },
      { row: 2, column: 'options[0].text', code: 'JSON_TYPE' },
      { row: 3, column: 'extra', code: 'JSON_UNKNOWN_FIELD' },
    ]);
    expect(errors(p)[1]?.message).toContain('nhan_biet, thong_hieu, van_dung, van_dung_cao');

    const broken = await parseImport('json', Buffer.from('{"format": '));
    expect(broken.issues.map(({ row, code }) => ({ row, code }))).toEqual([{ row: 0, code: 'JSON_SYNTAX' }]);
  });
});

describe('Word (.docx) read in pieces', () => {
  // a large Word file is cut into pieces at question starts, each read by mammoth on its own
  // (docxPieces.ts), so that mammoth's memory stays bounded: the questions, their paragraph
  // numbers, tables and images must be exactly those of the file read whole
  it('gives the same questions, issues and paragraph numbers as the file read whole', async () => {
    const { parseDocx } = await import('../src/modules/banks/formats/docxParse.js');
    const { docxPieces } = await import('../src/modules/banks/formats/docxPieces.js');
    const { strFromU8, unzipSync } = await import('fflate');
    const sample = readFileSync(new URL('../../question-banks/mau-ngan-hang-word.docx', import.meta.url));
    const bank: BankFile = JSON.parse(
      readFileSync(new URL('../../question-banks/kien-thuc-chung.json', import.meta.url), 'utf8'),
    );
    const exported = await exportBank('docx', bank);
    for (const data of [sample, exported]) {
      const pieces = docxPieces(data, 3000);
      expect(pieces.length).toBeGreaterThan(1);
      for (const piece of pieces.slice(1)) {
        const xml = strFromU8(unzipSync(new Uint8Array(piece))['word/document.xml'] ?? new Uint8Array());
        const body = xml.slice(xml.indexOf('<w:body>') + '<w:body>'.length);
        // every piece after the first starts with a question's paragraph
        expect(body.replace(/<[^>]+>/g, '').trimStart()).toMatch(/^Câu\s*\d/);
      }
      const opts = { defaultTopic: 'T', defaultDifficulty: 'nhan_biet' as const };
      const whole = await parseDocx(data, opts, Number.MAX_SAFE_INTEGER);
      const inPieces = await parseDocx(data, opts, 3000);
      expect(whole.questions.length).toBeGreaterThan(0);
      expect(inPieces).toEqual(whole);
    }
    // the images of the sample travel with the pieces that show them
    const { questions } = await parseDocx(sample, { defaultTopic: 'T', defaultDifficulty: 'nhan_biet' }, 3000);
    expect(questions.some((q) => /<img [^>]*src="data:image\//.test(`${q.stem}${q.options.map((o) => o.text).join('')}`))).toBe(
      true,
    );
  }, 120_000);
});
