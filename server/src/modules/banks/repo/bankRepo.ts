import type { CommentDto, QuestionStatus, SubjectDto, TopicDto } from '@exam/shared';
import { and, asc, count, desc, eq, inArray, isNotNull, ne, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../db/connection.js';
import {
  imageSubjects,
  images,
  questionComments,
  questions,
  questionVersions,
  subjects,
  topics,
  users,
} from '../../../db/schema.js';
import { insertedRow, q, writer } from '../../../db/tx.js';
import type { CleanContent } from '../importPrepare.js';
import type { StoredImage } from '../sanitize.js';
import { difficultyOf, nowIso, selectVersions, slices, type VersionRow } from './rows.js';

const topicColumns = {
  id: topics.id,
  subjectId: topics.subjectId,
  parentId: topics.parentId,
  code: topics.code,
  name: topics.name,
};

/** The filters of the question list (the service turns the query into these). */
export interface VersionFilter {
  subjectId: number;
  topicIds?: number[];
  difficulty?: string;
  status?: string;
  type?: string;
  /** LIKE patterns, already escaped with `\`; each must match the search text, the ref or the title */
  words: string[];
}

/**
 * All SQL of the question bank (docs/ARCHITECTURE.md, "Data layer"): subjects, topics, questions and
 * their versions, review comments, images. Writes run inside transaction(). The staged writes of a
 * bulk import are in importRepo.ts.
 */
export class BankRepo {
  constructor(private readonly db: Db) {}

  // ---------- subjects ----------

  async subject(id: number) {
    return (
      await q(this.db)
        .select({ id: subjects.id, code: subjects.code, name: subjects.name })
        .from(subjects)
        .where(eq(subjects.id, id))
        .limit(1)
    )[0];
  }

  async subjectCodeTaken(code: string): Promise<boolean> {
    return !!(await q(this.db).select({ id: subjects.id }).from(subjects).where(eq(subjects.code, code)).limit(1))[0];
  }

  /** Every subject by code, with its questions and its approved versions counted. */
  async subjectsWithCounts(): Promise<SubjectDto[]> {
    const rows = await q(this.db)
      .select({ id: subjects.id, code: subjects.code, name: subjects.name })
      .from(subjects)
      .orderBy(asc(subjects.code));
    const questionCounts = new Map(
      (
        await q(this.db)
          .select({ subjectId: questions.subjectId, n: count() })
          .from(questions)
          .where(isNotNull(questions.headVersionId))
          .groupBy(questions.subjectId)
      ).map((r) => [r.subjectId, r.n]),
    );
    const approvedCounts = new Map(
      (
        await q(this.db)
          .select({ subjectId: questions.subjectId, n: count() })
          .from(questionVersions)
          .innerJoin(questions, eq(questions.id, questionVersions.questionId))
          .where(and(eq(questionVersions.status, 'approved'), isNotNull(questions.headVersionId)))
          .groupBy(questions.subjectId)
      ).map((r) => [r.subjectId, r.n]),
    );
    return rows.map((s) => ({
      ...s,
      questionCount: questionCounts.get(s.id) ?? 0,
      approvedCount: approvedCounts.get(s.id) ?? 0,
    }));
  }

  async insertSubject(code: string, name: string): Promise<number> {
    return insertedRow(await writer(this.db).insert(subjects).values({ code, name }).returning({ id: subjects.id }), 'subjects')
      .id;
  }

  async renameSubject(id: number, name: string): Promise<void> {
    await writer(this.db).update(subjects).set({ name }).where(eq(subjects.id, id));
  }

  // ---------- topics ----------

  async topics(subjectId: number): Promise<TopicDto[]> {
    return await q(this.db).select(topicColumns).from(topics).where(eq(topics.subjectId, subjectId)).orderBy(asc(topics.id));
  }

  async topic(id: number): Promise<TopicDto | undefined> {
    return (await q(this.db).select(topicColumns).from(topics).where(eq(topics.id, id)).limit(1))[0];
  }

  /** The topic of the subject with this code, other than `exceptId`. */
  async topicByCode(subjectId: number, code: string, exceptId?: number) {
    const where = [eq(topics.subjectId, subjectId), eq(topics.code, code)];
    if (exceptId !== undefined) where.push(ne(topics.id, exceptId));
    return (
      await q(this.db)
        .select({ id: topics.id })
        .from(topics)
        .where(and(...where))
        .limit(1)
    )[0];
  }

  async insertTopic(t: { subjectId: number; parentId: number | null; code: string; name: string }): Promise<number> {
    return insertedRow(await writer(this.db).insert(topics).values(t).returning({ id: topics.id }), 'topics').id;
  }

  async updateTopic(id: number, set: { code: string; name: string; parentId: number | null }): Promise<void> {
    await writer(this.db).update(topics).set(set).where(eq(topics.id, id));
  }

  // ---------- questions and versions ----------

  async questionSubject(questionId: number): Promise<number | undefined> {
    return (await q(this.db).select({ s: questions.subjectId }).from(questions).where(eq(questions.id, questionId)).limit(1))[0]
      ?.s;
  }

  async refTaken(subjectId: number, ref: string): Promise<boolean> {
    return !!(
      await q(this.db)
        .select({ id: questions.id })
        .from(questions)
        .where(and(eq(questions.subjectId, subjectId), eq(questions.ref, ref)))
        .limit(1)
    )[0];
  }

  async refs(subjectId: number): Promise<string[]> {
    return (await q(this.db).select({ ref: questions.ref }).from(questions).where(eq(questions.subjectId, subjectId))).map(
      (r) => r.ref,
    );
  }

  async questionCount(subjectId: number): Promise<number> {
    return (
      (await q(this.db).select({ n: count() }).from(questions).where(eq(questions.subjectId, subjectId)).limit(1))[0]?.n ?? 0
    );
  }

  async version(versionId: number): Promise<VersionRow | undefined> {
    return (await selectVersions(this.db).where(eq(questionVersions.id, versionId)).limit(1))[0];
  }

  /** The newest version of a question (its head). */
  async head(questionId: number): Promise<VersionRow | undefined> {
    return (
      await selectVersions(this.db)
        .where(and(eq(questions.id, questionId), eq(questionVersions.id, questions.headVersionId)))
        .limit(1)
    )[0];
  }

  async versions(questionId: number): Promise<VersionRow[]> {
    return await selectVersions(this.db).where(eq(questions.id, questionId)).orderBy(desc(questionVersions.version));
  }

  /** The head of every question of the subject, by question id. */
  async heads(subjectId: number): Promise<VersionRow[]> {
    return await selectVersions(this.db)
      .where(and(eq(questions.subjectId, subjectId), eq(questionVersions.id, questions.headVersionId)))
      .orderBy(asc(questions.id));
  }

  private headFilter(f: VersionFilter): SQL | undefined {
    const where: (SQL | undefined)[] = [eq(questions.subjectId, f.subjectId), eq(questionVersions.id, questions.headVersionId)];
    if (f.topicIds) where.push(inArray(questionVersions.topicId, f.topicIds));
    if (f.difficulty) where.push(eq(questionVersions.difficulty, f.difficulty));
    if (f.status) where.push(eq(questionVersions.status, f.status));
    if (f.type) where.push(eq(questionVersions.type, f.type));
    for (const w of f.words) {
      // LIKE … ESCAPE: drizzle's like() takes no escape character
      where.push(
        sql`(${questionVersions.searchText} LIKE ${w} ESCAPE '\\' OR ${questions.ref} LIKE ${w} ESCAPE '\\' OR ${questions.titleKey} LIKE ${w} ESCAPE '\\')`,
      );
    }
    return and(...where);
  }

  /** A page of question heads matching the filter, and how many match in all. */
  async findHeads(f: VersionFilter, page: { limit: number; offset: number }): Promise<{ rows: VersionRow[]; total: number }> {
    const where = this.headFilter(f);
    const total =
      (
        await q(this.db)
          .select({ n: count() })
          .from(questionVersions)
          .innerJoin(questions, eq(questions.id, questionVersions.questionId))
          .innerJoin(users, eq(users.id, questionVersions.authorId))
          .where(where)
          .limit(1)
      )[0]?.n ?? 0;
    const rows = await selectVersions(this.db).where(where).orderBy(asc(questions.id)).limit(page.limit).offset(page.offset);
    return { rows, total };
  }

  async insertQuestion(subjectId: number, ref: string): Promise<number> {
    return insertedRow(
      await writer(this.db).insert(questions).values({ subjectId, ref }).returning({ id: questions.id }),
      'questions',
    ).id;
  }

  /** A new version, which becomes the question's head. */
  async insertVersion(v: {
    questionId: number;
    version: number;
    content: CleanContent;
    status: QuestionStatus;
    authorId: number;
    searchText: string;
  }): Promise<number> {
    const w = writer(this.db);
    const c = v.content;
    const id = insertedRow(
      await w
        .insert(questionVersions)
        .values({
          questionId: v.questionId,
          version: v.version,
          type: c.type,
          topicId: c.topicId,
          difficulty: c.difficulty,
          stem: c.stem,
          options: JSON.stringify(c.options),
          partialCredit: c.partialCredit,
          explanation: c.explanation,
          legalBasis: c.legalBasis,
          tags: JSON.stringify(c.tags),
          status: v.status,
          searchText: v.searchText,
          authorId: v.authorId,
          approvedAt: v.status === 'approved' ? nowIso() : null,
        })
        .returning({ id: questionVersions.id }),
      'questionVersions',
    ).id;
    await w.update(questions).set({ headVersionId: id }).where(eq(questions.id, v.questionId));
    return id;
  }

  /** Rewrites a draft or submitted version in place; it goes back to draft. */
  async rewriteVersion(versionId: number, c: CleanContent, searchText: string): Promise<void> {
    await writer(this.db)
      .update(questionVersions)
      .set({
        type: c.type,
        topicId: c.topicId,
        difficulty: c.difficulty,
        stem: c.stem,
        options: JSON.stringify(c.options),
        partialCredit: c.partialCredit,
        explanation: c.explanation,
        legalBasis: c.legalBasis,
        tags: JSON.stringify(c.tags),
        status: 'draft',
        searchText,
        updatedAt: nowIso(),
      })
      .where(eq(questionVersions.id, versionId));
  }

  /** Approves a version; the version approved before it (if any) is superseded (retired). */
  async approve(questionId: number, versionId: number, approvedBy: number): Promise<void> {
    const w = writer(this.db);
    await w
      .update(questionVersions)
      .set({ status: 'retired' })
      .where(and(eq(questionVersions.questionId, questionId), eq(questionVersions.status, 'approved')));
    await w
      .update(questionVersions)
      .set({ status: 'approved', approvedBy, approvedAt: nowIso() })
      .where(eq(questionVersions.id, versionId));
  }

  /** Retires every version of the question. */
  async retire(questionId: number): Promise<void> {
    await writer(this.db)
      .update(questionVersions)
      .set({ status: 'retired' })
      .where(and(eq(questionVersions.questionId, questionId), ne(questionVersions.status, 'retired')));
  }

  async setStatus(versionId: number, status: QuestionStatus): Promise<void> {
    await writer(this.db).update(questionVersions).set({ status, updatedAt: nowIso() }).where(eq(questionVersions.id, versionId));
  }

  // ---------- comments ----------

  async insertComment(c: { versionId: number; userId: number; kind: string; body: string }): Promise<number> {
    return insertedRow(
      await writer(this.db).insert(questionComments).values(c).returning({ id: questionComments.id }),
      'questionComments',
    ).id;
  }

  async comments(questionId: number): Promise<CommentDto[]> {
    return await q(this.db)
      .select({
        id: questionComments.id,
        versionId: questionComments.versionId,
        version: questionVersions.version,
        userId: questionComments.userId,
        userName: users.fullName,
        kind: questionComments.kind,
        body: questionComments.body,
        createdAt: questionComments.createdAt,
      })
      .from(questionComments)
      .innerJoin(questionVersions, eq(questionVersions.id, questionComments.versionId))
      .innerJoin(users, eq(users.id, questionComments.userId))
      .where(eq(questionVersions.questionId, questionId))
      .orderBy(asc(questionComments.id));
  }

  // ---------- counts ----------

  /** Approved versions of questions in the bank, per topic and level. */
  async approvedCounts(subjectId: number) {
    return (
      await q(this.db)
        .select({ topicId: questionVersions.topicId, difficulty: questionVersions.difficulty, n: count() })
        .from(questionVersions)
        .innerJoin(questions, eq(questions.id, questionVersions.questionId))
        .where(
          and(eq(questions.subjectId, subjectId), eq(questionVersions.status, 'approved'), isNotNull(questions.headVersionId)),
        )
        .groupBy(questionVersions.topicId, questionVersions.difficulty)
    ).map((r) => ({ topicId: r.topicId, difficulty: difficultyOf(r.difficulty), n: r.n }));
  }

  /** Questions per status of their head. */
  async headStatusCounts(subjectId: number) {
    return await q(this.db)
      .select({ status: questionVersions.status, n: count() })
      .from(questions)
      .innerJoin(questionVersions, eq(questionVersions.id, questions.headVersionId))
      .where(eq(questions.subjectId, subjectId))
      .groupBy(questionVersions.status);
  }

  // ---------- images ----------

  /** Stores images (an image already stored is kept); the ids that were new. */
  async insertImages(list: StoredImage[], uploadedBy: number | null): Promise<string[]> {
    const w = writer(this.db);
    const added: string[] = [];
    for (const img of list) {
      const row = (
        await w
          .insert(images)
          .values({ id: img.id, mime: img.mime, bytes: img.bytes, uploadedBy })
          .onConflictDoNothing()
          .returning({ id: images.id })
      )[0];
      if (row) added.push(row.id);
    }
    return added;
  }

  /** Records that the subject's questions show these images (ids not in the store are skipped). */
  async linkImages(subjectId: number, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const w = writer(this.db);
    for (const part of slices([...new Set(ids)])) {
      const stored = await q(this.db).select({ id: images.id }).from(images).where(inArray(images.id, part));
      if (stored.length === 0) continue;
      await w
        .insert(imageSubjects)
        .values(stored.map((s) => ({ imageId: s.id, subjectId })))
        .onConflictDoNothing();
    }
  }

  /** Stored images by id, for an export that carries them (ids not in the store are left out). */
  async imagesByIds(ids: string[]): Promise<StoredImage[]> {
    const out: StoredImage[] = [];
    for (const part of slices([...new Set(ids)])) {
      out.push(
        ...(await q(this.db)
          .select({ id: images.id, mime: images.mime, bytes: images.bytes })
          .from(images)
          .where(inArray(images.id, part))),
      );
    }
    return out;
  }

  async imageUploadedBy(imageId: string, userId: number): Promise<boolean> {
    return !!(
      await q(this.db)
        .select({ id: images.id })
        .from(images)
        .where(and(eq(images.id, imageId), eq(images.uploadedBy, userId)))
        .limit(1)
    )[0];
  }

  async imageSubjects(imageId: string): Promise<number[]> {
    return (
      await q(this.db).select({ s: imageSubjects.subjectId }).from(imageSubjects).where(eq(imageSubjects.imageId, imageId))
    ).map((r) => r.s);
  }
}
