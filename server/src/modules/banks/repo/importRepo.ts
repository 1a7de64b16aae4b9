import { type BankTopic, type ImportFormat, searchKey } from '@exam/shared';
import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../db/connection.js';
import { questionComments, questions, questionVersions, topics } from '../../../db/schema.js';
import { insertedRow, q, writer } from '../../../db/tx.js';
import type { ReadyQuestion } from '../importPrepare.js';
import { nowIso, slices } from './rows.js';

/** A checked question of an import with the id of its topic. */
export type StagedQuestion = ReadyQuestion & { topicId: number };

/**
 * The per-question statements of the staging, compiled once (with placeholders) and reused by every
 * chunk of every import: building the query anew for each of 20,000 rows costs more than the writes.
 */
function compileStaging(w: Db) {
  const p = sql.placeholder;
  return {
    refTaken: w
      .select({ id: questions.id })
      .from(questions)
      .where(and(eq(questions.subjectId, p('subjectId')), eq(questions.ref, p('ref'))))
      .prepare(),
    question: w
      .insert(questions)
      .values({ subjectId: p('subjectId'), ref: p('ref'), title: p('title'), titleKey: p('titleKey') })
      .returning({ id: questions.id })
      .prepare(),
    version: w
      .insert(questionVersions)
      .values({
        questionId: p('questionId'),
        version: 1,
        type: p('type'),
        topicId: p('topicId'),
        difficulty: p('difficulty'),
        stem: p('stem'),
        options: p('options'),
        partialCredit: p('partialCredit'),
        explanation: p('explanation'),
        legalBasis: p('legalBasis'),
        tags: p('tags'),
        status: p('status'),
        searchText: p('searchText'),
        authorId: p('authorId'),
        approvedAt: p('approvedAt'),
      })
      .returning({ id: questionVersions.id })
      .prepare(),
    comment: w
      .insert(questionComments)
      .values({ versionId: p('versionId'), userId: p('userId'), kind: 'import', body: p('body') })
      .prepare(),
  };
}

/**
 * The SQL of a bulk question-bank import (importWrite.ts): questions are staged without a head
 * version (so no reader sees them), made visible together at the commit point, or dropped.
 */
export class ImportRepo {
  constructor(private readonly db: Db) {}

  async topicIds(subjectId: number): Promise<Map<string, number>> {
    const rows = await q(this.db)
      .select({ id: topics.id, code: topics.code })
      .from(topics)
      .where(eq(topics.subjectId, subjectId));
    return new Map(rows.map((t) => [t.code, t.id]));
  }

  /** Creates the topics (then links their parents); adds them to `ids` and returns the new ids in order. */
  async insertTopics(subjectId: number, fresh: BankTopic[], ids: Map<string, number>): Promise<number[]> {
    const w = writer(this.db);
    const created: number[] = [];
    for (const t of fresh) {
      const id = insertedRow(
        await w.insert(topics).values({ subjectId, code: t.code, name: t.name }).returning({ id: topics.id }),
        'topics',
      ).id;
      ids.set(t.code, id);
      created.push(id);
    }
    for (const t of fresh) {
      const id = ids.get(t.code);
      if (t.parent && id !== undefined) {
        await w
          .update(topics)
          .set({ parentId: ids.get(t.parent) ?? null })
          .where(eq(topics.id, id));
      }
    }
    return created;
  }

  private prepared: ReturnType<typeof compileStaging> | undefined;

  /** The staging's statements, compiled once, inside the first import's transaction. */
  private statements() {
    this.prepared ??= compileStaging(writer(this.db));
    return this.prepared;
  }

  /** The first of these refs the subject already has (a question added while the import ran). */
  async firstTakenRef(subjectId: number, refs: string[]): Promise<string | undefined> {
    const st = this.statements();
    return refs.find((ref) => st.refTaken.get({ subjectId, ref }) !== undefined);
  }

