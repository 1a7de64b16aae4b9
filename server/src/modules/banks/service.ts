import {
  type BankFile,
  type BankQuestion,
  type CommentDto,
  DIFFICULTIES,
  type Difficulty,
  type ImportFormat,
  type ImportReport,
  type QuestionBody,
  type QuestionDto,
  type QuestionQuery,
  type QuestionStatus,
  type SubjectBody,
  type SubjectDto,
  type SummaryDto,
  searchKey,
  type TopicBody,
  type TopicDto,
} from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import type { AuthUser } from '../../plugins/auth.js';
import { AppError, notFound } from '../../plugins/errors.js';
import { BankAccess } from './access.js';
import type { ExportImages } from './formats/exportImages.js';
import { importBankFile } from './importFile.js';
import { discardStagedQuestions } from './importWrite.js';
import { candidatePapersDocx } from './paperExport.js';
import { QuestionEditor } from './questionEdits.js';
import { BankRepo } from './repo/bankRepo.js';
import { ImportRepo } from './repo/importRepo.js';
import { PaperRepo } from './repo/paperRepo.js';
import { toDto } from './repo/rows.js';
import { imageIdsIn, type StoredImage } from './sanitize.js';

/**
 * The question bank: subjects, topics, questions and their versions, review, imports and exports.
 * Constructed once, in plugin.ts (`app.banks`). Question edits are in questionEdits.ts, the import
 * in importFile.ts, the SQL in repo/.
 */
export class BankService {
  private readonly repo: BankRepo;
  private readonly imports: ImportRepo;
  private readonly papers: PaperRepo;
  private readonly access: BankAccess;
  private readonly editor: QuestionEditor;

  constructor(private readonly db: Db) {
    this.repo = new BankRepo(db);
    this.imports = new ImportRepo(db);
    this.papers = new PaperRepo(db);
    this.access = new BankAccess(this.repo);
    this.editor = new QuestionEditor(db, this.repo, this.access);
  }

  // ---------- access ----------

  canRead(user: AuthUser, subjectId: number): boolean {
    return this.access.canRead(user, subjectId);
  }

  assertRead(user: AuthUser, subjectId: number): Promise<void> {
    return this.access.assertRead(user, subjectId);
  }

  /** Writing questions: an author of the subject, or the board. */
  assertAuthor(user: AuthUser, subjectId: number): Promise<void> {
    return this.access.assertAuthor(user, subjectId);
  }

  // ---------- subjects and topics ----------

  async listSubjects(user: AuthUser): Promise<SubjectDto[]> {
    const rows = await this.repo.subjectsWithCounts();
    return rows.filter((s) => this.canRead(user, s.id));
  }

  async getSubject(user: AuthUser, id: number): Promise<SubjectDto> {
    await this.assertRead(user, id);
    const s = (await this.listSubjects(user)).find((x) => x.id === id);
    if (!s) throw notFound('môn thi', 'Subject');
    return s;
  }

  async createSubject(actor: Actor, body: SubjectBody): Promise<SubjectDto> {
    const code = body.code.trim().toUpperCase();
    return transaction(this.db, async () => {
      if (await this.repo.subjectCodeTaken(code)) {
        throw new AppError(409, 'SUBJECT_CODE_TAKEN', `Mã môn thi "${code}" đã tồn tại`, `Subject code ${code} exists`);
      }
      const id = await this.repo.insertSubject(code, body.name.trim());
      appendAudit(this.db, {
        actor,
        action: 'subject.create',
        entity: 'subject',
        entityId: id,
        after: { code, name: body.name },
      });
      return { id, code, name: body.name.trim(), questionCount: 0, approvedCount: 0 };
    });
  }

  async updateSubject(actor: Actor, id: number, body: { name: string }): Promise<void> {
    const before = await this.access.subject(id);
    await transaction(this.db, async () => {
      await this.repo.renameSubject(id, body.name.trim());
      appendAudit(this.db, {
        actor,
        action: 'subject.update',
        entity: 'subject',
        entityId: id,
        before,
        after: { ...before, name: body.name },
      });
    });
  }

  listTopics(subjectId: number): Promise<TopicDto[]> {
    return this.repo.topics(subjectId);
  }

  private async topicRow(id: number): Promise<TopicDto> {
    const t = await this.repo.topic(id);
    if (!t) throw notFound('chuyên đề', 'Topic');
    return t;
  }

