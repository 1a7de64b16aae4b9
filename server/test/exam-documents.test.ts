import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AdmissionSlip,
  admissionSlipsPdf,
  FONT_POSTSCRIPT_NAME,
  formatDateTimeVi,
  pinSlipsPdf,
  type RoomListRoom,
  roomListPdf,
  roomListXlsx,
} from '../src/modules/exams/documents/index.js';

const has = (cmd: string) => spawnSync(cmd, ['-v'], { stdio: 'ignore' }).error === undefined;
const HAS_PDFTOTEXT = has('pdftotext');
const HAS_PDFTOPPM = has('pdftoppm');

const dir = mkdtempSync(join(tmpdir(), 'exam-docs-'));
afterAll(() => {
  // keep the rendered PNG for a look when asked to
  if (!process.env.KEEP_EXAM_DOCS) rmSync(dir, { recursive: true, force: true });
});

/** Text of the PDF (or of pages first..last) through pdftotext. */
function pdfText(pdf: Buffer, first?: number, last?: number): string {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const range = first !== undefined ? ['-f', String(first), '-l', String(last ?? first)] : [];
  const out = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8' });
  expect(out.status).toBe(0);
  return out.stdout;
}

function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

/** Every document embeds the DejaVu TrueType font (subset, /FontFile2), not a standard PDF font. */
function expectEmbeddedFont(pdf: Buffer): void {
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const raw = pdf.toString('latin1');
  expect(raw).toContain('/FontFile2');
  expect(raw).toMatch(new RegExp(`/BaseFont /[A-Z]{6}\\+${FONT_POSTSCRIPT_NAME}`));
  expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times-Roman|Courier)\b/);
}

const EXAM = {
  name: 'Kỳ thi tuyển công chức tỉnh Quảng Nam năm 2025',
  organisingBody: 'Sở Nội vụ tỉnh Quảng Nam',
  code: 'QN25',
};

const SLIPS: AdmissionSlip[] = [
  {
    number: 'QN250001',
    fullName: 'Nguyễn Thị Hồng Nhung',
    dateOfBirth: '1995-09-05',
    gender: 'female',
    idNumber: '049195012345',
    positionName: 'Chuyên viên quản lý đất đai',
    sittings: [
      {
        name: 'Ca 1 — Vòng 1',
        startsAt: '2025-06-02T07:30',
        roomName: 'Phòng máy 01',
        roomLocation: 'Trường Cao đẳng Quảng Nam',
        seatNo: 12,
        parts: ['Kiến thức chung', 'Ngoại ngữ'],
      },
      // with an offset: shown in Vietnam time (UTC+7)
      { name: 'Ca 3 — Vòng 2', startsAt: '2025-06-09T01:30:00Z', roomName: 'Phòng 204', roomLocation: '', seatNo: 3, parts: [] },
    ],
  },
  {
    number: 'QN250002',
    fullName: 'Đặng Quốc Dũng',
    dateOfBirth: '1990-01-31',
    gender: 'male',
    idNumber: '049090000001',
    positionName: 'Kế toán viên',
    sittings: [{ name: 'Ca 2', startsAt: '2025-06-02T13:30', roomName: 'Phòng máy 02', roomLocation: '', seatNo: 1, parts: [] }],
  },
];

const NAMES = ['Trần Văn Ấn', 'Lê Thị Ửng Hồng', 'Phạm Đức Hưng', 'Vũ Ngọc Ánh'];
const ROOMS: RoomListRoom[] = [
  {
    name: 'Phòng máy 01',
    location: 'Tầng 2, nhà A',
    rows: Array.from({ length: 45 }, (_, i) => ({
      seatNo: 45 - i, // given out of order: listed by seat
      number: `QN25${String(45 - i).padStart(4, '0')}`,
      fullName: NAMES[i % 4]!,
      dateOfBirth: `1994-12-${String((i % 28) + 1).padStart(2, '0')}`,
      gender: i % 2 ? 'male' : 'female',
    })),
  },
  {
    name: 'Phòng máy 02',
    location: '',
    rows: [{ seatNo: 1, number: 'QN250046', fullName: 'Đỗ Thị Yến', dateOfBirth: '2000-02-29', gender: 'female' }],
  },
];
const SITTING = { name: 'Ca 1', startsAt: '2025-06-02T07:30' };

