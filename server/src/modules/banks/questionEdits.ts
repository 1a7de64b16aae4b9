/**
 * Writing questions: create, edit (an approved head gets a new version), the review transitions
 * (submit, approve, return, retire) and comments. Every change is one transaction with its audit entry.
 */
import {
  type CommentDto,
  type QuestionBody,
  type QuestionDto,
  type QuestionStatus,
  questionType,
  STATUS_TRANSITIONS,
} from '@exam/shared';
import { appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { type AuthUser, hasRole } from '../../plugins/auth.js';
import { AppError, notFound } from '../../plugins/errors.js';
import type { BankAccess } from './access.js';
import { type CleanContent, normalizeContent, versionSearchText } from './importPrepare.js';
import type { BankRepo } from './repo/bankRepo.js';
import { statusOf, toDto, type VersionRow } from './repo/rows.js';
import { imageIdsIn, type StoredImage } from './sanitize.js';

export class QuestionEditor {
  constructor(
    private readonly db: Db,
    private readonly repo: BankRepo,
    private readonly access: BankAccess,
  ) {}

  async questionSubject(questionId: number): Promise<number> {
    const s = await this.repo.questionSubject(questionId);
    if (s === undefined) throw notFound('câu hỏi', 'Question');
    return s;
  }

  async head(questionId: number): Promise<VersionRow> {
    const r = await this.repo.head(questionId);
    if (!r) throw notFound('câu hỏi', 'Question');
    return r;
  }

  async getVersion(versionId: number): Promise<QuestionDto> {
    const r = await this.repo.version(versionId);
    if (!r) throw notFound('phiên bản câu hỏi', 'Question version');
    return toDto(r);
  }

  /** Normalizes, sanitizes and validates a question body; throws a 400 naming each problem. */
  private async clean(subjectId: number, body: QuestionBody, images: StoredImage[]): Promise<CleanContent> {
    const topic = await this.repo.topic(body.topicId);
    if (!topic) throw notFound('chuyên đề', 'Topic');
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

  /** Records the subject of every stored image the content shows (who may read it: imageAccess.ts). */
  private async linkImages(subjectId: number, c: Pick<CleanContent, 'stem' | 'options' | 'explanation'>): Promise<void> {
    await this.repo.linkImages(subjectId, imageIdsIn(`${c.stem}${c.options.map((o) => o.text).join('')}${c.explanation}`));
  }

  private async nextRef(subjectId: number): Promise<string> {
    const s = await this.access.subject(subjectId);
    const n = await this.repo.questionCount(subjectId);
    for (let i = n + 1; ; i++) {
      const ref = `${s.code}-${String(i).padStart(4, '0')}`;
      if (!(await this.repo.refTaken(subjectId, ref))) return ref;
    }
  }

  async create(user: AuthUser, subjectId: number, body: QuestionBody): Promise<QuestionDto> {
    await this.access.assertAuthor(user, subjectId);
    const images: StoredImage[] = [];
    const c = await this.clean(subjectId, body, images);
    return transaction(this.db, async () => {
      const ref = body.ref?.trim() || (await this.nextRef(subjectId));
      if (await this.repo.refTaken(subjectId, ref)) {
        throw new AppError(409, 'QUESTION_REF_TAKEN', `Mã câu hỏi "${ref}" đã tồn tại trong môn thi`, 'Question ref exists');
      }
      await this.repo.insertImages(images, user.id);
      const qid = await this.repo.insertQuestion(subjectId, ref);
      const vid = await this.repo.insertVersion({
        questionId: qid,
        version: 1,
        content: c,
        status: 'draft',
        authorId: user.id,
        searchText: versionSearchText(ref, c),
      });
      await this.linkImages(subjectId, c);
      const dto = await this.getVersion(vid);
      appendAudit(this.db, {
        actor: { id: user.id, name: user.username },
        action: 'question.create',
        entity: 'question',
        entityId: qid,
        after: dto,
      });
      return dto;
    });
  }

  /**
   * Edits a question. A draft or submitted head is changed in place (and goes back to draft);
   * an approved head is never touched: the edit becomes a new draft version, and the approved
   * one stays in use until the new one is approved.
   */
  async update(user: AuthUser, questionId: number, body: QuestionBody): Promise<QuestionDto> {
    const subjectId = await this.questionSubject(questionId);
    await this.access.assertAuthor(user, subjectId);
    const images: StoredImage[] = [];
    const c = await this.clean(subjectId, body, images);
    return transaction(this.db, async () => {
      const head = await this.head(questionId);
      const status = statusOf(head.status);
      if (status === 'retired') {
        throw new AppError(409, 'QUESTION_RETIRED', 'Câu hỏi đã ngừng sử dụng, không thể sửa', 'Question is retired');
      }
      await this.repo.insertImages(images, user.id);
      await this.linkImages(subjectId, c);
      let vid: number;
      if (status === 'approved') {
        vid = await this.repo.insertVersion({
          questionId,
          version: head.version + 1,
          content: c,
          status: 'draft',
          authorId: user.id,
          searchText: versionSearchText(head.ref, c),
        });
      } else {
        await this.repo.rewriteVersion(head.id, c, versionSearchText(head.ref, c));
        vid = head.id;
      }
      const dto = await this.getVersion(vid);
      appendAudit(this.db, {
        actor: { id: user.id, name: user.username },
        action: status === 'approved' ? 'question.new_version' : 'question.update',
        entity: 'question',
        entityId: questionId,
        before: toDto(head),
        after: dto,
        detail: { version: dto.version },
      });
      return dto;
    });
  }

  async transition(user: AuthUser, questionId: number, to: QuestionStatus, comment?: string): Promise<QuestionDto> {
    const subjectId = await this.questionSubject(questionId);
    const head = await this.head(questionId);
    const from = statusOf(head.status);
    if (!STATUS_TRANSITIONS[from].includes(to)) {
      throw new AppError(
        409,
        'INVALID_TRANSITION',
        `Không thể chuyển câu hỏi từ trạng thái "${from}" sang "${to}"`,
        `Cannot move a question from ${from} to ${to}`,
        { from, to },
      );
    }
    if (to === 'submitted') await this.access.assertAuthor(user, subjectId);
    if (to === 'approved' || (from === 'submitted' && to === 'draft')) await this.access.assertReviewer(user, subjectId);
    if (to === 'retired') {
      await this.access.assertRead(user, subjectId);
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
    return transaction(this.db, async () => {
      if (to === 'approved') await this.repo.approve(questionId, head.id, user.id);
      else if (to === 'retired') await this.repo.retire(questionId);
      else await this.repo.setStatus(head.id, to);
      const kind = to === 'approved' ? 'approve' : to === 'submitted' ? 'submit' : to === 'retired' ? 'retire' : 'return';
      if (comment?.trim() || kind !== 'submit') {
        await this.repo.insertComment({ versionId: head.id, userId: user.id, kind, body: comment?.trim() ?? '' });
      }
      const dto = await this.getVersion(head.id);
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
    });
  }

  async addComment(user: AuthUser, questionId: number, body: string): Promise<CommentDto> {
    const subjectId = await this.questionSubject(questionId);
    await this.access.assertRead(user, subjectId);
    const head = await this.head(questionId);
    return transaction(this.db, async () => {
      const id = await this.repo.insertComment({ versionId: head.id, userId: user.id, kind: 'comment', body: body.trim() });
      appendAudit(this.db, {
        actor: { id: user.id, name: user.username },
        action: 'question.comment',
        entity: 'question',
        entityId: questionId,
        after: { body },
      });
      const c = (await this.repo.comments(questionId)).find((x) => x.id === id);
      if (!c) throw notFound('ý kiến', 'Comment');
      return c;
    });
  }
}
