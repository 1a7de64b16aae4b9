/**
 * Cell readers for the candidate list: dates, yes/no, numbers, ID numbers, grades, ratings. Each
 * returns the value or null when the text is not understood; the caller reports the problem.
 */
import { CIVIL_SERVICE_GRADES, GRADE_CODES, type GradeCode, isGradeCode, RATING_LABELS, type Rating } from '@exam/shared';
import { fold, LabelLookup } from '../../banks/formats/common.js';

/** A cell as read: its formatted text and its raw value (a number for numeric and date cells). */
export interface Cell {
  text: string;
  raw: unknown;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function isoOf(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A valid calendar date in ISO form (YYYY-MM-DD)? */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && isoOf(Number(m[1]), Number(m[2]), Number(m[3])) === s;
}

/** ISO date → dd/mm/yyyy. */
export function isoToVi(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** An Excel date serial (whole days) → ISO date. The 1900 system counts the phantom 29/2/1900. */
export function excelSerialToIso(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 1) return null;
  const days = Math.floor(serial);
  const base = date1904 ? Date.UTC(1904, 0, 1) : days < 61 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(base + days * 86_400_000);
  return isoOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * A date as dd/mm/yyyy (also d/m/yyyy, with - or . as separator), an Excel date cell, or ISO
 * yyyy-mm-dd (a time part is ignored). Returns YYYY-MM-DD or null.
 */
export function readDate(cell: Cell, date1904: boolean): string | null {
  if (typeof cell.raw === 'number') return excelSerialToIso(cell.raw, date1904);
  if (cell.raw instanceof Date && !Number.isNaN(cell.raw.getTime())) {
    return isoOf(cell.raw.getFullYear(), cell.raw.getMonth() + 1, cell.raw.getDate());
  }
  const s = cell.text.trim();
  const vi = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(s);
  if (vi) return isoOf(Number(vi[3]), Number(vi[2]), Number(vi[1]));
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (iso) return isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  return null;
}

const YES = new Set(['co', 'x', 'yes', 'y', '1', 'true', 'dung']);
const NO = new Set(['khong', 'no', 'n', '0', 'false', 'sai', '']);

/** "Có"/"Không" (also x, yes/no, 1/0); blank is "Không". null when not understood. */
export function readYesNo(cell: Cell): boolean | null {
  if (typeof cell.raw === 'boolean') return cell.raw;
  const f = fold(cell.text);
  if (YES.has(f)) return true;
  if (NO.has(f)) return false;
  return null;
}

/** A non-negative number; a decimal comma is accepted ("9,5"). */
export function readNumber(cell: Cell): number | null {
  if (typeof cell.raw === 'number') return Number.isFinite(cell.raw) && cell.raw >= 0 ? cell.raw : null;
  const s = cell.text.trim().replace(/\s+/g, '').replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

export type IdNumberResult = { ok: true; value: string } | { ok: false; lostLeadingZero: boolean };

/** CCCD (12 digits) or CMND (9 digits); spaces and dots are ignored. */
export function readIdNumber(cell: Cell): IdNumberResult {
  const isNumberCell = typeof cell.raw === 'number';
  const s = isNumberCell ? String(cell.raw) : cell.text.replace(/[\s.]/g, '');
  if (/^(\d{9}|\d{12})$/.test(s)) return { ok: true, value: s };
  return { ok: false, lostLeadingZero: isNumberCell && /^\d{8}$|^\d{10,11}$/.test(s) };
}

const GRADE_LOOKUP = new LabelLookup<GradeCode>(
  Object.fromEntries(
    GRADE_CODES.map((g) => [g, [CIVIL_SERVICE_GRADES[g].short, CIVIL_SERVICE_GRADES[g].name.vi, g.slice(1)]]),
  ) as Record<GradeCode, string[]>,
);

/** A grade code 01.001 … 01.005; the short name (CVC) or full name (Chuyên viên chính) is accepted too. */
export function readGrade(cell: Cell): GradeCode | null {
  const s = typeof cell.raw === 'number' ? `0${cell.raw.toFixed(3)}` : cell.text.trim();
  if (isGradeCode(s)) return s;
  return GRADE_LOOKUP.get(s) ?? null;
}

const RATING_LOOKUP = new LabelLookup<Rating>({
  xuat_sac: [RATING_LABELS.xuat_sac.vi, 'Xuất sắc', 'HTXSNV', 'Hoàn thành xuất sắc'],
  tot: [RATING_LABELS.tot.vi, 'Tốt', 'HTTNV', 'Hoàn thành tốt'],
  hoan_thanh: [RATING_LABELS.hoan_thanh.vi, 'HTNV', 'Hoàn thành'],
  khong_hoan_thanh: [RATING_LABELS.khong_hoan_thanh.vi, 'KHTNV', 'Không hoàn thành'],
});

export function readRating(cell: Cell): Rating | null {
  return RATING_LOOKUP.get(cell.text) ?? null;
}

const GENDER_LOOKUP = new LabelLookup<'male' | 'female'>({ male: ['Nam', 'M'], female: ['Nữ', 'F'] });

export function readGender(cell: Cell): 'male' | 'female' | null {
  return GENDER_LOOKUP.get(cell.text) ?? null;
}

/** "62/100" → 62 of 100; "62" or "62%" → 62 of 100. */
export function readKiemDinhScore(cell: Cell): { correct: number; total: number } | null {
  if (typeof cell.raw === 'number') {
    return Number.isInteger(cell.raw) && cell.raw >= 0 && cell.raw <= 100 ? { correct: cell.raw, total: 100 } : null;
  }
  const s = cell.text.replace(/\s+/g, '');
  const frac = /^(\d+)\/(\d+)$/.exec(s);
  if (frac) {
    const correct = Number(frac[1]);
    const total = Number(frac[2]);
    return total > 0 && correct <= total ? { correct, total } : null;
  }
  const plain = /^(\d+)%?$/.exec(s);
  if (plain) {
    const correct = Number(plain[1]);
    return correct <= 100 ? { correct, total: 100 } : null;
  }
  return null;
}

/** Full names and free text: Unicode NFC, single spaces. */
export function cleanText(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}
