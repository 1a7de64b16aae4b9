// The import worker thread: reads and checks one import file off the server's event loop, under the
// heap limit its parent sets (imports/run.ts). Pure work only: no database.
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../plugins/errors.js';
import { prepareBankImport } from '../banks/importPrepare.js';
import { parseCandidates } from '../exams/candidates-import/parse.js';
import type { ImportJob, ImportReply } from './run.js';

function work(job: ImportJob): ImportReply {
  try {
    if (job.kind === 'bank') return { ok: true, kind: 'bank', result: prepareBankImport(job.input) };
    const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
    return { ok: true, kind: 'candidates', result: parseCandidates(data, job.ctx) };
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

parentPort?.once('message', (job: ImportJob) => {
  const reply = work(job);
  // the questions to write are handed over, not copied
  const transfer = reply.ok && reply.kind === 'bank' ? reply.result.readyChunks.map((c) => c.buffer as ArrayBuffer) : [];
  parentPort?.postMessage(reply, transfer);
});