  /**
   * Stages one chunk: the questions (no head yet) and their first version. A retired question is
   * staged as a draft (a retired version could not be dropped if the import fails) and retired at the
   * commit point; an approved one gets an "imported as approved" comment. Returns the ids in order.
   */
  async stage(
    subjectId: number,
    authorId: number,
    format: ImportFormat,
    rows: StagedQuestion[],
  ): Promise<{ questionId: number; versionId: number }[]> {
    writer(this.db);
    const st = this.statements();
    const approvedAt = nowIso();
    return rows.map((r) => {
      const c = r.content;
      const questionId = st.question.get({
        subjectId,
        ref: r.ref,
        title: r.title,
        titleKey: r.title ? searchKey(r.title) : '',
      }).id;
      const versionId = st.version.get({
        questionId,
        type: c.type,
        topicId: r.topicId,
        difficulty: c.difficulty,
        stem: c.stem,
        options: JSON.stringify(c.options),
        // placeholders are bound as they are: SQLite takes 0 and 1, not booleans
        partialCredit: c.partialCredit ? 1 : 0,
        explanation: c.explanation,
        legalBasis: c.legalBasis,
        tags: JSON.stringify(c.tags),
        status: r.status === 'retired' ? 'draft' : r.status,
        searchText: r.searchText,
        authorId,
        approvedAt: r.status === 'approved' ? approvedAt : null,
      }).id;
      if (r.status === 'approved') {
        st.comment.run({ versionId, userId: authorId, body: `Nhập từ tệp ${format} ở trạng thái đã duyệt` });
      }
      return { questionId, versionId };
    });
  }

  /** The commit point: retires the versions imported as retired, and gives every staged question its head. */
  async publish(questionIds: number[], retiredVersionIds: number[]): Promise<void> {
    const w = writer(this.db);
    for (const part of slices(retiredVersionIds)) {
      await w.update(questionVersions).set({ status: 'retired' }).where(inArray(questionVersions.id, part));
    }
    // a staged question has exactly one version
    const onlyVersion = sql`(SELECT ${questionVersions.id} FROM ${questionVersions} WHERE ${questionVersions.questionId} = ${questions.id})`;
    for (const part of slices(questionIds)) {
      await w.update(questions).set({ headVersionId: onlyVersion }).where(inArray(questions.id, part));
    }
  }

  /** Drops the questions an import staged (and the topics it created that nothing uses). */
  async discard(questionIds: number[], createdTopics: number[]): Promise<void> {
    for (const part of slices(questionIds)) await this.dropStaged(inArray(questions.id, part));
    const w = writer(this.db);
    for (const id of [...createdTopics].reverse()) {
      const used =
        (
          await q(this.db)
            .select({ id: questionVersions.id })
            .from(questionVersions)
            .where(eq(questionVersions.topicId, id))
            .limit(1)
        )[0] ?? (await q(this.db).select({ id: topics.id }).from(topics).where(eq(topics.parentId, id)).limit(1))[0];
      if (!used) await w.delete(topics).where(eq(topics.id, id));
    }
  }

  /** Drops every staged question (an import a crash cut off); the number dropped. */
  async discardAllStaged(): Promise<number> {
    return this.dropStaged(isNull(questions.headVersionId));
  }

  /** Drops the staged questions (no head) among those `which` selects, with their versions and comments. */
  private async dropStaged(which: SQL): Promise<number> {
    const w = writer(this.db);
    const staged = q(this.db)
      .select({ id: questions.id })
      .from(questions)
      .where(and(isNull(questions.headVersionId), which));
    const versions = q(this.db)
      .select({ id: questionVersions.id })
      .from(questionVersions)
      .where(inArray(questionVersions.questionId, staged));
    await w.delete(questionComments).where(inArray(questionComments.versionId, versions));
    // an approved version may only lose its status (the delete trigger): staged ones never were in use
    await w
      .update(questionVersions)
      .set({ status: 'draft' })
      .where(and(eq(questionVersions.status, 'approved'), inArray(questionVersions.questionId, staged)));
    await w.delete(questionVersions).where(inArray(questionVersions.questionId, staged));
    return (
      await w
        .delete(questions)
        .where(and(isNull(questions.headVersionId), which))
        .returning({ id: questions.id })
    ).length;
  }
}
