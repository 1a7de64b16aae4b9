import type { JobDto } from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { AppError, notFound } from '../../plugins/errors.js';

/**
 * Runs long work (paper generation, big exports) in the background of the server process and
 * keeps its progress in the jobs table, so the UI can poll it and a restart shows what happened.
 * One job of a kind per exam at a time.
 */
export class JobRunner {
  private readonly running = new Set<string>();
  constructor(private readonly db: Db) {
    // jobs cut off by a restart are not running any more
    db.$client
      .prepare(
        "UPDATE jobs SET status = 'failed', message = 'Máy chủ khởi động lại khi tác vụ đang chạy', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE status = 'running'",
      )
      .run();
  }

  start(
    kind: string,
    examId: number | null,
    userId: number | null,
    work: (progress: (done: number, total: number) => void) => Promise<unknown>,
  ): number {
    const key = `${kind}:${examId}`;
    if (this.running.has(key)) {
      throw new AppError(409, 'JOB_RUNNING', 'Tác vụ này đang chạy, vui lòng chờ hoàn tất', 'This job is already running');
    }
    const sqlite = this.db.$client;
    const id = Number(
      sqlite.prepare("INSERT INTO jobs (kind, exam_id, status, created_by) VALUES (?, ?, 'running', ?)").run(kind, examId, userId)
        .lastInsertRowid,
    );
    const upd = sqlite.prepare('UPDATE jobs SET done = ?, total = ? WHERE id = ?');
    let last = 0;
    this.running.add(key);
    const progress = (done: number, total: number) => {
      const now = Date.now();
      if (now - last > 100 || done === total) {
        last = now;
        upd.run(done, total, id);
      }
    };
    setImmediate(() => {
      work(progress).then(
        (result) => {
          sqlite
            .prepare(
              "UPDATE jobs SET status = 'done', result = ?, message = 'Hoàn tất', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
            )
            .run(JSON.stringify(result ?? null), id);
          this.running.delete(key);
        },
        (err: unknown) => {
          const msg = err instanceof Error ? err.message : String(err);
          const details = err instanceof AppError ? err.details : undefined;
          sqlite
            .prepare(
              "UPDATE jobs SET status = 'failed', message = ?, result = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
            )
            .run(msg, JSON.stringify(details ?? null), id);
          this.running.delete(key);
        },
      );
    });
    return id;
  }

  get(id: number): JobDto {
    const r = this.db.$client
      .prepare(
        'SELECT id, kind, exam_id AS examId, status, done, total, message, result, created_at AS createdAt, finished_at AS finishedAt FROM jobs WHERE id = ?',
      )
      .get(id) as (Omit<JobDto, 'result'> & { result: string | null }) | undefined;
    if (!r) throw notFound('tác vụ', 'Job');
    return { ...r, result: r.result ? (JSON.parse(r.result) as unknown) : null };
  }
}
