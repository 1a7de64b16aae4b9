/**
 * Reads the candidate list (.xlsx) into rows for the candidates table. Pure: no database, no clock.
 *
 * Headers are matched by name (case, diacritics and spacing ignored; see columns.ts for aliases), so
 * columns may be in any order and extra columns (STT, notes) are ignored. Every problem names its
 * sheet row (header = row 1) and the column as headed in the file. A row with any error is left out
 * of `rows`; the caller decides whether to import the others.
 *
 * Profile-driven checks: the priority category must be one of the profile's; a kiểm định result must
 * be accepted by the profile, passed, and valid on the exam date (`kiemDinhValid`); for promotion the
 * shared `checkEligibility` runs and each blocking failure is an error on the row.
 */
import * as XLSX from '@e965/xlsx';
import {
  bestPriorityCategory,
  checkEligibility,
  type EligibilityIssueCode,
  type ExamKind,
  type ExemptionCode,
  type GradeCode,
  type GradeEquivalence,
  getProfile,
  type ImportIssue,
  isGradeCode,
  type KiemDinhRecord,
  kiemDinhReferenceDate,
  kiemDinhValid,
  meetsPassRule,
  type PassRule,
  parseYearsMonths,
  type Rating,
  type RegulationProfile,
  resolveGrade,
} from '@exam/shared';
import { AppError } from '../../../plugins/errors.js';
import { fold, LabelLookup, sheetRowsToRead } from '../../banks/formats/common.js';
import { assertSheetRows } from '../../banks/formats/xlsx.js';
import { CANDIDATE_IMPORT_MAX_ROWS, checkZip } from '../../imports/limits.js';
import { type CandidateColumnKey, columnsFor, HEADER_LOOKUP } from './columns.js';
import { CANDIDATES_SHEET } from './template.js';
import {
  type Cell,
  cleanText,
  isIsoDate,
  isoToVi,
  readDate,
  readGender,
  readGrade,
  readIdNumber,
  readKiemDinhScore,
  readRating,
  readYesNo,
} from './values.js';

/** One candidate as the candidates table stores it (the number and PIN are assigned later). */
export interface ParsedCandidate {
  /** Sheet row it came from (header = 1). */
  sourceRow: number;
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  gender: 'male' | 'female';
  idNumber: string;
  ethnicity: string;
  positionId: number;
  priorityCategory: string | null;
  exemptions: ExemptionCode[];
  kiemDinh: KiemDinhRecord | null;
  /** an administrative grade or an equivalent one from the exam's table */
  currentGrade: string | null;
  yearsInGrade: number | null;
  extra: {
    rating: Rating | null;
    disciplined: boolean | null;
    yearsOfService: number | null;
    /** issue 13: times as the law counts them, in whole months */
    monthsInGrade?: number | null;
    monthsInExactGrade?: number | null;
    serviceMonths?: number | null;
    /** title_promotion: the council's achievement level, for NĐ 115/2020 Điều 40 k2 a (issue 12) */
    achievementLevel?: number | null;
  };
  /** promotion: kept on record as not eligible, by the board's choice (issue 13) */
  notEligible?: string[];
}

export interface CandidateImportContext {
  /** The exam's effective profile (overrides applied). */
  profile: RegulationProfile;
  kind: ExamKind;
  /** The exam's positions (recruitment) or target grades (promotion; `grade` is the target grade). */
  positions: readonly { id: number; code: string; grade: string | null }[];
  /** YYYY-MM-DD; kiểm định validity and dates of birth are checked against it. null: not set yet (not checked). */
  examDate: string | null;
  /** YYYY-MM-DD: hạn nhận phiếu đăng ký; kiểm định validity counts to it where the profile says so (NĐ 116/2024). */
  applicationDeadline?: string | null;
  /** Most data rows a file may hold (default CANDIDATE_IMPORT_MAX_ROWS); more is refused as IMPORT_TOO_MANY_ROWS. */
  maxRows?: number;
  /** the exam's equivalent grades (issue 13) */
  equivalences?: readonly GradeEquivalence[];
  /** keep rows that fail eligibility as "not eligible" (a warning) instead of refusing them (issue 13) */
  keepIneligible?: boolean;
}

export interface ParsedCandidates {
  rows: ParsedCandidate[];
  issues: ImportIssue[];
}

const DEFAULT_ETHNICITY = 'Kinh';

