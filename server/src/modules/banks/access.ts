import { type AuthUser, hasRole } from '../../plugins/auth.js';
import { AppError, notFound } from '../../plugins/errors.js';
import type { BankRepo } from './repo/bankRepo.js';

/** Who may read and write a subject's questions (the subject must exist: a 404 otherwise). */
export class BankAccess {
  constructor(private readonly repo: BankRepo) {}

  async subject(id: number): Promise<{ id: number; code: string; name: string }> {
    const s = await this.repo.subject(id);
    if (!s) throw notFound('môn thi', 'Subject');
    return s;
  }

  canRead(user: AuthUser, subjectId: number): boolean {
    return hasRole(user, 'admin', 'board') || user.subjectIds.includes(subjectId);
  }

  async assertRead(user: AuthUser, subjectId: number): Promise<void> {
    await this.subject(subjectId);
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
  async assertAuthor(user: AuthUser, subjectId: number): Promise<void> {
    await this.assertRead(user, subjectId);
    if (!(hasRole(user, 'board') || hasRole(user, 'author'))) {
      throw new AppError(403, 'FORBIDDEN_ROLE', 'Chỉ người ra đề hoặc Hội đồng thi được soạn câu hỏi.', 'Authors or board only.');
    }
  }

  async assertReviewer(user: AuthUser, subjectId: number): Promise<void> {
    await this.assertRead(user, subjectId);
    if (!(hasRole(user, 'board') || hasRole(user, 'reviewer'))) {
      throw new AppError(
        403,
        'FORBIDDEN_ROLE',
        'Chỉ người duyệt đề hoặc Hội đồng thi được duyệt câu hỏi.',
        'Reviewers or board only.',
      );
    }
  }
}
