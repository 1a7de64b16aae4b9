/**
 * Writes a checked question-bank import without holding the write lock for long: the questions go
 * in in chunks (one short transaction each, started when no answer waits for the lock), staged so
 * that nobody sees them — a staged question has no head version, and every reader of questions goes
 * through the head (the approved pool and counts too) — and a last, small transaction makes them all
 * visible at once (heads, retired statuses, images, audit). So the
 * import stays all or nothing: a failure drops the staged rows, and a crash leaves only staged rows,
 * which the next start discards (`discardStagedQuestions`).
 */
import type { BankTopic, ImportFormat } from '@exam/shared';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { answerPathIdle } from '../../db/writeGate.js';
import { AppError } from '../../plugins/errors.js';
import { type ReadyQuestion, ReadyQuestionSchema } from './importPrepare.js';
import type { BankRepo } from './repo/bankRepo.js';
import type { ImportRepo } from './repo/importRepo.js';
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

const readyChunk = TypeCompiler.Compile(Type.Array(ReadyQuestionSchema));

/** One chunk of checked questions from the import process, checked once here. */
function decodeChunk(bytes: Uint8Array): ReadyQuestion[] {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    value = undefined;
  }
  if (readyChunk.Check(value)) return value;
  throw new Error('the import process handed over a chunk that is not a list of checked questions');
}
const utf8 = new TextDecoder();

/** Drops questions staged by an import that never finished (a crash): run at start. */
export async function discardStagedQuestions(db: Db, repo: ImportRepo): Promise<number> {
  return transaction(db, () => repo.discardAllStaged());
}

export async function writeBankImport(
  db: Db,
  repos: { bank: BankRepo; imports: ImportRepo },
  w: BankImportWrite,
): Promise<{ created: number; topicsCreated: number }> {
  const { subjectId, user } = w;
  const questionIds: number[] = [];
  const refs: string[] = [];
  const retired: number[] = [];
  const imageIds = new Set<string>();
  let createdTopics: number[] = [];
  let topicIds = new Map<string, number>();

  try {
    // chunk 0: topics the file defines (an empty topic is harmless if the import fails later)
    await answerPathIdle();
    await transaction(db, async () => {
      topicIds = await repos.imports.topicIds(subjectId);
      const fresh = w.newTopics.filter((t) => !topicIds.has(t.code));
      createdTopics = await repos.imports.insertTopics(subjectId, fresh, topicIds);
    });

    // the questions, staged, one short transaction per chunk
    for (const chunk of w.readyChunks) {
      const rows = decodeChunk(chunk).map((r) => {
        const topicId = topicIds.get(r.topic);
        if (topicId === undefined) throw new Error(`topic ${r.topic} vanished`);
        return { ...r, topicId };
      });
      await answerPathIdle();
      await transaction(db, async () => {
        const taken = await repos.imports.firstTakenRef(
          subjectId,
          rows.map((r) => r.ref),
        );
        if (taken !== undefined) {
          throw new AppError(
            409,
            'REF_EXISTS',
            `Mã câu hỏi "${taken}" vừa được thêm vào ngân hàng trong lúc nhập; không có câu hỏi nào được nhập. Hãy kiểm tra lại tệp.`,
            'A ref of the file was added meanwhile',
          );
        }
        const ids = await repos.imports.stage(subjectId, user.id, w.format, rows);
        rows.forEach((r, i) => {
          const id = ids[i];
          if (!id) throw new Error(`question ${r.ref} was not staged`);
          questionIds.push(id.questionId);
          refs.push(r.ref);
          if (r.status === 'retired') retired.push(id.versionId);
          const c = r.content;
          for (const img of imageIdsIn(`${c.stem}${c.options.map((o) => o.text).join('')}${c.explanation}`)) imageIds.add(img);
        });
      });
    }

    // the commit point: everything becomes visible at once
    await answerPathIdle();
    await transaction(db, async () => {
      await repos.bank.insertImages(w.images, user.id);
      await repos.bank.linkImages(subjectId, [...imageIds]);
      await repos.imports.publish(questionIds, retired);
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
    });
  } catch (e) {
    await transaction(db, () => repos.imports.discard(questionIds, createdTopics));
    throw e;
  }
  return { created: questionIds.length, topicsCreated: createdTopics.length };
}
