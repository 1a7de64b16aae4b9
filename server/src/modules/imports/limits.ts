/**
 * Limits on every import (question banks, candidate lists): the file's size, the size its zip
 * entries declare once inflated (XLSX), and the rows. A file over a limit is refused with a 413 or
 * 422, a stable code and a Vietnamese message before anything is parsed, and nothing is written.
 */
import type { ImportFormat } from '@exam/shared';
import { unzipSync } from 'fflate';
import { AppError } from '../../plugins/errors.js';

/** The largest import file of most formats (spreadsheets, Word, text, JSON) and of candidate lists. */
export const IMPORT_MAX_FILE_BYTES = 20 * 1024 * 1024;
/**
 * The largest Moodle XML file or QTI package: XML formats are verbose (Moodle XML ~1.4 KB per
 * question, so 20,000 questions are ~29 MB; QTI one item file per question), and both are read
 * question by question, so their memory stays bounded whatever the file's size.
 */
export const IMPORT_MAX_XML_FILE_BYTES = 64 * 1024 * 1024;
/** The largest body an import route reads (the largest of the per-format limits). */
export const IMPORT_MAX_BODY_BYTES = IMPORT_MAX_XML_FILE_BYTES;

/** The largest file of a format (`undefined`: a candidate list). */
export function importMaxFileBytes(format?: ImportFormat): number {
  return format === 'moodlexml' || format === 'qti' ? IMPORT_MAX_XML_FILE_BYTES : IMPORT_MAX_FILE_BYTES;
}
/** What the entries of an XLSX (a zip archive) may add up to once inflated, read from its central directory. */
export const IMPORT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024;
/** Entries an XLSX or a Word file may hold. */
export const IMPORT_MAX_ZIP_ENTRIES = 1000;
/** Entries a QTI package may hold: one item file per question, plus the manifest and images. */
export const QTI_MAX_ZIP_ENTRIES = 2 * 20_000 + 1000;
/** Questions (data rows, items) in one question-bank import. */
export const BANK_IMPORT_MAX_ROWS = 20_000;
/** Candidates (data rows) in one candidate-list import. */
export const CANDIDATE_IMPORT_MAX_ROWS = 50_000;
/** The report lists the first this many issues, then counts per code. */
export const IMPORT_MAX_LISTED_ISSUES = 500;
/** Heap of the process that parses one import (MB): a hostile file cannot take the server's memory. */
export const IMPORT_WORKER_HEAP_MB = 768;

const MB = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

export function fileTooLarge(bytes: number, format?: ImportFormat): AppError {
  const max = importMaxFileBytes(format);
  const what = format === 'moodlexml' ? 'Tệp Moodle XML' : format === 'qti' ? 'Gói QTI' : 'Tệp nhập';
  return new AppError(
    413,
    'BODY_TOO_LARGE',
    `${what} quá lớn (${MB(bytes)}); tối đa ${MB(max)}. Hãy chia tệp thành nhiều phần.`,
    `The import file is too large (max ${MB(max)} for this format)`,
    { bytes, maxBytes: max, ...(format ? { format } : {}) },
  );
}

export function tooManyRows(rows: number, max: number): AppError {
  return new AppError(
    413,
    'IMPORT_TOO_MANY_ROWS',
    `Tệp có hơn ${max.toLocaleString('vi-VN')} dòng dữ liệu; hãy chia thành nhiều tệp, mỗi tệp tối đa ${max.toLocaleString('vi-VN')} dòng.`,
    `The file has more than ${max} data rows`,
    { rows, maxRows: max },
  );
}

export function importMemoryExceeded(): AppError {
  return new AppError(
    413,
    'IMPORT_TOO_COMPLEX',
    'Tệp nhập cần quá nhiều bộ nhớ để đọc (tệp quá lớn hoặc bị làm hỏng có chủ đích); hãy chia nhỏ hoặc lưu lại tệp.',
    'Reading the file needs too much memory',
  );
}

export function importTimedOut(): AppError {
  return new AppError(
    422,
    'IMPORT_TIMEOUT',
    'Đọc tệp nhập quá lâu nên đã dừng; hãy chia tệp thành nhiều phần.',
    'Reading the file took too long',
  );
}

/**
 * Refuses a file over its format's limit (`format` undefined: a candidate list); the route's
 * bodyLimit (the largest of them) already stops larger uploads.
 */
export function checkFileSize(data: Buffer, format?: ImportFormat): void {
  if (data.length > importMaxFileBytes(format)) throw fileTooLarge(data.length, format);
}

/**
 * For a zip archive (XLSX, Word, QTI): the central directory's declared sizes, without inflating
 * anything. Throws a 413 IMPORT_UNZIPPED_TOO_LARGE when they add up to more than the limit (a zip
 * bomb), or there are more than `maxEntries` entries. Not a zip, or an unreadable one: returns
 * false (the parser reports it).
 */
export function checkZip(data: Buffer, maxEntries = IMPORT_MAX_ZIP_ENTRIES, kind = 'Tệp Excel'): boolean {
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) return false;
  let total = 0;
  let entries = 0;
  let over = false;
  try {
    unzipSync(new Uint8Array(data.buffer, data.byteOffset, data.length), {
      filter(file) {
        entries++;
        total += file.originalSize;
        if (total > IMPORT_MAX_UNZIPPED_BYTES || entries > maxEntries) over = true;
        return false; // sizes only: nothing is inflated
      },
    });
  } catch {
    return false;
  }
  if (over) {
    throw new AppError(
      413,
      'IMPORT_UNZIPPED_TOO_LARGE',
      `${kind} khi giải nén vượt quá ${MB(IMPORT_MAX_UNZIPPED_BYTES)} (hoặc quá ${maxEntries.toLocaleString('vi-VN')} thành phần); tệp có thể bị làm hỏng có chủ đích. Hãy lưu lại tệp hoặc chia nhỏ.`,
      `The archive unzips to more than ${MB(IMPORT_MAX_UNZIPPED_BYTES)} or has more than ${maxEntries} entries`,
      { declaredBytes: total, entries, maxBytes: IMPORT_MAX_UNZIPPED_BYTES, maxEntries },
    );
  }
  return true;
}