const ELIGIBILITY_COLUMN: Record<EligibilityIssueCode, CandidateColumnKey> = {
  target_grade_not_offered: 'position',
  current_grade: 'currentGrade',
  years_in_grade: 'yearsInGrade',
  years_in_exact_grade: 'monthsInExactGrade',
  rating: 'rating',
  discipline: 'disciplined',
  data_missing: 'position',
  rule_unset: 'position',
};

interface Sheet {
  strings: string[][];
  raws: unknown[][];
  date1904: boolean;
}

/** The list sheet: "Danh sách thí sinh" if its row 1 has the name header, else the first sheet that does. */
function readSheet(data: Buffer, maxRows: number): Sheet | null {
  // SheetJS would read any text as a one-column sheet; an .xlsx file is a zip archive. A zip whose
  // entries declare more than the unzipped limit is refused before anything is inflated.
  if (!checkZip(data)) throw new Error('not a zip archive');
  const limit = { maxRows };
  const sheetRows = sheetRowsToRead(limit);
  const wb = XLSX.read(data, { type: 'buffer', dense: true, cellFormula: false, cellHTML: false, cellStyles: false, sheetRows });
  const date1904 = wb.Workbook?.WBProps?.date1904 === true;
  const names = [...wb.SheetNames].sort((a, b) => Number(b === CANDIDATES_SHEET) - Number(a === CANDIDATES_SHEET));
  for (const name of names) {
    const ws = wb.Sheets[name];
    if (!ws) continue;
    const strings = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: false, defval: '', blankrows: true, range: 0 });
    if (!(strings[0] ?? []).some((h) => HEADER_LOOKUP.get(fold(String(h))) === 'fullName')) continue;
    assertSheetRows(ws, strings, sheetRows, limit);
    const raws = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true, defval: null, blankrows: true, range: 0 });
    return { strings, raws, date1904 };
  }
  return null;
}

/** The pass rule of a kiểm định result with `total` questions, from the kiểm định profile. */
function kiemDinhPassRule(total: number): PassRule | null {
  const kd = getProfile('kiem-dinh-nd06-2023');
  const part = kd?.parts.find((p) => p.questionCount === total) ?? kd?.parts[0];
  return part?.passRule ?? null;
}

function passRuleText(rule: PassRule | null): string {
  if (rule?.kind === 'min_percent') return `yêu cầu từ ${rule.percent}% số câu trở lên`;
  if (rule?.kind === 'min_score') return `yêu cầu từ ${rule.score} câu trở lên`;
  return 'không đạt';
}