  private async checkParent(subjectId: number, parentId: number | null | undefined, selfId?: number): Promise<number | null> {
    if (parentId === undefined || parentId === null) return null;
    const p = await this.topicRow(parentId);
    if (p.subjectId !== subjectId) {
      throw new AppError(
        400,
        'TOPIC_PARENT_INVALID',
        'Chuyên đề cha phải thuộc cùng môn thi',
        'Parent topic must be in the same subject',
      );
    }
    // no cycles
    for (let cur: number | null = parentId; cur !== null; cur = (await this.topicRow(cur)).parentId) {
      if (cur === selfId) {
        throw new AppError(400, 'TOPIC_CYCLE', 'Chuyên đề không thể là con của chính nó', 'Topic cycle');
      }
    }
    return parentId;
  }

  async createTopic(actor: Actor, subjectId: number, body: TopicBody): Promise<TopicDto> {
    await this.access.subject(subjectId);
    return transaction(this.db, async () => {
      const parentId = await this.checkParent(subjectId, body.parentId);
      const code = body.code.trim();
      if (await this.repo.topicByCode(subjectId, code)) {
        throw new AppError(409, 'TOPIC_CODE_TAKEN', `Mã chuyên đề "${code}" đã có trong môn thi`, `Topic code ${code} exists`);
      }
      const id = await this.repo.insertTopic({ subjectId, parentId, code, name: body.name.trim() });
      const t = { id, subjectId, parentId, code, name: body.name.trim() };
      appendAudit(this.db, { actor, action: 'topic.create', entity: 'topic', entityId: id, after: t });
      return t;
    });
  }

  async updateTopic(actor: Actor, topicId: number, body: TopicBody): Promise<TopicDto> {
    const before = await this.topicRow(topicId);
    return transaction(this.db, async () => {
      const parentId = await this.checkParent(before.subjectId, body.parentId, topicId);
      const code = body.code.trim();
      if (await this.repo.topicByCode(before.subjectId, code, topicId)) {
        throw new AppError(409, 'TOPIC_CODE_TAKEN', `Mã chuyên đề "${code}" đã có trong môn thi`, 'Topic code exists');
      }
      await this.repo.updateTopic(topicId, { code, name: body.name.trim(), parentId });
      const after = { ...before, code, name: body.name.trim(), parentId };
      appendAudit(this.db, { actor, action: 'topic.update', entity: 'topic', entityId: topicId, before, after });
      return after;
    });
  }

  async topicSubject(topicId: number): Promise<number> {
    return (await this.topicRow(topicId)).subjectId;
  }

  // ---------- questions ----------

  questionSubject(questionId: number): Promise<number> {
    return this.editor.questionSubject(questionId);
  }

