/**
 * Runs the reading and checking of an import (and the writing of a bank export) in a child process
 * with its own heap limit and a lower scheduling priority, one at a time: the event loop that acks the
 * candidates' answers never parses a spreadsheet, a zip bomb or a million rows, a file that needs too
 * much memory ends the child, not the server, and on a busy machine the answers get the CPU first.
 */

import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BankFile, ErrorCode, ImportFormat } from '@exam/shared';
import { AppError } from '../../plugins/errors.js';
import type { ExportOptions } from '../banks/formats/index.js';
import type { BankImportInput, BankImportPrepared } from '../banks/importPrepare.js';
import type { CandidateImportContext, ParsedCandidates } from '../exams/candidates-import/parse.js';
import { IMPORT_WORKER_HEAP_MB, importMemoryExceeded, importTimedOut } from './limits.js';

export type ImportJob =
  | { kind: 'bank'; input: BankImportInput }
  | { kind: 'candidates'; data: Uint8Array; ctx: CandidateImportContext }
  | { kind: 'export'; format: ImportFormat; bank: BankFile; options?: ExportOptions };

export type ImportReply =
  | { ok: true; kind: 'bank'; result: BankImportPrepared }
  | { ok: true; kind: 'candidates'; result: ParsedCandidates; contentSha256: string }
  | { ok: true; kind: 'export'; result: Uint8Array }
  | { ok: false; status: number; code: ErrorCode; message: string; messageEn?: string; details?: unknown };

/** Niceness of the import process (0 normal … 19 lowest). */
const IMPORT_NICE = 10;
/** Longest an import may take to read. */
const IMPORT_TIMEOUT_MS = 180_000;
/** Imports waiting for the one running; more are refused with 429 IMPORT_BUSY. */
const MAX_WAITING = 8;

/**
 * The compiled worker next to this file; under the test runner (TypeScript sources) the one in
 * server/dist, which `npm test` builds first (`tsc -b shared server`).
 */
function workerFile(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const dist = new URL('../../../dist/modules/imports/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(dist))) return dist;
  throw new Error('import worker not built: run `tsc -b shared server` first');
}

let running = false;
const queue: (() => void)[] = [];

async function turn(): Promise<void> {
  if (!running) {
    running = true;
    return;
  }
  if (queue.length >= MAX_WAITING) {
    throw new AppError(
      429,
      'IMPORT_BUSY',
      'Máy chủ đang xử lý nhiều tệp nhập; vui lòng thử lại sau ít phút.',
      'Too many imports are waiting; try again in a few minutes',
    );
  }
  await new Promise<void>((resolve) => queue.push(resolve));
}

/** Imports being read or waiting to be read (health checks and tests). */
export function importsInProgress(): number {
  return (running ? 1 : 0) + queue.length;
}

function release(): void {
  const next = queue.shift();
  if (next) next();
  else running = false;
}

function runOnce(job: ImportJob): Promise<ImportReply> {
  return new Promise<ImportReply>((resolve, reject) => {
    const child = fork(fileURLToPath(workerFile()), [], {
      execArgv: [`--max-old-space-size=${IMPORT_WORKER_HEAP_MB}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    // below the server in the scheduler: on a busy machine the answers' event loop runs first
    try {
      if (child.pid) setPriority(child.pid, IMPORT_NICE);
    } catch {
      // not permitted here: the import runs at normal priority
    }
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => finish(() => reject(importTimedOut())), IMPORT_TIMEOUT_MS);
    child.once('message', (m: ImportReply) => finish(() => resolve(m)));
    child.once('error', (e) => finish(() => reject(e)));
    child.once('exit', (code, signal) =>
      finish(() =>
        // V8 aborts a process whose heap passes --max-old-space-size
        reject(
          signal === 'SIGABRT' || code === 134 ? importMemoryExceeded() : new Error(`import worker stopped (${code ?? signal})`),
        ),
      ),
    );
    child.send(job);
  });
}

type OkReply = Extract<ImportReply, { ok: true }>;

async function run(job: ImportJob): Promise<OkReply> {
  await turn();
  try {
    const reply = await runOnce(job);
    if (!reply.ok) throw new AppError(reply.status, reply.code, reply.message, reply.messageEn, reply.details);
    return reply;
  } finally {
    release();
  }
}

export async function prepareBankImportOffThread(input: BankImportInput): Promise<BankImportPrepared> {
  const r = await run({ kind: 'bank', input });
  if (r.kind !== 'bank') throw new Error('import worker answered another kind');
  return r.result;
}

/** A bank export (XLSX, CSV, …) written in the import process: a large bank never holds the event loop. */
export async function exportBankOffThread(format: ImportFormat, bank: BankFile, options: ExportOptions = {}): Promise<Buffer> {
  const r = await run({ kind: 'export', format, bank, options });
  if (r.kind !== 'export') throw new Error('import worker answered another kind');
  return Buffer.from(r.result.buffer, r.result.byteOffset, r.result.byteLength);
}

/** The candidate list read and checked in the worker, with the SHA-256 of the rows (for the audit entry). */
export async function parseCandidatesOffThread(
  data: Buffer,
  ctx: CandidateImportContext,
): Promise<ParsedCandidates & { contentSha256: string }> {
  const r = await run({ kind: 'candidates', data, ctx });
  if (r.kind !== 'candidates') throw new Error('import worker answered another kind');
  return { ...r.result, contentSha256: r.contentSha256 };
}