/** Parse the candidate list of an exam. Never throws on bad input: every problem is an issue. */
export function parseCandidates(data: Buffer, ctx: CandidateImportContext): ParsedCandidates {
  const issues: ImportIssue[] = [];
  const error = (row: number, column: string | undefined, code: string, message: string) => {
    issues.push(
      column === undefined ? { row, code, message, severity: 'error' } : { row, column, code, message, severity: 'error' },
    );
  };

  let sheet: Sheet | null;
  try {
    sheet = readSheet(data, ctx.maxRows ?? CANDIDATE_IMPORT_MAX_ROWS);
  } catch (e) {
    if (e instanceof AppError) throw e; // over a limit: refused as a whole
    error(
      0,
      undefined,
      'XLSX_INVALID',
      'Không đọc được tệp Excel (.xlsx); hãy kiểm tra tệp có đúng định dạng .xlsx (không phải .xls cũ hay tệp bị hỏng).',
    );
    return { rows: [], issues };
  }
  if (!sheet) {
    error(1, 'Họ và tên', 'COLUMN_MISSING', 'Không tìm thấy trang danh sách thí sinh: dòng 1 phải có cột "Họ và tên".');
    return { rows: [], issues };
  }

  // Header → column index; the header text as written names the column in issues.
  const columns = columnsFor(ctx.kind);
  const wanted = new Set(columns.map((c) => c.key));
  const index = new Map<CandidateColumnKey, number>();
  const headerText = new Map<CandidateColumnKey, string>();
  let bad = false;
  (sheet.strings[0] ?? []).forEach((h, i) => {
    const key = HEADER_LOOKUP.get(fold(String(h)));
    if (key === undefined || !wanted.has(key)) return;
    if (index.has(key)) {
      bad = true;
      error(1, cleanText(String(h)), 'COLUMN_DUPLICATE', `Cột "${headerText.get(key)}" xuất hiện nhiều lần trong dòng tiêu đề.`);
      return;
    }
    index.set(key, i);
    headerText.set(key, cleanText(String(h)));
  });
  const colName = (key: CandidateColumnKey): string =>
    headerText.get(key) ?? columns.find((c) => c.key === key)?.header ?? String(key);

  const singlePosition = ctx.positions.length === 1 ? ctx.positions[0] : undefined;
  let missing = bad;
  for (const c of columns) {
    if (!c.required || index.has(c.key)) continue;
    if (c.key === 'position' && singlePosition) continue;
    missing = true;
    error(1, c.header, 'COLUMN_MISSING', `Thiếu cột "${c.header}" ở dòng tiêu đề.`);
  }
  if (missing) return { rows: [], issues };

  // Lookups.
  const positionByCode = new Map(ctx.positions.map((p) => [fold(p.code), p]));
  const positionsByGrade = new Map<string, (typeof ctx.positions)[number][]>();
  for (const p of ctx.positions) {
    if (p.grade === null) continue;
    positionsByGrade.set(p.grade, [...(positionsByGrade.get(p.grade) ?? []), p]);
  }
  const categories = ctx.profile.priority.categories;
  const priorityLookup = new LabelLookup<string>(
    Object.fromEntries(categories.map((c) => [c.code, [c.label.vi, c.label.en]])) as Record<string, string[]>,
  );
  const examDate = ctx.examDate !== null && isIsoDate(ctx.examDate) ? ctx.examDate : null;
  // the date a kiểm định result must still be valid on: the application deadline (NĐ 116/2024) or the exam date
  const kdRef = kiemDinhReferenceDate(ctx.profile, {
    ...(examDate !== null ? { examDate } : {}),
    ...(ctx.applicationDeadline && isIsoDate(ctx.applicationDeadline) ? { applicationDeadline: ctx.applicationDeadline } : {}),
  });
  const kdMin = ctx.profile.kiemDinhMinPercent ?? null;

  const rows: ParsedCandidate[] = [];
  const firstRowOfId = new Map<string, number>();
  let dataRows = 0;

  for (let r = 1; r < sheet.strings.length; r++) {
    const texts = sheet.strings[r] ?? [];
    const raws = sheet.raws[r] ?? [];
    const rowNo = r + 1;
    const cell = (key: CandidateColumnKey): Cell => {
      const i = index.get(key);
      if (i === undefined) return { text: '', raw: null };
      return { text: String(texts[i] ?? '').trim(), raw: raws[i] ?? null };
    };
    // blank rows are skipped, also when only ignored columns (STT) are filled
    if ([...index.values()].every((i) => String(texts[i] ?? '').trim() === '')) continue;
    dataRows++;

    const before = issues.length;
    const fail = (key: CandidateColumnKey, code: string, message: string) => error(rowNo, colName(key), code, message);
    const requireText = (key: CandidateColumnKey): string | null => {
      const t = cell(key).text;
      if (t === '') {
        fail(key, 'REQUIRED', `Chưa ghi "${colName(key)}".`);
        return null;
      }
      return t;
    };

    // Identity.
    const nameText = requireText('fullName');
    const fullName = nameText === null ? '' : cleanText(nameText);

    let dateOfBirth = '';
    if (requireText('dateOfBirth') !== null) {
      const c = cell('dateOfBirth');
      const d = readDate(c, sheet.date1904);
      if (d === null) {
        fail('dateOfBirth', 'INVALID_DATE', `Ngày sinh "${c.text}" không hợp lệ (ghi theo dạng dd/mm/yyyy).`);
      } else if (examDate !== null && d >= examDate) {
        fail('dateOfBirth', 'INVALID_DATE', `Ngày sinh ${isoToVi(d)} không trước ngày thi ${isoToVi(examDate)}.`);
      } else {
        dateOfBirth = d;
      }
    }

    let gender: 'male' | 'female' = 'male';
    if (requireText('gender') !== null) {
      const g = readGender(cell('gender'));
      if (g === null) fail('gender', 'INVALID_GENDER', `Giới tính "${cell('gender').text}" không hợp lệ (ghi "Nam" hoặc "Nữ").`);
      else gender = g;
    }

    let idNumber = '';
    if (requireText('idNumber') !== null) {
      const res = readIdNumber(cell('idNumber'));
      if (!res.ok) {
        fail(
          'idNumber',
          'INVALID_ID_NUMBER',
          `Số CCCD/CMND "${cell('idNumber').text}" không hợp lệ (CCCD 12 chữ số, CMND 9 chữ số)` +
            (res.lostLeadingZero ? '; có thể Excel đã bỏ số 0 ở đầu: hãy định dạng cột là văn bản (Text) và nhập lại.' : '.'),
        );
      } else {
        const first = firstRowOfId.get(res.value);
        if (first !== undefined) {
          fail('idNumber', 'DUPLICATE_ID_NUMBER', `Số CCCD/CMND ${res.value} trùng với dòng ${first}.`);
        } else {
          firstRowOfId.set(res.value, rowNo);
          idNumber = res.value;
        }
      }
    }

    const ethnicity = cleanText(cell('ethnicity').text) || DEFAULT_ETHNICITY;

    // Position (or target grade).
    let position: (typeof ctx.positions)[number] | undefined;
    const posText = cell('position').text;
    if (posText === '' && singlePosition) {
      position = singlePosition;
    } else if (requireText('position') !== null) {
      position = positionByCode.get(fold(posText));
      if (!position && ctx.kind === 'promotion') {
        const byGrade = positionsByGrade.get(posText);
        if (byGrade?.length === 1) position = byGrade[0];
      }
      if (!position) {
        const known = ctx.positions.map((p) => p.code).join(', ');
        fail(
          'position',
          'UNKNOWN_POSITION',
          known
            ? `Mã "${posText}" không có trong kỳ thi (các mã hợp lệ: ${known}).`
            : `Mã "${posText}" không có trong kỳ thi; kỳ thi chưa có vị trí nào.`,
        );
      }
    }

    // Priority: one or more codes or labels separated by ";", the highest counts.
    let priorityCategory: string | null = null;
    const prioText = cell('priority').text;
    if (prioText !== '') {
      const parts = prioText
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const codes: string[] = [];
      for (const p of parts) {
        const code = priorityLookup.get(p);
        if (code === undefined) {
          fail(
            'priority',
            'UNKNOWN_PRIORITY',
            categories.length === 0
              ? `Quy định áp dụng cho kỳ thi không có đối tượng ưu tiên; để trống cột này.`
              : `Đối tượng ưu tiên "${p}" không có trong quy định áp dụng (xem trang "Hướng dẫn").`,
          );
        } else {
          codes.push(code);
        }
      }
      priorityCategory = bestPriorityCategory(ctx.profile, codes)?.code ?? null;
    }

    // Exemptions.
    const exemptions: ExemptionCode[] = [];
    for (const [key, code] of [
      ['exemptForeignLanguage', 'foreign_language'],
      ['exemptIt', 'it'],
    ] as const) {
      const v = readYesNo(cell(key));
      if (v === null) fail(key, 'INVALID_YES_NO', `"${cell(key).text}" không hợp lệ (ghi "Có" hoặc "Không").`);
      else if (v) exemptions.push(code);
    }

    // Kiểm định result.
    let kiemDinh: KiemDinhRecord | null = null;
    const kdScoreCell = cell('kiemDinhScore');
    const kdDateCell = cell('kiemDinhDate');
    if (kdScoreCell.text !== '' || kdDateCell.text !== '') {
      const score = kdScoreCell.text === '' ? null : readKiemDinhScore(kdScoreCell);
      const date = kdDateCell.text === '' ? null : readDate(kdDateCell, sheet.date1904);
      let ok = true;
      if (kdScoreCell.text === '') {
        ok = false;
        fail('kiemDinhScore', 'REQUIRED', `Có ngày kiểm định nhưng chưa ghi điểm kiểm định.`);
      } else if (score === null) {
        ok = false;
        fail(
          'kiemDinhScore',
          'INVALID_KIEM_DINH',
          `Điểm kiểm định "${kdScoreCell.text}" không hợp lệ (ghi số câu đúng/tổng số câu, ví dụ 62/100).`,
        );
      }
      if (kdDateCell.text === '') {
        ok = false;
        fail('kiemDinhDate', 'REQUIRED', `Có điểm kiểm định nhưng chưa ghi ngày kiểm định.`);
      } else if (date === null) {
        ok = false;
        fail('kiemDinhDate', 'INVALID_DATE', `Ngày kiểm định "${kdDateCell.text}" không hợp lệ (ghi theo dạng dd/mm/yyyy).`);
      }
      if (ok && score !== null && date !== null) {
        const rule = kiemDinhPassRule(score.total);
        const passed = rule !== null && meetsPassRule(rule, score.correct, score.total);
        const months = ctx.profile.kiemDinhValidityMonths;
        if (months === null) {
          fail(
            'kiemDinhScore',
            'KIEM_DINH_NOT_ACCEPTED',
            `Quy định áp dụng cho kỳ thi (${ctx.profile.name.vi}) không sử dụng kết quả kiểm định; để trống cột này.`,
          );
        } else if (!passed) {
          fail(
            'kiemDinhScore',
            'KIEM_DINH_FAILED',
            `Kết quả kiểm định ${score.correct}/${score.total} câu đúng chưa đạt (${passRuleText(rule)}).`,
          );
        } else if (kdRef === null && ctx.profile.kiemDinhValidAt === 'application_deadline') {
          fail(
            'kiemDinhDate',
            'APPLICATION_DEADLINE_MISSING',
            'Kỳ thi chưa có hạn nhận phiếu đăng ký dự tuyển: thời hạn của kết quả kiểm định tính đến ngày này (NĐ 116/2024). Hãy nhập hạn nhận phiếu cho kỳ thi trước.',
          );
        } else if (kdRef !== null && !kiemDinhValid(date, kdRef.date, ctx.profile)) {
          fail(
            'kiemDinhDate',
            'KIEM_DINH_EXPIRED',
            date > kdRef.date
              ? `Ngày kiểm định ${isoToVi(date)} sau ${kdRef.label} ${isoToVi(kdRef.date)}.`
              : `Kết quả kiểm định ngày ${isoToVi(date)} đã hết hiệu lực vào ${kdRef.label} ${isoToVi(kdRef.date)} (có giá trị ${months} tháng).`,
          );
        } else if (kdMin !== null && (score.correct * 100) / score.total < kdMin) {
          fail(
            'kiemDinhScore',
            'KIEM_DINH_BELOW_MIN',
            `Kết quả kiểm định ${score.correct}/${score.total} câu đúng thấp hơn mức cơ quan tuyển dụng yêu cầu (${kdMin}%).`,
          );
        } else {
          kiemDinh = { resultDate: date, correct: score.correct, total: score.total, passed };
          exemptions.push('kiem_dinh');
        }
      }
    }

    // Promotion data.
    let currentGrade: string | null = null;
    let resolvedGrade: GradeCode | null = null;
    let monthsInGrade: number | null = null;
    let monthsInExactGrade: number | null = null;
    let serviceMonths: number | null = null;
    let rating: Rating | null = null;
    let disciplined: boolean | null = null;
    let notEligible: string[] | undefined;
    /** years + months as the law counts them (issue 13); decimal years are refused */
    const readMonths = (key: CandidateColumnKey): number | null => {
      const c = cell(key);
      const m =
        typeof c.raw === 'number'
          ? Number.isInteger(c.raw) && c.raw >= 0 && c.raw <= 60
            ? c.raw * 12
            : null
          : parseYearsMonths(c.text);
      if (m === null || m > 720)
        fail(
          key,
          'INVALID_DURATION',
          `"${c.text}" không hợp lệ: ghi số năm và số tháng, ví dụ 12 năm 7 tháng (không ghi số năm thập phân).`,
        );
      return m !== null && m <= 720 ? m : null;
    };
    if (ctx.kind === 'promotion') {
      if (requireText('currentGrade') !== null) {
        const admin = readGrade(cell('currentGrade'));
        const resolved = admin ?? resolveGrade(cell('currentGrade').text, ctx.equivalences ?? [])?.grade ?? null;
        if (resolved === null) {
          fail(
            'currentGrade',
            'INVALID_GRADE',
            `Mã ngạch "${cell('currentGrade').text}" không hợp lệ (01.001, 01.002, 01.003, 01.004, 01.005 hoặc một ngạch có trong bảng ngạch tương đương của kỳ thi).`,
          );
        } else {
          resolvedGrade = resolved;
          currentGrade = admin ?? cell('currentGrade').text.trim();
        }
      }
      if (requireText('yearsInGrade') !== null) monthsInGrade = readMonths('yearsInGrade');
      if (requireText('monthsInExactGrade') !== null) monthsInExactGrade = readMonths('monthsInExactGrade');
      if (requireText('rating') !== null) {
        rating = readRating(cell('rating'));
        if (rating === null) {
          fail(
            'rating',
            'INVALID_RATING',
            `Xếp loại "${cell('rating').text}" không hợp lệ (xem các giá trị ở trang "Hướng dẫn").`,
          );
        }
      }
      if (requireText('disciplined') !== null) {
        disciplined = readYesNo(cell('disciplined'));
        if (disciplined === null) {
          fail('disciplined', 'INVALID_YES_NO', `"${cell('disciplined').text}" không hợp lệ (ghi "Có" hoặc "Không").`);
        }
      }
      if (cell('yearsOfService').text !== '') serviceMonths = readMonths('yearsOfService');

      // Eligibility, once the data it needs reads cleanly.
      if (issues.length === before && position) {
        const targetGrade = position.grade !== null && isGradeCode(position.grade) ? position.grade : null;
        const found = checkEligibility(ctx.profile, {
          currentGrade: resolvedGrade,
          targetGrade,
          yearsInGrade: monthsInGrade === null ? null : monthsInGrade / 12,
          // the time in exactly the grade held now is its own column (issue 13: it was copied from the total)
          yearsInExactGrade: monthsInExactGrade === null ? null : monthsInExactGrade / 12,
          ratings: rating === null ? [] : [rating],
          underDiscipline: disciplined,
        });
        for (const e of found) {
          if (!e.blocking) continue;
          if (ctx.keepIneligible) {
            notEligible = [...(notEligible ?? []), e.message];
            issues.push({
              row: rowNo,
              column: colName(ELIGIBILITY_COLUMN[e.code]),
              code: `NOT_ELIGIBLE_${e.code.toUpperCase()}`,
              message: `${e.message} Thí sinh được lưu với tình trạng "Không đủ điều kiện".`,
              severity: 'warning',
            });
          } else fail(ELIGIBILITY_COLUMN[e.code], `NOT_ELIGIBLE_${e.code.toUpperCase()}`, `${e.message}`);
        }
      }
    }
    // Thăng hạng viên chức by review (issue 12): service and the council's achievement level feed the
    // order of NĐ 115/2020 Điều 40 k2 (as amended by NĐ 85/2023).
    let achievementLevel: number | null = null;
    if (ctx.kind === 'title_promotion') {
      if (cell('yearsOfService').text !== '') serviceMonths = readMonths('yearsOfService');
      const a = cell('achievementLevel');
      if (a.text !== '') {
        const n = typeof a.raw === 'number' ? a.raw : /^\d{1,3}$/.test(a.text.trim()) ? Number(a.text.trim()) : Number.NaN;
        if (Number.isInteger(n) && n >= 0 && n <= 999) achievementLevel = n;
        else
          fail(
            'achievementLevel',
            'INVALID_ACHIEVEMENT_LEVEL',
            `Mức thành tích "${a.text}" không hợp lệ: ghi số nguyên từ 0 đến 999 (cao hơn là thành tích cao hơn).`,
          );
      }
    }
    const yearsInGrade = monthsInGrade === null ? null : monthsInGrade / 12;
    const yearsOfService = serviceMonths === null ? null : serviceMonths / 12;

    if (issues.some((i, k) => k >= before && i.severity === 'error') || !position) continue;
    rows.push({
      sourceRow: rowNo,
      fullName,
      dateOfBirth,
      gender,
      idNumber,
      ethnicity,
      positionId: position.id,
      priorityCategory,
      exemptions,
      kiemDinh,
      currentGrade,
      yearsInGrade,
      extra:
        ctx.kind === 'promotion'
          ? { rating, disciplined, yearsOfService, monthsInGrade, monthsInExactGrade, serviceMonths }
          : ctx.kind === 'title_promotion'
            ? { rating, disciplined, yearsOfService, serviceMonths, achievementLevel }
            : { rating, disciplined, yearsOfService },
      ...(notEligible ? { notEligible } : {}),
    });
  }

  if (dataRows === 0) error(2, undefined, 'NO_ROWS', 'Danh sách không có thí sinh nào (dữ liệu bắt đầu từ dòng 2).');
  return { rows, issues };
}
