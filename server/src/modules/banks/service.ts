import {
  type BankFile,
  type BankQuestion,
  type ChoiceOption,
  type CommentDto,
  DIFFICULTIES,
  type Difficulty,
  type ImportFormat,
  type ImportReport,
  type QuestionBody,
  type QuestionDto,
  type QuestionQuery,
  type QuestionStatus,
  type QuestionTypeId,
  questionType,
  STATUS_TRANSITIONS,
  type SubjectBody,
  type SubjectDto,
  type SummaryDto,
  searchKey,
  type TopicBody,
  type TopicDto,
} from '@exam/shared';
import type { Statement } from 'better-sqlite3';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { StatementCache } from '../../db/statements.js';
import { type AuthUser, hasRole } from '../../plugins/auth.js';
import { AppError, notFound } from '../../plugins/errors.js';
import { boundIssues, summarizeIssues } from '../imports/issues.js';
import { BANK_IMPORT_MAX_ROWS, checkFileSize, IMPORT_MAX_LISTED_ISSUES } from '../imports/limits.js';
import { prepareBankImportOffThread } from '../imports/run.js';
import { detectImportFormat, SUPPORTED_FORMATS_TEXT } from './formats/detect.js';
import { type CleanContent, normalizeContent, versionSearchText } from './importPrepare.js';
import { writeBankImport } from './importWrite.js';
import { imageIdsIn, type StoredImage } from './sanitize.js';

