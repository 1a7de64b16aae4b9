/**
 * The format of an uploaded bank file, recognised from its content (the picker sends "auto"):
 * zip archives by their entries (word/document.xml → docx, xl/workbook.xml → xlsx,
 * imsmanifest.xml → QTI package), XML by its root (<quiz> → Moodle XML, an assessment item →
 * QTI), text by its markers (the bank JSON's "format", GIFT's braces, Aiken's ANSWER:, the
 * spreadsheet header). Reads only the zip's central directory and the first 64 KB.
 */
import type { ImportFormat } from '@exam/shared';
import { unzipSync } from 'fflate';
import { fold } from './common.js';

export const SUPPORTED_FORMATS_TEXT =
  'Excel (.xlsx), CSV (.csv), Word (.docx), Moodle XML (.xml), QTI 2.1/2.2/3.0 (gói .zip hoặc tệp .xml), GIFT (.gift, .txt), Aiken (.txt), JSON ngân hàng (.json)';

function zipEntries(data: Buffer): string[] | null {
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) return null;
  const names: string[] = [];
  try {
    unzipSync(new Uint8Array(data.buffer, data.byteOffset, data.length), {
      filter(file) {
        if (names.length < 2000) names.push(file.name);
        return false;
      },
    });
  } catch {
    return [];
  }
  return names;
}

export type Detected = { format: ImportFormat } | { format: null; reason: 'legacy-office' | 'unknown' };

export function detectImportFormat(data: Buffer): Detected {
  const entries = zipEntries(data);
  if (entries) {
    if (entries.includes('word/document.xml')) return { format: 'docx' };
    if (entries.includes('xl/workbook.xml')) return { format: 'xlsx' };
    if (entries.some((e) => e.replace(/^\.?\//, '') === 'imsmanifest.xml')) return { format: 'qti' };
    return { format: null, reason: 'unknown' };
  }
  if (data.length >= 4 && data.readUInt32LE(0) === 0xe011cfd0) return { format: null, reason: 'legacy-office' };
  const head = data
    .subarray(0, 65536)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const text = head.trimStart();
  if (text.startsWith('<')) {
    if (/<quiz[\s>]/.test(text)) return { format: 'moodlexml' };
    if (/<(?:[a-z]+:)?(?:assessmentItem|qti-assessment-item)[\s>]/.test(text)) return { format: 'qti' };
    return { format: null, reason: 'unknown' };
  }
  if (text.startsWith('{') && /"format"\s*:\s*"vn-exam-bank\//.test(text)) return { format: 'json' };
  if (/^\s*ANSWER:\s*[A-Z]\s*$/m.test(text)) return { format: 'aiken' };
  if (/\{[^{}]*\}/.test(text) && /(^|\n)\s*(::|\$CATEGORY:|\/\/)|[~=]/.test(text)) return { format: 'gift' };
  const firstLine = fold(text.split(/\r?\n/, 1)[0] ?? '');
  if (firstLine.includes('noi dung cau hoi')) return { format: 'csv' };
  return { format: null, reason: 'unknown' };
}
