/**
 * Writes a checked question-bank import without holding the write lock for long: the questions go
 * in in chunks (one short transaction each, started when no answer waits for the lock), staged so
 * that nobody sees them — a staged question has no head version, and every reader of questions goes
 * through the head (the approved pool and counts too) — and a last, small transaction makes them all
 * visible at once (heads, retired statuses, images, audit). So the
 * import stays all or nothing: a failure drops the staged rows, and a crash leaves only staged rows,
 * which the next start discards (`discardStagedQuestions`).
 */
import { type BankTopic, type ImportFormat, searchKey } from '@exam/shared';
import { appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { answerPathIdle } from '../../db/writeGate.js';
import { AppError } from '../../plugins/errors.js';
import type { ReadyQuestion } from './importPrepare.js';
import { imageIdsIn, type StoredImage } from './sanitize.js';

export interface BankImportWrite {
  subjectId: number;
  user: { id: number; username: string };
  format: ImportFormat;
  newTopics: BankTopic[];
  /** the checked questions as UTF-8 JSON arrays of ReadyQuestion, one per chunk (importPrepare.ts) */
  readyChunks: Uint8Array[];
  readyCount: number;
  images: StoredImage[];
  /** SHA-256 of the cleaned questions (importPrepare.ts), for the audit entry */
  contentSha256: string;
  /** the board chose to import only the valid questions: those left out, by row and why (audited) */
  validOnly?: { leftOut: { row: number; codes: string[] }[] };
}

const STAGED = `SELECT id FROM questions WHERE head_version_id IS NULL`;

/** Drops questions staged by an import that never finished (a crash): run at start. */
export function discardStagedQuestions(db: Db): number {
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    sqlite
      .prepare(
        `DELETE FROM question_comments WHERE version_id IN (SELECT id FROM question_versions WHERE question_id IN (${STAGED}))`,
      )
      .run();
    sqlite
      .prepare(`UPDATE question_versions SET status = 'draft' WHERE status = 'approved' AND question_id IN (${STAGED})`)
      .run();
    sqlite.prepare(`DELETE FROM question_versions WHERE question_id IN (${STAGED})`).run();
    return sqlite.prepare('DELETE FROM questions WHERE head_version_id IS NULL').run().changes;
  })();
}

