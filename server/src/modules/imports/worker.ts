// The import process: reads and checks one import file (or writes one bank export) off the server's
// event loop, under the heap limit and priority its parent sets (imports/run.ts). Pure work only: no database.
import { createHash } from 'node:crypto';
import { AppError } from '../../plugins/errors.js';
import { exportBank } from '../banks/formats/index.js';
import { prepareBankImport } from '../banks/importPrepare.js';
import type { ImportJob, ImportReply } from './run.js';

async function work(job: ImportJob): Promise<ImportReply> {
  try {
    if (job.kind === 'bank') return { ok: true, kind: 'bank', result: await prepareBankImport(job.input) };
    if (job.kind === 'export')
      return { ok: true, kind: 'export', result: new Uint8Array(await exportBank(job.format, job.bank, job.options)) };
    const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
    // loaded only for a candidate list (it brings SheetJS): a bank import's process starts faster
    const { parseCandidates } = await import('../exams/candidates-import/parse.js');
    const result = parseCandidates(data, job.ctx);
    const contentSha256 = createHash('sha256').update(JSON.stringify(result.rows)).digest('hex');
    return { ok: true, kind: 'candidates', result, contentSha256 };
  } catch (e) {
    if (e instanceof AppError) {
      return { ok: false, status: e.status, code: e.code, message: e.message, messageEn: e.messageEn, details: e.details };
    }
    return {
      ok: false,
      status: 500,
      code: 'IMPORT_FAILED',
      message: 'Lỗi hệ thống khi đọc tệp nhập; không có gì được ghi. Vui lòng báo quản trị hệ thống.',
      messageEn: e instanceof Error ? e.message : String(e),
    };
  }
}

process.once('message', async (job: ImportJob) => {
  const reply = await work(job);
  process.send?.(reply, undefined, undefined, () => process.exit(0));
});
