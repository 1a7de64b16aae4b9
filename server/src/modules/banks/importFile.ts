/**
 * A question-bank import: the file is read and checked in the import process (imports/run.ts), the
 * report goes back for a dry run, and a real import writes all or nothing (importWrite.ts).
 */
import type { Difficulty, ImportFormat, ImportReport } from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { type AuthUser, hasRole } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import { boundIssues, summarizeIssues } from '../imports/issues.js';
import { BANK_IMPORT_MAX_ROWS, checkFileSize, IMPORT_MAX_LISTED_ISSUES } from '../imports/limits.js';
import { prepareBankImportOffThread } from '../imports/run.js';
import type { BankAccess } from './access.js';
import { detectImportFormat, SUPPORTED_FORMATS_TEXT } from './formats/detect.js';
import { writeBankImport } from './importWrite.js';
import type { BankRepo } from './repo/bankRepo.js';
import type { ImportRepo } from './repo/importRepo.js';

export async function importBankFile(
  ctx: { db: Db; repos: { bank: BankRepo; imports: ImportRepo }; access: BankAccess },
  user: AuthUser,
  subjectId: number,
  requested: ImportFormat | 'auto',
  data: Buffer,
  opts: { dryRun: boolean; defaultTopic?: string; defaultDifficulty?: Difficulty; validOnly?: boolean },
): Promise<ImportReport> {
  await ctx.access.assertAuthor(user, subjectId);
  const format = requested === 'auto' ? detectedFormat(data) : requested;
  checkFileSize(data, format);
  const t0 = performance.now();
  const subject = await ctx.access.subject(subjectId);
  const topicRows = await ctx.repos.bank.topics(subjectId);
  const codeOf = new Map(topicRows.map((t) => [t.id, t.code]));
  // read and checked in the import process (imports/run.ts): the event loop keeps serving answers
  const prepared = await prepareBankImportOffThread({
    format,
    data,
    defaultTopic: opts.defaultTopic,
    defaultDifficulty: opts.defaultDifficulty,
    maxRows: BANK_IMPORT_MAX_ROWS,
    subjectCode: subject.code,
    existingTopics: topicRows.map((t) => t.code),
    existingTopicTree: topicRows.map((t) => {
      const parent = t.parentId !== null ? codeOf.get(t.parentId) : undefined;
      return parent ? { code: t.code, name: t.name, parent } : { code: t.code, name: t.name };
    }),
    existingRefs: await ctx.repos.bank.refs(subjectId),
    board: hasRole(user, 'board', 'admin'),
    keepReady: !opts.dryRun,
  });
  const { issues, newTopics, images } = prepared;
  const summary = summarizeIssues(issues);
  const report: ImportReport = {
    dryRun: opts.dryRun,
    format,
    ok: summary.errors === 0,
    questions: prepared.questions,
    created: 0,
    topicsCreated: 0,
    errors: summary.errors,
    skipped: summary.skipped,
    warnings: summary.warnings,
    valid: prepared.readyCount,
    blocking: summary.blocking,
    newTopics: newTopics.length,
    ...boundIssues(issues),
    ms: 0,
  };
  const validOnly = !!opts.validOnly && summary.errors > 0;
  if (opts.validOnly) report.validOnly = true;
  // the questions a "valid only" import leaves out (the dry run shows them before the choice)
  if (summary.leftOut.length > 0) report.leftOut = summary.leftOut.slice(0, IMPORT_MAX_LISTED_ISSUES);
  if (!opts.dryRun && validOnly) {
    // "valid only" is a choice made after reading the report: never over an error of the whole file
    if (summary.blocking > 0) {
      throw new AppError(
        422,
        'IMPORT_FILE_INVALID',
        'Tệp có lỗi chung (không thuộc câu hỏi nào) nên không thể nhập, kể cả các câu hợp lệ; hãy sửa tệp theo báo cáo.',
        'The file has errors outside any question; nothing can be imported',
      );
    }
    if (prepared.readyCount === 0) {
      throw new AppError(422, 'IMPORT_NOTHING_VALID', 'Không có câu hỏi hợp lệ nào để nhập.', 'No valid question to import');
    }
  }
  if (opts.dryRun || (summary.errors > 0 && !validOnly)) {
    report.ms = Math.round(performance.now() - t0);
    return report;
  }

  // all or nothing (of the file, or of its valid questions when the board chose so), in short
  // chunks that give the answer path its turn (importWrite.ts)
  const written = await writeBankImport(ctx.db, ctx.repos, {
    subjectId,
    user,
    format,
    newTopics,
    readyChunks: prepared.readyChunks,
    readyCount: prepared.readyCount,
    images,
    contentSha256: prepared.contentSha256,
    ...(validOnly ? { validOnly: { leftOut: summary.leftOut } } : {}),
  });
  report.ok = true;
  report.created = written.created;
  report.topicsCreated = written.topicsCreated;
  report.ms = Math.round(performance.now() - t0);
  return report;
}

/** The format recognised from the content, or a 415 naming the formats that are supported. */
function detectedFormat(data: Buffer): ImportFormat {
  const d = detectImportFormat(data);
  if (d.format) return d.format;
  throw new AppError(
    415,
    'IMPORT_FORMAT_UNKNOWN',
    d.reason === 'legacy-office'
      ? `Tệp Word/Excel kiểu cũ (.doc, .xls) không đọc được; hãy lưu lại dạng .docx hoặc .xlsx. Các định dạng được hỗ trợ: ${SUPPORTED_FORMATS_TEXT}.`
      : `Không nhận ra định dạng của tệp. Các định dạng được hỗ trợ: ${SUPPORTED_FORMATS_TEXT}.`,
    'Unknown file format; supported: Excel, CSV, Word, Moodle XML, QTI, GIFT, Aiken, JSON',
  );
}