export async function writeBankImport(db: Db, w: BankImportWrite): Promise<{ created: number; topicsCreated: number }> {
  const sqlite = db.$client;
  const { subjectId, user } = w;
  const insQ = sqlite.prepare('INSERT INTO questions (subject_id, ref, title, title_key) VALUES (?, ?, ?, ?)');
  const insV = sqlite.prepare(
    `INSERT INTO question_versions (question_id, version, type, topic_id, difficulty, stem, options, partial_credit,
       explanation, legal_basis, tags, status, search_text, author_id, approved_at)
     VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 'approved' THEN strftime('%Y-%m-%dT%H:%M:%fZ','now') END)`,
  );
  const insComment = sqlite.prepare("INSERT INTO question_comments (version_id, user_id, kind, body) VALUES (?, ?, 'import', ?)");
  const questionIds: number[] = [];
  const refs: string[] = [];
  const retired: number[] = [];
  const imageRefs: { ids: string[] }[] = [];
  const createdTopics: number[] = [];
  const topicIds = new Map<string, number>();

  const discard = () => {
    const ids = JSON.stringify(questionIds);
    sqlite.transaction(() => {
      sqlite
        .prepare(
          `DELETE FROM question_comments WHERE version_id IN
             (SELECT id FROM question_versions WHERE question_id IN (SELECT value FROM json_each(?)))`,
        )
        .run(ids);
      // an approved version may only lose its status (the delete trigger): staged ones never were in use
      sqlite
        .prepare(
          "UPDATE question_versions SET status = 'draft' WHERE status = 'approved' AND question_id IN (SELECT q.id FROM questions q WHERE q.head_version_id IS NULL AND q.id IN (SELECT value FROM json_each(?)))",
        )
        .run(ids);
      sqlite.prepare('DELETE FROM question_versions WHERE question_id IN (SELECT value FROM json_each(?))').run(ids);
      sqlite.prepare('DELETE FROM questions WHERE head_version_id IS NULL AND id IN (SELECT value FROM json_each(?))').run(ids);
      for (const id of createdTopics.reverse()) {
        sqlite
          .prepare(
            'DELETE FROM topics WHERE id = ? AND NOT EXISTS (SELECT 1 FROM question_versions WHERE topic_id = ?) AND NOT EXISTS (SELECT 1 FROM topics WHERE parent_id = ?)',
          )
          .run(id, id, id);
      }
    })();
  };

  try {
    // chunk 0: topics the file defines (an empty topic is harmless if the import fails later)
    await answerPathIdle();
    sqlite.transaction(() => {
      for (const t of sqlite.prepare('SELECT id, code FROM topics WHERE subject_id = ?').all(subjectId) as {
        id: number;
        code: string;
      }[])
        topicIds.set(t.code, t.id);
      const insTopic = sqlite.prepare('INSERT INTO topics (subject_id, code, name) VALUES (?, ?, ?)');
      const fresh = w.newTopics.filter((t) => !topicIds.has(t.code));
      for (const t of fresh) {
        const id = Number(insTopic.run(subjectId, t.code, t.name).lastInsertRowid);
        topicIds.set(t.code, id);
        createdTopics.push(id);
      }
      const setParent = sqlite.prepare('UPDATE topics SET parent_id = ? WHERE id = ?');
      for (const t of fresh) if (t.parent) setParent.run(topicIds.get(t.parent), topicIds.get(t.code));
    })();

    // the questions, staged, one short transaction per chunk
    const refTaken = sqlite.prepare('SELECT 1 FROM questions WHERE subject_id = ? AND ref = ?');
    const utf8 = new TextDecoder();
    for (const chunk of w.readyChunks) {
      const rows = JSON.parse(utf8.decode(chunk)) as ReadyQuestion[];
      await answerPathIdle();
      sqlite.transaction(() => {
        for (const r of rows) {
          if (refTaken.get(subjectId, r.ref)) {
            throw new AppError(
              409,
              'REF_EXISTS',
              `Mã câu hỏi "${r.ref}" vừa được thêm vào ngân hàng trong lúc nhập; không có câu hỏi nào được nhập. Hãy kiểm tra lại tệp.`,
              'A ref of the file was added meanwhile',
            );
          }
          const topicId = topicIds.get(r.topic);
          if (topicId === undefined) throw new Error(`topic ${r.topic} vanished`);
          const c = r.content;
          const title = r.title ?? '';
          const qid = Number(insQ.run(subjectId, r.ref, title, title ? searchKey(title) : '').lastInsertRowid);
          const vid = Number(
            insV.run(
              qid,
              c.type,
              topicId,
              c.difficulty,
              c.stem,
              JSON.stringify(c.options),
              c.partialCredit ? 1 : 0,
              c.explanation,
              c.legalBasis,
              JSON.stringify(c.tags),
              // a retired version could not be dropped if the import fails: it is retired at the commit point
              r.status === 'retired' ? 'draft' : r.status,
              r.searchText,
              user.id,
              r.status,
            ).lastInsertRowid,
          );
          questionIds.push(qid);
          refs.push(r.ref);
          if (r.status === 'retired') retired.push(vid);
          if (r.status === 'approved') insComment.run(vid, user.id, `Nhập từ tệp ${w.format} ở trạng thái đã duyệt`);
          const ids = imageIdsIn(`${c.stem}${c.options.map((o) => o.text).join('')}${c.explanation}`);
          if (ids.length) imageRefs.push({ ids });
        }
      })();
    }

    // the commit point: everything becomes visible at once
    await answerPathIdle();
    sqlite.transaction(() => {
      const insImg = sqlite.prepare('INSERT OR IGNORE INTO images (id, mime, bytes, uploaded_by) VALUES (?, ?, ?, ?)');
      for (const img of w.images) insImg.run(img.id, img.mime, img.bytes, user.id);
      const link = sqlite.prepare(
        'INSERT OR IGNORE INTO image_subjects (image_id, subject_id) SELECT id, ? FROM images WHERE id = ?',
      );
      for (const r of imageRefs) for (const id of r.ids) link.run(subjectId, id);
      const ids = (list: number[]) => JSON.stringify(list);
      if (retired.length) {
        sqlite
          .prepare("UPDATE question_versions SET status = 'retired' WHERE id IN (SELECT value FROM json_each(?))")
          .run(ids(retired));
      }
      sqlite
        .prepare(
          `UPDATE questions SET head_version_id = (SELECT v.id FROM question_versions v WHERE v.question_id = questions.id)
            WHERE id IN (SELECT value FROM json_each(?))`,
        )
        .run(ids(questionIds));
      appendAudit(db, {
        actor: { id: user.id, name: user.username },
        action: 'bank.import',
        entity: 'subject',
        entityId: subjectId,
        // the contents are in the versions; their digest ties this entry to them
        after: { refs, contentSha256: w.contentSha256 },
        detail: {
          format: w.format,
          questions: questionIds.length,
          topicsCreated: createdTopics.length,
          images: w.images.map((i) => i.id),
          contentSha256: w.contentSha256,
          // "valid only": the board's explicit choice, and what it left out
          ...(w.validOnly ? { validOnly: true, leftOut: w.validOnly.leftOut } : {}),
        },
      });
    })();
  } catch (e) {
    discard();
    throw e;
  }
  return { created: questionIds.length, topicsCreated: createdTopics.length };
}