describe('date formatting', () => {
  it('formats start times the Vietnamese way, in Vietnam time', () => {
    expect(formatDateTimeVi('2025-06-02T07:30')).toBe('07 giờ 30, Thứ Hai, ngày 02/06/2025');
    expect(formatDateTimeVi('2025-06-09T01:30:00Z')).toBe('08 giờ 30, Thứ Hai, ngày 09/06/2025');
    expect(formatDateTimeVi('2025-06-01T08:00:00+07:00')).toBe('08 giờ 00, Chủ Nhật, ngày 01/06/2025');
    expect(formatDateTimeVi('2025-06-01')).toBe('Chủ Nhật, ngày 01/06/2025');
  });
});

describe('admission slips (giấy báo dự thi)', () => {
  it('is a PDF with the Vietnamese font embedded, one page per candidate', async () => {
    const pdf = await admissionSlipsPdf(EXAM, SLIPS);
    expectEmbeddedFont(pdf);
    expect(pageCount(pdf)).toBe(2);
  });

  it.skipIf(!HAS_PDFTOTEXT && !process.env.CI)(
    'carries the heading, the details, the sittings, the rules and the signature block',
    async () => {
      const pdf = await admissionSlipsPdf(EXAM, SLIPS);
      const page1 = pdfText(pdf, 1);
      for (const s of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'SỞ NỘI VỤ TỈNH QUẢNG NAM',
        'GIẤY BÁO DỰ THI',
        EXAM.name,
        'QN250001',
        'Nguyễn Thị Hồng Nhung',
        '05/09/1995',
        'Nữ',
        '049195012345',
        'Chuyên viên quản lý đất đai',
        '07 giờ 30, Thứ Hai,',
        '08 giờ 30, Thứ Hai,',
        'Phòng máy 01',
        'Trường Cao đẳng Quảng Nam',
        'Kiến thức chung',
        'Căn cước công dân',
        'điện thoại di động',
        'CHỦ TỊCH HỘI ĐỒNG THI',
      ]) {
        expect(page1).toContain(s);
      }
      const page2 = pdfText(pdf, 2);
      expect(page2).toContain('Đặng Quốc Dũng');
      expect(page2).not.toContain('Nguyễn Thị Hồng Nhung');
    },
  );

  it.skipIf(!HAS_PDFTOPPM && !process.env.CI)('renders to an image', async () => {
    const pdf = await admissionSlipsPdf(EXAM, SLIPS);
    const file = join(dir, 'slip.pdf');
    writeFileSync(file, pdf);
    const out = spawnSync('pdftoppm', ['-r', '100', '-png', '-f', '1', '-l', '1', file, join(dir, 'slip')]);
    expect(out.status).toBe(0);
    const png = join(dir, 'slip-1.png');
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(png).size).toBeGreaterThan(10_000);
  });

  it('handles an empty list', async () => {
    const pdf = await admissionSlipsPdf(EXAM, []);
    expectEmbeddedFont(pdf);
    expect(pageCount(pdf)).toBe(1);
  });
});