  async listQuestions(subjectId: number, query: QuestionQuery): Promise<{ items: QuestionDto[]; total: number }> {
    let topicIds: number[] | undefined;
    if (query.topicId !== undefined) {
      // a topic includes its sub-topics
      const children = new Map<number, number[]>();
      for (const t of await this.repo.topics(subjectId)) {
        if (t.parentId !== null) children.set(t.parentId, [...(children.get(t.parentId) ?? []), t.id]);
      }
      const seen = new Set<number>();
      const stack = [query.topicId];
      for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
        if (seen.has(id)) continue;
        seen.add(id);
        stack.push(...(children.get(id) ?? []));
      }
      topicIds = [...seen];
    }
    const words = query.q?.trim()
      ? searchKey(query.q)
          .split(' ')
          .filter(Boolean)
          .slice(0, 8)
          .map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      : [];
    const { rows, total } = await this.repo.findHeads(
      {
        subjectId,
        ...(topicIds ? { topicIds } : {}),
        ...(query.difficulty ? { difficulty: query.difficulty } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.type ? { type: query.type } : {}),
        words,
      },
      { limit: query.limit ?? 50, offset: query.offset ?? 0 },
    );
    return { items: rows.map(toDto), total };
  }

  async getQuestion(questionId: number): Promise<{ question: QuestionDto; versions: QuestionDto[]; comments: CommentDto[] }> {
    const head = await this.editor.head(questionId);
    const versions = (await this.repo.versions(questionId)).map(toDto);
    const comments = await this.repo.comments(questionId);
    return { question: toDto(head), versions, comments };
  }

  getVersion(versionId: number): Promise<QuestionDto> {
    return this.editor.getVersion(versionId);
  }

  createQuestion(user: AuthUser, subjectId: number, body: QuestionBody): Promise<QuestionDto> {
    return this.editor.create(user, subjectId, body);
  }

  /** Edits a question (an approved head gets a new draft version: questionEdits.ts). */
  updateQuestion(user: AuthUser, questionId: number, body: QuestionBody): Promise<QuestionDto> {
    return this.editor.update(user, questionId, body);
  }

  transition(user: AuthUser, questionId: number, to: QuestionStatus, comment?: string): Promise<QuestionDto> {
    return this.editor.transition(user, questionId, to, comment);
  }

  addComment(user: AuthUser, questionId: number, body: string): Promise<CommentDto> {
    return this.editor.addComment(user, questionId, body);
  }

  async summary(subjectId: number): Promise<SummaryDto> {
    const topics = await this.listTopics(subjectId);
    const counts = await this.repo.approvedCounts(subjectId);
    const byStatus = Object.fromEntries((await this.repo.headStatusCounts(subjectId)).map((r) => [r.status, r.n]));
    const zero = (): Record<string, number> => Object.fromEntries(DIFFICULTIES.map((d) => [d, 0]));
    const totals = zero();
    let total = 0;
    const rows = topics.map((t) => {
      const c = zero();
      let rowTotal = 0;
      for (const r of counts) {
        if (r.topicId !== t.id) continue;
        c[r.difficulty] = r.n;
        totals[r.difficulty] = (totals[r.difficulty] ?? 0) + r.n;
        rowTotal += r.n;
      }
      total += rowTotal;
      return { topicId: t.id, code: t.code, name: t.name, counts: c, total: rowTotal };
    });
    return { subjectId, rows, totals, total, byStatus };
  }

  // ---------- images ----------

  /** Stores an uploaded image (once: the same bytes are the same image), audited. */
  async uploadImage(actor: Actor, img: StoredImage): Promise<void> {
    await transaction(this.db, async () => {
      const added = await this.repo.insertImages([img], actor.id);
      appendAudit(this.db, {
        actor,
        action: 'image.upload',
        entity: 'image',
        entityId: img.id,
        detail: { mime: img.mime, bytes: img.bytes.length, alreadyStored: added.length === 0 },
      });
    });
  }

  // ---------- import / export ----------

  importFile(
    user: AuthUser,
    subjectId: number,
    requested: ImportFormat | 'auto',
    data: Buffer,
    opts: { dryRun: boolean; defaultTopic?: string; defaultDifficulty?: Difficulty; validOnly?: boolean },
  ): Promise<ImportReport> {
    const ctx = { db: this.db, repos: { bank: this.repo, imports: this.imports }, access: this.access };
    return importBankFile(ctx, user, subjectId, requested, data, opts);
  }

  /** Drops questions an import staged before a crash (run once at start). */
  discardStaged(): Promise<number> {
    return discardStagedQuestions(this.db, this.imports);
  }

  /** One candidate's papers as a Word file (paperExport.ts). */
  candidatePapersDocx(actor: Actor, candidateId: number): Promise<{ docx: Buffer; filename: string }> {
    return candidatePapersDocx(this.db, this.papers, actor, candidateId, (ids) => this.repo.imagesByIds(ids));
  }

  /** The stored images a bank shows (stems, options, explanations), for the formats that carry them inside the file. */
  async exportImages(bank: BankFile): Promise<ExportImages> {
    const ids = bank.questions.flatMap((q) => [
      ...imageIdsIn(q.stem),
      ...q.options.flatMap((o) => imageIdsIn(o.text)),
      ...imageIdsIn(q.explanation ?? ''),
    ]);
    const out: ExportImages = {};
    for (const img of await this.repo.imagesByIds(ids)) out[img.id] = { mime: img.mime, bytes: img.bytes };
    return out;
  }

  /** The subject as a bank file: every topic and the newest version of every question. */
  async exportBank(subjectId: number): Promise<BankFile> {
    const subject = await this.access.subject(subjectId);
    const topics = await this.listTopics(subjectId);
    const codeOf = new Map(topics.map((t) => [t.id, t.code]));
    const rows = await this.repo.heads(subjectId);
    return {
      format: 'vn-exam-bank/1',
      subject: { code: subject.code, name: subject.name },
      topics: topics.map((t) => {
        const parent = t.parentId !== null ? codeOf.get(t.parentId) : undefined;
        return parent ? { code: t.code, name: t.name, parent } : { code: t.code, name: t.name };
      }),
      questions: rows.map((r) => {
        const d = toDto(r);
        const q: BankQuestion = {
          ref: d.ref,
          ...(d.title ? { title: d.title } : {}),
          type: d.type,
          topic: codeOf.get(d.topicId) ?? '',
          difficulty: d.difficulty,
          stem: d.stem,
          options: d.options.map((o) =>
            o.pinned ? { text: o.text, correct: o.correct, pinned: true } : { text: o.text, correct: o.correct },
          ),
        };
        if (d.partialCredit) q.partialCredit = true;
        if (d.explanation) q.explanation = d.explanation;
        if (d.legalBasis) q.legalBasis = d.legalBasis;
        if (d.tags.length) q.tags = d.tags;
        q.status = d.status;
        return q;
      }),
    };
  }
}
