import type { JobDto } from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { CorruptColumnError } from '../../db/json.js';
import { transaction } from '../../db/tx.js';
import { AppError, notFound } from '../../plugins/errors.js';
import { PapersRepo } from './repo.js';

/**
 * Runs long work (paper generation, big exports) in the background of the server process and
 * keeps its progress in the jobs table, so the UI can poll it and a restart shows what happened.
 * One job of a kind per exam at a time.
 */
export class JobRunner {
  private readonly running = new Set<string>();
  private readonly repo: PapersRepo;
  constructor(private readonly db: Db) {
    this.repo = new PapersRepo(db);
  }

  /** Jobs cut off by a restart are not running any more (called once, by the plugin, at start). */
  async failInterrupted(): Promise<void> {
    await transaction(this.db, () => this.repo.failInterrupted('Máy chủ khởi động lại khi tác vụ đang chạy'));
  }

  async start(
    kind: string,
    examId: number | null,
    userId: number | null,
    work: (progress: (done: number, total: number) => void) => Promise<unknown>,
  ): Promise<number> {
    const key = `${kind}:${examId}`;
    if (this.running.has(key)) {
      throw new AppError(409, 'JOB_RUNNING', 'Tác vụ này đang chạy, vui lòng chờ hoàn tất', 'This job is already running');
    }
    this.running.add(key);
    let id: number;
    try {
      id = await transaction(this.db, () => this.repo.insertJob(kind, examId, userId));
    } catch (err) {
      this.running.delete(key);
      throw err;
    }
    let last = 0;
    // progress rows are written one after another; the last one (done === total) always lands
    let writes: Promise<void> = Promise.resolve();
    const progress = (done: number, total: number) => {
      const now = Date.now();
      if (now - last > 100 || done === total) {
        last = now;
        writes = writes.then(() => transaction(this.db, () => this.repo.jobProgress(id, done, total))).catch(() => {});
      }
    };
    const finish = async (status: 'done' | 'failed', message: string, result: unknown) => {
      await writes;
      await transaction(this.db, () => this.repo.finishJob(id, status, message, result));
    };
    setImmediate(() => {
      work(progress)
        .then(
          (result) => {
            this.running.delete(key);
            return finish('done', 'Hoàn tất', result);
          },
          (err: unknown) => {
            this.running.delete(key);
            const msg = err instanceof Error ? err.message : String(err);
            const details = err instanceof AppError ? err.details : undefined;
            return finish('failed', msg, details);
          },
        )
        .catch(() => {});
    });
    return id;
  }

  async get(id: number): Promise<JobDto> {
    const r = await this.repo.job(id);
    if (!r) throw notFound('tác vụ', 'Job');
    const status = r.status;
    if (status !== 'running' && status !== 'done' && status !== 'failed') throw new CorruptColumnError('jobs.status', status);
    return { ...r, status };
  }
}