describe('room list (danh sách thí sinh theo phòng thi)', () => {
  it('is a PDF with the font embedded; each room starts a page and a long room runs over', async () => {
    const pdf = await roomListPdf(EXAM, SITTING, ROOMS);
    expectEmbeddedFont(pdf);
    expect(pageCount(pdf)).toBe(3); // 45 rows on two pages, then the second room
  });

  it.skipIf(!HAS_PDFTOTEXT && !process.env.CI)(
    'lists each room in seat order and repeats the header row on each page',
    async () => {
      const pdf = await roomListPdf(EXAM, SITTING, ROOMS);
      const [p1, p2, p3] = [pdfText(pdf, 1), pdfText(pdf, 2), pdfText(pdf, 3)];
      for (const s of [
        'DANH SÁCH THÍ SINH THEO PHÒNG THI',
        'Phòng máy 01',
        'Tầng 2, nhà A',
        'Thứ Hai, ngày 02/06/2025',
        'Số thí sinh: 45',
      ]) {
        expect(p1).toContain(s);
      }
      for (const p of [p1, p2, p3]) {
        expect(p).toMatch(/STT\s+Máy\s/);
        expect(p).toContain('Họ và tên');
        expect(p).toContain('Ký tên');
      }
      expect(p1).toMatch(/1\s+1\s+QN250001\s+Trần Văn Ấn\s+17\/12\/1994\s+Nữ/);
      expect(p1.indexOf('QN250001')).toBeLessThan(p1.indexOf('QN250002'));
      expect(p2).toContain('Phòng máy 01 (tiếp theo)');
      expect(p2).toContain('QN250045');
      expect(p2).toContain('CÁN BỘ COI THI THỨ NHẤT');
      expect(p3).toContain('Phòng máy 02');
      expect(p3).toContain('Đỗ Thị Yến');
      expect(p3).not.toContain('QN250001');
    },
  );

  it.skipIf(!HAS_PDFTOTEXT && !process.env.CI)(
    'never splits a số báo danh, a date or a name across lines, for the longest real values',
    async () => {
      // a 10-character SBD, dd/mm/yyyy, a 40-character Vietnamese name
      const longName = 'Tôn Nữ Hoàng Phương Thảo Nguyên Khánh Ly';
      expect(longName.length).toBe(40);
      const pdf = await roomListPdf(EXAM, SITTING, [
        {
          name: 'Phòng máy 09',
          location: '',
          rows: [{ seatNo: 1, number: 'QN25NN0001', fullName: longName, dateOfBirth: '1988-11-30', gender: 'female' }],
        },
      ]);
      // each value read back whole on one line (pdftotext keeps the lines as drawn)
      const text = pdfText(pdf);
      expect(text).toContain('QN25NN0001');
      expect(text).toContain('30/11/1988');
      expect(text).toContain(longName);
    },
  );

  it('as XLSX: one sheet per room with Vietnamese headers', async () => {
    const xlsx = await roomListXlsx(EXAM, SITTING, [...ROOMS, { name: 'Phòng máy 01', location: '', rows: [] }]);
    const wb = XLSX.read(xlsx, { type: 'buffer' });
    expect(wb.SheetNames).toEqual(['Phòng máy 01', 'Phòng máy 02', 'Phòng máy 01 (2)']);
    const grid = XLSX.utils.sheet_to_json<(string | number)[]>(wb.Sheets['Phòng máy 01']!, { header: 1, defval: '' });
    expect(grid[1]?.[0]).toBe('DANH SÁCH THÍ SINH THEO PHÒNG THI');
    expect(grid[2]?.[0]).toBe(EXAM.name);
    expect(String(grid[4]?.[0])).toContain('Tầng 2, nhà A');
    expect(grid[6]).toEqual(['STT', 'Máy số', 'SBD', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Ký tên']);
    expect(grid[7]).toEqual([1, 1, 'QN250001', 'Trần Văn Ấn', '17/12/1994', 'Nữ', '']);
    expect(grid).toHaveLength(7 + 45);
  });
});

describe('PIN slips (phiếu mã đăng nhập)', () => {
  const rows = Array.from({ length: 12 }, (_, i) => ({
    number: `QN25${String(i + 1).padStart(4, '0')}`,
    fullName: NAMES[i % 4]!,
    roomName: 'Phòng máy 01',
    seatNo: i + 1,
    pin: `PIN${String(100000 + i)}`,
  }));

  it('prints ten cards per page with the font embedded', async () => {
    const pdf = await pinSlipsPdf(EXAM, rows);
    expectEmbeddedFont(pdf);
    expect(pageCount(pdf)).toBe(2);
  });

  it.skipIf(!HAS_PDFTOTEXT && !process.env.CI)('shows the title, the candidate and the PIN on each card', async () => {
    const pdf = await pinSlipsPdf(EXAM, rows);
    const text = pdfText(pdf);
    expect(text.match(/PHIẾU MÃ ĐĂNG NHẬP/g)).toHaveLength(12);
    expect(text).toContain('Lê Thị Ửng Hồng');
    expect(text).toMatch(/P\s?I\s?N\s?1\s?0\s?0\s?0\s?1\s?1/); // letter-spaced
  });
});