interface VersionRow {
  id: number;
  questionId: number;
  version: number;
  subjectId: number;
  ref: string;
  title: string;
  type: QuestionTypeId;
  topicId: number;
  difficulty: Difficulty;
  stem: string;
  options: string;
  partialCredit: number;
  explanation: string;
  legalBasis: string;
  tags: string;
  status: QuestionStatus;
  authorId: number;
  authorName: string;
  approvedBy: number | null;
  approvedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const VERSION_COLUMNS = `v.id, v.question_id AS questionId, v.version, q.subject_id AS subjectId, q.ref, q.title, v.type,
  v.topic_id AS topicId, v.difficulty, v.stem, v.options, v.partial_credit AS partialCredit, v.explanation,
  v.legal_basis AS legalBasis, v.tags, v.status, v.author_id AS authorId, u.full_name AS authorName,
  v.approved_by AS approvedBy, v.approved_at AS approvedAt, v.created_at AS createdAt, v.updated_at AS updatedAt`;
const VERSION_FROM = `question_versions v JOIN questions q ON q.id = v.question_id JOIN users u ON u.id = v.author_id`;

function toDto(r: VersionRow): QuestionDto {
  return {
    id: r.questionId,
    versionId: r.id,
    version: r.version,
    subjectId: r.subjectId,
    ref: r.ref,
    ...(r.title ? { title: r.title } : {}),
    type: r.type,
    topicId: r.topicId,
    difficulty: r.difficulty,
    stem: r.stem,
    options: JSON.parse(r.options) as ChoiceOption[],
    partialCredit: !!r.partialCredit,
    explanation: r.explanation,
    legalBasis: r.legalBasis,
    tags: JSON.parse(r.tags) as string[],
    status: r.status,
    authorId: r.authorId,
    authorName: r.authorName,
    approvedBy: r.approvedBy,
    approvedAt: r.approvedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

const nowIso = () => new Date().toISOString();

export class BankService {
  private readonly sqlite;
  private readonly stmts: StatementCache;
  constructor(private readonly db: Db) {
    this.sqlite = db.$client;
    this.stmts = new StatementCache(db.$client);
  }

  private stmt(sql: string): Statement {
    return this.stmts.get(sql);
  }

  // ---------- access ----------

  private isBoard(user: AuthUser): boolean {
    return hasRole(user, 'admin', 'board');
  }

  canRead(user: AuthUser, subjectId: number): boolean {
    return this.isBoard(user) || user.subjectIds.includes(subjectId);
  }

  assertRead(user: AuthUser, subjectId: number): void {
    this.subjectRow(subjectId);
    if (!this.canRead(user, subjectId)) {
      throw new AppError(
        403,
        'FORBIDDEN_SUBJECT',
        'Bạn không được phân công môn thi này nên không thể xem hoặc sửa câu hỏi của môn.',
        'You are not assigned to this subject.',
        { subjectId },
      );
    }
  }

  /** Writing questions: an author of the subject, or the board. */
  assertAuthor(user: AuthUser, subjectId: number): void {
    this.assertRead(user, subjectId);
    if (!(hasRole(user, 'board') || hasRole(user, 'author'))) {
      throw new AppError(403, 'FORBIDDEN_ROLE', 'Chỉ người ra đề hoặc Hội đồng thi được soạn câu hỏi.', 'Authors or board only.');
    }
  }

  private assertReviewer(user: AuthUser, subjectId: number): void {
    this.assertRead(user, subjectId);
    if (!(hasRole(user, 'board') || hasRole(user, 'reviewer'))) {
      throw new AppError(
        403,
        'FORBIDDEN_ROLE',
        'Chỉ người duyệt đề hoặc Hội đồng thi được duyệt câu hỏi.',
        'Reviewers or board only.',
      );
    }
  }

  // ---------- subjects and topics ----------

  private subjectRow(id: number): { id: number; code: string; name: string } {
    const s = this.stmt('SELECT id, code, name FROM subjects WHERE id = ?').get(id) as
      | { id: number; code: string; name: string }
      | undefined;
    if (!s) throw notFound('môn thi', 'Subject');
    return s;
  }

  listSubjects(user: AuthUser): SubjectDto[] {
    const rows = this.stmt(
      `SELECT s.id, s.code, s.name,
           (SELECT COUNT(*) FROM questions q WHERE q.subject_id = s.id AND q.head_version_id IS NOT NULL) AS questionCount,
           (SELECT COUNT(*) FROM question_versions v JOIN questions q ON q.id = v.question_id
              WHERE q.subject_id = s.id AND v.status = 'approved' AND q.head_version_id IS NOT NULL) AS approvedCount
         FROM subjects s ORDER BY s.code`,
    ).all() as SubjectDto[];
    return rows.filter((s) => this.canRead(user, s.id));
  }

  getSubject(user: AuthUser, id: number): SubjectDto {
    this.assertRead(user, id);
    const s = this.listSubjects(user).find((x) => x.id === id);
    if (!s) throw notFound('môn thi', 'Subject');
    return s;
  }

  createSubject(actor: Actor, body: SubjectBody): SubjectDto {
    const code = body.code.trim().toUpperCase();
    return this.sqlite.transaction(() => {
      if (this.stmt('SELECT 1 FROM subjects WHERE code = ?').get(code)) {
        throw new AppError(409, 'SUBJECT_CODE_TAKEN', `Mã môn thi "${code}" đã tồn tại`, `Subject code ${code} exists`);
      }
      const id = Number(this.stmt('INSERT INTO subjects (code, name) VALUES (?, ?)').run(code, body.name.trim()).lastInsertRowid);
      appendAudit(this.db, {
        actor,
        action: 'subject.create',
        entity: 'subject',
        entityId: id,
        after: { code, name: body.name },
      });
      return { id, code, name: body.name.trim(), questionCount: 0, approvedCount: 0 };
    })();
  }

  updateSubject(actor: Actor, id: number, body: { name: string }): void {
    const before = this.subjectRow(id);
    this.sqlite.transaction(() => {
      this.stmt('UPDATE subjects SET name = ? WHERE id = ?').run(body.name.trim(), id);
      appendAudit(this.db, {
        actor,
        action: 'subject.update',
        entity: 'subject',
        entityId: id,
        before,
        after: { ...before, name: body.name },
      });
    })();
  }

  listTopics(subjectId: number): TopicDto[] {
    return this.stmt(
      'SELECT id, subject_id AS subjectId, parent_id AS parentId, code, name FROM topics WHERE subject_id = ? ORDER BY id',
    ).all(subjectId) as TopicDto[];
  }

  private topicRow(id: number): TopicDto {
    const t = this.stmt('SELECT id, subject_id AS subjectId, parent_id AS parentId, code, name FROM topics WHERE id = ?').get(
      id,
    ) as TopicDto | undefined;
    if (!t) throw notFound('chuyên đề', 'Topic');
    return t;
  }

  private checkParent(subjectId: number, parentId: number | null | undefined, selfId?: number): number | null {
    if (parentId === undefined || parentId === null) return null;
    const p = this.topicRow(parentId);
    if (p.subjectId !== subjectId) {
      throw new AppError(
        400,
        'TOPIC_PARENT_INVALID',
        'Chuyên đề cha phải thuộc cùng môn thi',
        'Parent topic must be in the same subject',
      );
    }
    // no cycles
    for (let cur: number | null = parentId; cur !== null; cur = this.topicRow(cur).parentId) {
      if (cur === selfId) {
        throw new AppError(400, 'TOPIC_CYCLE', 'Chuyên đề không thể là con của chính nó', 'Topic cycle');
      }
    }
    return parentId;
  }

  createTopic(actor: Actor, subjectId: number, body: TopicBody): TopicDto {
    this.subjectRow(subjectId);
    return this.sqlite.transaction(() => {
      const parentId = this.checkParent(subjectId, body.parentId);
      const code = body.code.trim();
      if (this.stmt('SELECT 1 FROM topics WHERE subject_id = ? AND code = ?').get(subjectId, code)) {
        throw new AppError(409, 'TOPIC_CODE_TAKEN', `Mã chuyên đề "${code}" đã có trong môn thi`, `Topic code ${code} exists`);
      }
      const id = Number(
        this.stmt('INSERT INTO topics (subject_id, parent_id, code, name) VALUES (?, ?, ?, ?)').run(
          subjectId,
          parentId,
          code,
          body.name.trim(),
        ).lastInsertRowid,
      );
      const t = { id, subjectId, parentId, code, name: body.name.trim() };
      appendAudit(this.db, { actor, action: 'topic.create', entity: 'topic', entityId: id, after: t });
      return t;
    })();
  }

  updateTopic(actor: Actor, topicId: number, body: TopicBody): TopicDto {
    const before = this.topicRow(topicId);
    return this.sqlite.transaction(() => {
      const parentId = this.checkParent(before.subjectId, body.parentId, topicId);
      const code = body.code.trim();
      const clash = this.stmt('SELECT id FROM topics WHERE subject_id = ? AND code = ? AND id <> ?').get(
        before.subjectId,
        code,
        topicId,
      );
      if (clash) throw new AppError(409, 'TOPIC_CODE_TAKEN', `Mã chuyên đề "${code}" đã có trong môn thi`, 'Topic code exists');
      this.stmt('UPDATE topics SET code = ?, name = ?, parent_id = ? WHERE id = ?').run(
        code,
        body.name.trim(),
        parentId,
        topicId,
      );
      const after = { ...before, code, name: body.name.trim(), parentId };
      appendAudit(this.db, { actor, action: 'topic.update', entity: 'topic', entityId: topicId, before, after });
      return after;
    })();
  }

  topicSubject(topicId: number): number {
    return this.topicRow(topicId).subjectId;
  }

  // ---------- questions ----------

  private versionById(versionId: number): VersionRow | undefined {
    return this.stmt(`SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.id = ?`).get(versionId) as VersionRow | undefined;
  }

  private head(questionId: number): VersionRow {
    const r = this.stmt(`SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.id = q.head_version_id AND q.id = ?`).get(
      questionId,
    ) as VersionRow | undefined;
    if (!r) throw notFound('câu hỏi', 'Question');
    return r;
  }

  questionSubject(questionId: number): number {
    const r = this.stmt('SELECT subject_id AS s FROM questions WHERE id = ?').get(questionId) as { s: number } | undefined;
    if (!r) throw notFound('câu hỏi', 'Question');
    return r.s;
  }

  listQuestions(subjectId: number, query: QuestionQuery): { items: QuestionDto[]; total: number } {
    const where: string[] = ['q.subject_id = @subjectId', 'v.id = q.head_version_id'];
    const params: Record<string, unknown> = { subjectId };
    if (query.topicId !== undefined) {
      // a topic includes its sub-topics
      where.push(`v.topic_id IN (WITH RECURSIVE sub(id) AS (SELECT @topicId UNION ALL
        SELECT t.id FROM topics t JOIN sub ON t.parent_id = sub.id) SELECT id FROM sub)`);
      params.topicId = query.topicId;
    }
    if (query.difficulty) {
      where.push('v.difficulty = @difficulty');
      params.difficulty = query.difficulty;
    }
    if (query.status) {
      where.push('v.status = @status');
      params.status = query.status;
    }
    if (query.type) {
      where.push('v.type = @type');
      params.type = query.type;
    }
    if (query.q?.trim()) {
      const words = searchKey(query.q).split(' ').filter(Boolean).slice(0, 8);
      words.forEach((w, i) => {
        where.push(
          `(v.search_text LIKE @w${i} ESCAPE '\\' OR q.ref LIKE @w${i} ESCAPE '\\' OR q.title_key LIKE @w${i} ESCAPE '\\')`,
        );
        params[`w${i}`] = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      });
    }
    const sqlWhere = where.join(' AND ');
    const total = (this.stmt(`SELECT COUNT(*) AS n FROM ${VERSION_FROM} WHERE ${sqlWhere}`).get(params) as { n: number }).n;
    const rows = this.stmt(
      `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE ${sqlWhere} ORDER BY q.id LIMIT @limit OFFSET @offset`,
    ).all({ ...params, limit: query.limit ?? 50, offset: query.offset ?? 0 }) as VersionRow[];
    return { items: rows.map(toDto), total };
  }

  getQuestion(questionId: number): { question: QuestionDto; versions: QuestionDto[]; comments: CommentDto[] } {
    const head = this.head(questionId);
    const versions = (
      this.stmt(`SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE q.id = ? ORDER BY v.version DESC`).all(
        questionId,
      ) as VersionRow[]
    ).map(toDto);
    const comments = this.stmt(
      `SELECT c.id, c.version_id AS versionId, v.version, c.user_id AS userId, u.full_name AS userName, c.kind, c.body,
                c.created_at AS createdAt
           FROM question_comments c JOIN question_versions v ON v.id = c.version_id JOIN users u ON u.id = c.user_id
          WHERE v.question_id = ? ORDER BY c.id`,
    ).all(questionId) as CommentDto[];
    return { question: toDto(head), versions, comments };
  }

  getVersion(versionId: number): QuestionDto {
    const r = this.versionById(versionId);
    if (!r) throw notFound('phiên bản câu hỏi', 'Question version');
    return toDto(r);
  }

  /** Normalizes, sanitizes and validates a question body; throws a 400 naming each problem. */
  private clean(subjectId: number, body: QuestionBody, images: StoredImage[]): CleanContent {
    const topic = this.topicRow(body.topicId);
    if (topic.subjectId !== subjectId) {
      throw new AppError(400, 'TOPIC_INVALID', 'Chuyên đề không thuộc môn thi này', 'Topic belongs to another subject');
    }
    const content = normalizeContent(body, images);
    const issues = questionType(content.type).validateContent(content);
    if (issues.length) {
      throw new AppError(
        400,
        'QUESTION_INVALID',
        `Câu hỏi chưa hợp lệ: ${issues.map((i) => i.message).join('; ')}`,
        'Question is not valid',
        { issues },
      );
    }
    return { ...content, topicId: body.topicId };
  }

  private insertImages(images: StoredImage[], userId: number | null): void {
    const stmt = this.stmt('INSERT OR IGNORE INTO images (id, mime, bytes, uploaded_by) VALUES (?, ?, ?, ?)');
    for (const img of images) stmt.run(img.id, img.mime, img.bytes, userId);
  }

  /** Records the subject of every stored image the content shows (who may read it: imageAccess.ts). */
  private linkImages(subjectId: number, c: Pick<CleanContent, 'stem' | 'options' | 'explanation'>): void {
    const ids = imageIdsIn(`${c.stem}${c.options.map((o) => o.text).join('')}${c.explanation}`);
    if (ids.length === 0) return;
    const stmt = this.stmt('INSERT OR IGNORE INTO image_subjects (image_id, subject_id) SELECT id, ? FROM images WHERE id = ?');
    for (const id of ids) stmt.run(subjectId, id);
  }

  private insertVersion(
    questionId: number,
    version: number,
    c: CleanContent,
    status: QuestionStatus,
    authorId: number,
    ref: string,
    searchText = versionSearchText(ref, c),
  ): number {
    const id = Number(
      this.stmt(
        `INSERT INTO question_versions (question_id, version, type, topic_id, difficulty, stem, options, partial_credit,
             explanation, legal_basis, tags, status, search_text, author_id, approved_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        questionId,
        version,
        c.type,
        c.topicId,
        c.difficulty,
        c.stem,
        JSON.stringify(c.options),
        c.partialCredit ? 1 : 0,
        c.explanation,
        c.legalBasis,
        JSON.stringify(c.tags),
        status,
        searchText,
        authorId,
        status === 'approved' ? nowIso() : null,
      ).lastInsertRowid,
    );
    this.stmt('UPDATE questions SET head_version_id = ? WHERE id = ?').run(id, questionId);
    return id;
  }

  private nextRef(subjectId: number): string {
    const s = this.subjectRow(subjectId);
    const n = (this.stmt('SELECT COUNT(*) AS n FROM questions WHERE subject_id = ?').get(subjectId) as { n: number }).n;
    for (let i = n + 1; ; i++) {
      const ref = `${s.code}-${String(i).padStart(4, '0')}`;
      if (!this.stmt('SELECT 1 FROM questions WHERE subject_id = ? AND ref = ?').get(subjectId, ref)) return ref;
    }
  }

  createQuestion(user: AuthUser, subjectId: number, body: QuestionBody): QuestionDto {
    this.assertAuthor(user, subjectId);
    const images: StoredImage[] = [];
    const c = this.clean(subjectId, body, images);
    return this.sqlite.transaction(() => {
      const ref = body.ref?.trim() || this.nextRef(subjectId);
      if (this.stmt('SELECT 1 FROM questions WHERE subject_id = ? AND ref = ?').get(subjectId, ref)) {
        throw new AppError(409, 'QUESTION_REF_TAKEN', `Mã câu hỏi "${ref}" đã tồn tại trong môn thi`, 'Question ref exists');
      }
      this.insertImages(images, user.id);
      const qid = Number(this.stmt('INSERT INTO questions (subject_id, ref) VALUES (?, ?)').run(subjectId, ref).lastInsertRowid);
      const vid = this.insertVersion(qid, 1, c, 'draft', user.id, ref);
      this.linkImages(subjectId, c);
      const dto = this.getVersion(vid);
      appendAudit(this.db, {
        actor: { id: user.id, name: user.username },
        action: 'question.create',
        entity: 'question',
        entityId: qid,
        after: dto,
      });
      return dto;
    })();
  }

  /**
   * Edits a question. A draft or submitted head is changed in place (and goes back to draft);
   * an approved head is never touched: the edit becomes a new draft version, and the approved
   * one stays in use until the new one is approved.
   */
  updateQuestion(user: AuthUser, questionId: number, body: QuestionBody): QuestionDto {
    const subjectId = this.questionSubject(questionId);
    this.assertAuthor(user, subjectId);
    const images: StoredImage[] = [];
    const c = this.clean(subjectId, body, images);
    return this.sqlite.transaction(() => {
      const head = this.head(questionId);
      if (head.status === 'retired') {
        throw new AppError(409, 'QUESTION_RETIRED', 'Câu hỏi đã ngừng sử dụng, không thể sửa', 'Question is retired');
      }
      this.insertImages(images, user.id);
      this.linkImages(subjectId, c);
      let vid: number;
      if (head.status === 'approved') {
        vid = this.insertVersion(questionId, head.version + 1, c, 'draft', user.id, head.ref);
      } else {
        this.stmt(
          `UPDATE question_versions SET type = ?, topic_id = ?, difficulty = ?, stem = ?, options = ?, partial_credit = ?,
               explanation = ?, legal_basis = ?, tags = ?, status = 'draft', search_text = ?,
               updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
             WHERE id = ?`,
        ).run(
          c.type,
          c.topicId,
          c.difficulty,
          c.stem,
          JSON.stringify(c.options),
          c.partialCredit ? 1 : 0,
          c.explanation,
          c.legalBasis,
          JSON.stringify(c.tags),
          versionSearchText(head.ref, c),
          head.id,
        );
        vid = head.id;
      }
      const dto = this.getVersion(vid);
      appendAudit(this.db, {
        actor: { id: user.id, name: user.username },
        action: head.status === 'approved' ? 'question.new_version' : 'question.update',
        entity: 'question',
        entityId: questionId,
        before: toDto(head),
        after: dto,
        detail: { version: dto.version },
      });
      return dto;
    })();
  }

  transition(user: AuthUser, questionId: number, to: QuestionStatus, comment?: string): QuestionDto {
    const subjectId = this.questionSubject(questionId);
    const head = this.head(questionId);
    const from = head.status;
    if (!STATUS_TRANSITIONS[from].includes(to)) {
      throw new AppError(
        409,
        'INVALID_TRANSITION',
        `Không thể chuyển câu hỏi từ trạng thái "${from}" sang "${to}"`,
        `Cannot move a question from ${from} to ${to}`,
        { from, to },
      );
    }
    if (to === 'submitted') this.assertAuthor(user, subjectId);
    if (to === 'approved' || (from === 'submitted' && to === 'draft')) this.assertReviewer(user, subjectId);
    if (to === 'retired') {
      this.assertRead(user, subjectId);
      const author = head.authorId === user.id && from !== 'approved';
      if (!(author || hasRole(user, 'board', 'reviewer'))) {
        throw new AppError(
          403,
          'FORBIDDEN_ROLE',
          'Chỉ người duyệt đề hoặc Hội đồng thi được ngừng sử dụng câu hỏi.',
          'Forbidden',
        );
      }
    }
    if (to === 'approved' && head.authorId === user.id) {
      throw new AppError(
        403,
        'SELF_APPROVAL',
        'Người duyệt không được là tác giả của câu hỏi. Câu hỏi phải do người khác duyệt.',
        'The author of a question cannot approve it.',
      );
    }
    if (from === 'submitted' && to === 'draft' && !comment?.trim()) {
      throw new AppError(400, 'COMMENT_REQUIRED', 'Cần ghi rõ lý do khi trả lại câu hỏi cho tác giả.', 'A comment is required');
    }
    return this.sqlite.transaction(() => {
      if (to === 'approved') {
        // the previously approved version (if any) is superseded
        this.stmt("UPDATE question_versions SET status = 'retired' WHERE question_id = ? AND status = 'approved'").run(
          questionId,
        );
        this.stmt(
          "UPDATE question_versions SET status = 'approved', approved_by = ?, approved_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
        ).run(user.id, head.id);
      } else if (to === 'retired') {
        this.stmt("UPDATE question_versions SET status = 'retired' WHERE question_id = ? AND status <> 'retired'").run(
          questionId,
        );
      } else {
        this.stmt("UPDATE question_versions SET status = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(
          to,
          head.id,
        );
      }
      const kind = to === 'approved' ? 'approve' : to === 'submitted' ? 'submit' : to === 'retired' ? 'retire' : 'return';
      if (comment?.trim() || kind !== 'submit') {
        this.stmt('INSERT INTO question_comments (version_id, user_id, kind, body) VALUES (?, ?, ?, ?)').run(
          head.id,
          user.id,
          kind,
          comment?.trim() ?? '',
        );
      }
      const dto = this.getVersion(head.id);
      appendAudit(this.db, {
        actor: { id: user.id, name: user.username },
        action: `question.${kind}`,
        entity: 'question',
        entityId: questionId,
        before: { status: from, versionId: head.id },
        after: { status: dto.status, versionId: head.id },
        detail: { version: head.version, comment: comment ?? '' },
      });
      return dto;
    })();
  }

  addComment(user: AuthUser, questionId: number, body: string): CommentDto {
    const subjectId = this.questionSubject(questionId);
    this.assertRead(user, subjectId);
    const head = this.head(questionId);
    return this.sqlite.transaction(() => {
      const id = Number(
        this.stmt("INSERT INTO question_comments (version_id, user_id, kind, body) VALUES (?, ?, 'comment', ?)").run(
          head.id,
          user.id,
          body.trim(),
        ).lastInsertRowid,
      );
      appendAudit(this.db, {
        actor: { id: user.id, name: user.username },
        action: 'question.comment',
        entity: 'question',
        entityId: questionId,
        after: { body },
      });
      const c = this.getQuestion(questionId).comments.find((x) => x.id === id);
      if (!c) throw notFound('ý kiến', 'Comment');
      return c;
    })();
  }

  summary(subjectId: number): SummaryDto {
    const topics = this.listTopics(subjectId);
    const counts = this.stmt(
      `SELECT v.topic_id AS topicId, v.difficulty, COUNT(*) AS n FROM question_versions v JOIN questions q ON q.id = v.question_id
          WHERE q.subject_id = ? AND v.status = 'approved' AND q.head_version_id IS NOT NULL GROUP BY v.topic_id, v.difficulty`,
    ).all(subjectId) as { topicId: number; difficulty: Difficulty; n: number }[];
    const byStatus = Object.fromEntries(
      (
        this.stmt(
          `SELECT v.status, COUNT(*) AS n FROM questions q JOIN question_versions v ON v.id = q.head_version_id
              WHERE q.subject_id = ? GROUP BY v.status`,
        ).all(subjectId) as { status: string; n: number }[]
      ).map((r) => [r.status, r.n]),
    );
    const zero = () => Object.fromEntries(DIFFICULTIES.map((d) => [d, 0])) as Record<string, number>;
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

  // ---------- import / export ----------

  async importFile(
    user: AuthUser,
    subjectId: number,
    requested: ImportFormat | 'auto',
    data: Buffer,
    opts: { dryRun: boolean; defaultTopic?: string; defaultDifficulty?: Difficulty; validOnly?: boolean },
  ): Promise<ImportReport> {
    this.assertAuthor(user, subjectId);
    checkFileSize(data);
    const format = requested === 'auto' ? detectedFormat(data) : requested;
    const t0 = performance.now();
    const subject = this.subjectRow(subjectId);
    const topicRows = this.listTopics(subjectId);
    const codeOf = new Map(topicRows.map((t) => [t.id, t.code]));
    // read and checked in the import process (imports/run.ts): the event loop keeps serving answers
    const prepared = await prepareBankImportOffThread({
      format,
      data,
      defaultTopic: opts.defaultTopic,
      defaultDifficulty: opts.defaultDifficulty,
      maxRows: BANK_IMPORT_MAX_ROWS,
      subjectCode: subject.code,
      existingTopics: topicRows.map((t) => t.code),
      existingTopicTree: topicRows.map((t) => {
        const parent = t.parentId !== null ? codeOf.get(t.parentId) : undefined;
        return parent ? { code: t.code, name: t.name, parent } : { code: t.code, name: t.name };
      }),
      existingRefs: this.stmt('SELECT ref FROM questions WHERE subject_id = ?').pluck().all(subjectId) as string[],
      board: hasRole(user, 'board', 'admin'),
      keepReady: !opts.dryRun,
    });
    const { issues, newTopics, images } = prepared;
    const summary = summarizeIssues(issues);
    const report: ImportReport = {
      dryRun: opts.dryRun,
      format,
      ok: summary.errors === 0,
      questions: prepared.questions,
      created: 0,
      topicsCreated: 0,
      errors: summary.errors,
      skipped: summary.skipped,
      warnings: summary.warnings,
      valid: prepared.readyCount,
      blocking: summary.blocking,
      newTopics: newTopics.length,
      ...boundIssues(issues),
      ms: 0,
    };
    const validOnly = !!opts.validOnly && summary.errors > 0;
    if (opts.validOnly) report.validOnly = true;
    // the questions a "valid only" import leaves out (the dry run shows them before the choice)
    if (summary.leftOut.length > 0) report.leftOut = summary.leftOut.slice(0, IMPORT_MAX_LISTED_ISSUES);
    if (!opts.dryRun && validOnly) {
      // "valid only" is a choice made after reading the report: never over an error of the whole file
      if (summary.blocking > 0) {
        throw new AppError(
          422,
          'IMPORT_FILE_INVALID',
          'Tệp có lỗi chung (không thuộc câu hỏi nào) nên không thể nhập, kể cả các câu hợp lệ; hãy sửa tệp theo báo cáo.',
          'The file has errors outside any question; nothing can be imported',
        );
      }
      if (prepared.readyCount === 0) {
        throw new AppError(422, 'IMPORT_NOTHING_VALID', 'Không có câu hỏi hợp lệ nào để nhập.', 'No valid question to import');
      }
    }
    if (opts.dryRun || (summary.errors > 0 && !validOnly)) {
      report.ms = Math.round(performance.now() - t0);
      return report;
    }

    // all or nothing (of the file, or of its valid questions when the board chose so), in short
    // chunks that give the answer path its turn (importWrite.ts)
    const written = await writeBankImport(this.db, {
      subjectId,
      user,
      format,
      newTopics,
      readyChunks: prepared.readyChunks,
      readyCount: prepared.readyCount,
      images,
      contentSha256: prepared.contentSha256,
      ...(validOnly ? { validOnly: { leftOut: summary.leftOut } } : {}),
    });
    report.ok = true;
    report.created = written.created;
    report.topicsCreated = written.topicsCreated;
    report.ms = Math.round(performance.now() - t0);
    return report;
  }

  /** The subject as a bank file: every topic and the newest version of every question. */
  exportBank(subjectId: number): BankFile {
    const subject = this.subjectRow(subjectId);
    const topics = this.listTopics(subjectId);
    const codeOf = new Map(topics.map((t) => [t.id, t.code]));
    const rows = this.stmt(
      `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE q.subject_id = ? AND v.id = q.head_version_id ORDER BY q.id`,
    ).all(subjectId) as VersionRow[];
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

/** The format recognised from the content, or a 415 naming the formats that are supported. */
function detectedFormat(data: Buffer): ImportFormat {
  const d = detectImportFormat(data);
  if (d.format) return d.format;
  throw new AppError(
    415,
    'IMPORT_FORMAT_UNKNOWN',
    d.reason === 'legacy-office'
      ? `Tệp Word/Excel kiểu cũ (.doc, .xls) không đọc được; hãy lưu lại dạng .docx hoặc .xlsx. Các định dạng được hỗ trợ: ${SUPPORTED_FORMATS_TEXT}.`
      : `Không nhận ra định dạng của tệp. Các định dạng được hỗ trợ: ${SUPPORTED_FORMATS_TEXT}.`,
    'Unknown file format; supported: Excel, CSV, Word, Moodle XML, QTI, GIFT, Aiken, JSON',
  );
}
