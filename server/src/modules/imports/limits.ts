/**
 * Limits on every import (question banks, candidate lists): the file's size, the size its zip
 * entries declare once inflated (XLSX), and the rows. A file over a limit is refused with a 413 or
 * 422, a stable code and a Vietnamese message before anything is parsed, and nothing is written.
 */
import { unzipSync } from 'fflate';
import { AppError } from '../../plugins/errors.js';

/** The largest upload of an import route (the route's body limit). */
export const IMPORT_MAX_FILE_BYTES = 20 * 1024 * 1024;
/** What the entries of an XLSX (a zip archive) may add up to once inflated, read from its central directory. */
export const IMPORT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024;
/** Entries an XLSX may hold. */
export const IMPORT_MAX_ZIP_ENTRIES = 1000;
/** Questions (data rows, items) in one question-bank import. */
export const BANK_IMPORT_MAX_ROWS = 20_000;
/** Candidates (data rows) in one candidate-list import. */
export const CANDIDATE_IMPORT_MAX_ROWS = 50_000;
/** The report lists the first this many issues, then counts per code. */
export const IMPORT_MAX_LISTED_ISSUES = 500;
/** Heap of the process that parses one import (MB): a hostile file cannot take the server's memory. */
export const IMPORT_WORKER_HEAP_MB = 768;

const MB = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

export function fileTooLarge(bytes: number): AppError {
  return new AppError(
    413,
    'BODY_TOO_LARGE',
    `Tệp nhập quá lớn (${MB(bytes)}); tối đa ${MB(IMPORT_MAX_FILE_BYTES)}. Hãy chia tệp thành nhiều phần.`,
    `The import file is too large (max ${MB(IMPORT_MAX_FILE_BYTES)})`,
    { bytes, maxBytes: IMPORT_MAX_FILE_BYTES },
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

/** Refuses a body over the file limit (the route's bodyLimit already stops larger uploads). */
export function checkFileSize(data: Buffer): void {
  if (data.length > IMPORT_MAX_FILE_BYTES) throw fileTooLarge(data.length);
}

/**
 * For a zip archive (XLSX): the central directory's declared sizes, without inflating anything.
 * Throws a 413 IMPORT_UNZIPPED_TOO_LARGE when they add up to more than the limit (a zip bomb), or
 * there are too many entries. Not a zip, or an unreadable one: returns false (the parser reports it).
 */
export function checkZip(data: Buffer): boolean {
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) return false;
  let total = 0;
  let entries = 0;
  let over = false;
  try {
    unzipSync(new Uint8Array(data.buffer, data.byteOffset, data.length), {
      filter(file) {
        entries++;
        total += file.originalSize;
        if (total > IMPORT_MAX_UNZIPPED_BYTES || entries > IMPORT_MAX_ZIP_ENTRIES) over = true;
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
      `Tệp Excel khi giải nén vượt quá ${MB(IMPORT_MAX_UNZIPPED_BYTES)} (hoặc quá ${IMPORT_MAX_ZIP_ENTRIES} thành phần); tệp có thể bị làm hỏng có chủ đích. Hãy lưu lại tệp từ Excel hoặc chia nhỏ.`,
      `The XLSX unzips to more than ${MB(IMPORT_MAX_UNZIPPED_BYTES)}`,
      { declaredBytes: total, entries, maxBytes: IMPORT_MAX_UNZIPPED_BYTES },
    );
  }
  return true;
}
